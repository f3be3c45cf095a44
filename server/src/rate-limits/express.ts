import type { IncomingMessage } from 'node:http';
import type { Application, Request } from 'express';
import proxyaddr from 'proxy-addr';

/** The Express side of the rate limits. */

/**
 * The address a request came from (behind a proxy, as `trust proxy` allows), for per-address
 * limits: what Express's `req.ip` computes (proxy-addr with the app's trust function), for any
 * Node request.
 */
export const clientAddressOf = (app: Application, req: IncomingMessage): string =>
  proxyaddr(req, app.get('trust proxy fn') as (address: string, hop: number) => boolean) ?? req.socket.remoteAddress ?? 'unknown';

/** `clientAddressOf` an Express request. */
export const clientAddress = (req: Request): string => clientAddressOf(req.app, req);
