import { randomUUID } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { pathOnly } from '../logger.js';
import type { Store } from '../store/port.js';
import { answerForCode } from './errors.js';

/**
 * Gives a request an id (echoed as X-Request-Id), closes its connection while draining, and
 * logs its answer without the query string. `started` is when the request arrived, if that
 * was before this call (the embed lane reads a body first).
 */
export function startRequestLog(logger: Logger, draining: boolean, req: Request, res: Response, started = process.hrtime.bigint()): void {
  const requestId = randomUUID();
  res.locals['requestId'] = requestId;
  res.set('X-Request-Id', requestId);
  if (draining) res.set('Connection', 'close');
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info({ requestId, method: req.method, path: pathOnly(req.originalUrl ?? req.url), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
  });
}

/** `startRequestLog` for every request Express handles. */
export function requestLog(logger: Logger, draining: () => boolean): RequestHandler {
  return (req, res, next) => {
    startRequestLog(logger, draining(), req, res);
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
