import { randomUUID } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pathOnly } from '../logger.js';
import type { Store } from '../store/port.js';
import { answerForCode } from './errors.js';

/** Gives each request an id (echoed as X-Request-Id), closes connections while draining, and logs each answer without its query string. */
export function requestLog(logger: Logger, draining: () => boolean): RequestHandler {
  return (req, res, next) => {
    const requestId = randomUUID();
    res.locals['requestId'] = requestId;
    res.set('X-Request-Id', requestId);
    if (draining()) res.set('Connection', 'close');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ requestId, method: req.method, path: pathOnly(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
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
