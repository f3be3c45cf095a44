import type { IncomingMessage } from 'node:http';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import proxyaddr from 'proxy-addr';
import type { RateLimits } from './surfaces.js';

/** The Express side of the rate limits. */

/** The address a request came from (behind a proxy, as `trust proxy` allows), for per-address limits. */
export const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** `clientAddress` of a plain Node request: what Express's `req.ip` computes, from the app's `trust proxy` setting. */
export const plainClientAddress = (app: Express, req: IncomingMessage): string =>
  proxyaddr(req, app.get('trust proxy fn') as (address: string, hop: number) => boolean) ?? req.socket.remoteAddress ?? 'unknown';

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
