import type { IncomingMessage } from 'node:http';
import type { Application, NextFunction, Request, RequestHandler, Response } from 'express';
import proxyaddr from 'proxy-addr';
import type { RateLimits } from './surfaces.js';

/** The Express side of the rate limits. */

/**
 * The address a request came from (behind a proxy, as `trust proxy` allows), for per-address
 * limits: what Express's `req.ip` computes (proxy-addr with the app's trust function), for a
 * plain Node request as well (the embed lane has no Express request).
 */
export const clientAddressOf = (app: Application, req: IncomingMessage): string =>
  proxyaddr(req, app.get('trust proxy fn') as (address: string, hop: number) => boolean) ?? req.socket.remoteAddress ?? 'unknown';

/** `clientAddressOf` an Express request. */
export const clientAddress = (req: Request): string => clientAddressOf(req.app, req);

/**
 * Limits the REST token exchange (`POST /api/validate-embed-token`) per client address and
 * per embed token, before any verification work is done. Needs a parsed JSON body.
 */
export function limitRestExchange(limits: RateLimits, onError: (error: unknown, res: Response) => void): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await limits.exchange(clientAddress(req), (req.body as { embed_token?: unknown } | undefined)?.embed_token);
      next();
    } catch (error) {
      onError(error, res);
    }
  };
}
