import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router, type Request, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pathOnly, requestLineLevel, requestLineLogger } from '../logger.js';
import type { Store } from '../store/port.js';
import { answerForCode } from './errors.js';

/**
 * Gives a request an id (echoed as X-Request-Id), closes its connection while draining, and
 * logs its answer without the query string (to `lines`, a `requestLineLogger`); returns the id.
 * Plain Node objects suffice, and the headers are exactly those Express's `res.set` would write. `started` is when the request arrived, if that was before this call.
 */
export function startRequestLog(
  lines: Logger,
  draining: boolean,
  req: IncomingMessage,
  res: ServerResponse,
  started = process.hrtime.bigint(),
  level: 'info' | 'debug' = 'info',
): string {
  const requestId = randomUUID();
  res.setHeader('X-Request-Id', requestId);
  if (draining) res.setHeader('Connection', 'close');
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const url = (req as Partial<Request>).originalUrl ?? req.url ?? '';
    lines[level]({ requestId, method: req.method, path: pathOnly(url), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
  });
  return requestId;
}

/** `startRequestLog` for every request Express handles. */
export function requestLog(logger: Logger, draining: () => boolean): RequestHandler {
  const lines = requestLineLogger(logger);
  const level = requestLineLevel(logger);
  return (req, res, next) => {
    res.locals['requestId'] = startRequestLog(lines, draining(), req, res, undefined, level);
    next();
  };
}

/** `/healthz` (the process is up) and `/readyz` (the store answers and the server is not draining). */
export function healthRoutes(store: Store, draining: () => boolean): Router {
  const router = Router();
  const unavailable = answerForCode('SERVICE_UNAVAILABLE');
  router.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  router.get('/readyz', async (_req, res) => {
    if (draining()) {
      res.status(unavailable.status).set(unavailable.headers).json({ status: 'stopping', store: store.kind });
      return;
    }
    try {
      await store.ping();
      res.json({ status: 'ready', store: store.kind });
    } catch {
      res.status(unavailable.status).set(unavailable.headers).json({ status: 'unavailable', store: store.kind });
    }
  });
  return router;
}
