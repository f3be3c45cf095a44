import type { Router } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { auditRoutes } from './audit.routes.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { sendRestError } from './errors.js';
import { apiDocsRoutes } from './api-docs.routes.js';
import { openApiRoutes } from './openapi.routes.js';
import { pageRoutes } from './pages.routes.js';
import { recordRoutes } from './records.routes.js';
import { RestApi } from './rest-api.js';
import { userRoutes } from './users.routes.js';

/**
 * The REST surface (snake_case JSON): thin adapters over the same services as GraphQL, each
 * route declared once with the zod schemas that validate it and describe it in
 * `GET /api/openapi.json`. Anything else under `/api` is a JSON 404, never an HTML page.
 */
export function restRoutes(services: Services, logger: Logger, limits: RateLimits, publicUrl?: () => string): Router {
  const api = new RestApi(services, logger, limits);
  userRoutes(api, services);
  pageRoutes(api, services);
  recordRoutes(api, services);
  auditRoutes(api, services);
  openApiRoutes(api.router, publicUrl);
  apiDocsRoutes(api.router);
  api.router.use('/api', (req, res) => {
    sendRestError(res, new AppError('NOT_FOUND', `No route ${req.method} ${`${req.baseUrl}${req.path}`.slice(0, 200)}.`), () => undefined);
  });
  return api.router;
}
