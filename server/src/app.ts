import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { specifiedRules } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { consoleRoutes } from './console/console.routes.js';
import { viewerTokenRoutes } from './console/viewer-token.routes.js';
import { systemClock, type Clock } from './domain/viewer.js';
import { apolloServers } from './graphql/apollo.js';
import { API_LIMITS, EMBED_LIMITS, introspectionForViewersOnly, oneEmbedRender, queryCharacterLimit } from './graphql/armor.js';
import { responseBudgetPlugin } from './graphql/response-budget.js';
import { compiledExecution } from './graphql/compiled-execution.js';
import { apiContext } from './graphql/context-builders.js';
import { embedGraphQLEndpoint, isEmbedGraphQLRequest } from './graphql/embed-endpoint.js';
import { buildSchemas } from './graphql/schema.js';
import { TrustedDocuments } from './graphql/trusted-documents.js';
import { bodyErrorHandler, jsonBody } from './http/body-errors.js';
import { embedHtmlRoutes } from './http/embed-html.routes.js';
import { exportRoutes } from './http/export.routes.js';
import { finalErrorHandler, notFoundHandler } from './http/final-handlers.js';
import { graphiqlRoutes } from './http/graphiql.routes.js';
import { healthRoutes, requestLog } from './http/health.routes.js';
import { restRoutes } from './http/rest.routes.js';
import { apiCallLimitPlugin, limitSchemas } from './rate-limits/graphql.js';
import { RateLimits } from './rate-limits/surfaces.js';
import { createServices, type Services } from './services.js';
import type { Store } from './store/port.js';

export interface AppOptions {
  config: Config;
  store: Store;
  logger: Logger;
  /** Required: the master key (the embedded default generates one before calling). */
  masterKey: Uint8Array;
  clock?: Clock;
}

export interface RunningServer {
  url: string;
  services: Services;
  httpServer: Server;
  /** The Express app. */
  app: express.Express;
  /**
   * Where routes that exist only in some deployments (the demo host page) are added once the
   * server runs: ahead of the app's final not-found and error handlers, which routes added to
   * `app` itself would come after.
   */
  routes: express.Router;
  /**
   * Drains: answers with `Connection: close` and /readyz 503 for `shutdown.delayMs`, then stops
   * accepting, finishes in-flight requests (closing them after `shutdown.graceMs`), flushes
   * usage counts. Does not close the store.
   */
  close(): Promise<void>;
}

/** Creates the HTTP server with both GraphQL endpoints, the REST routes and the embed pages. */
export async function startServer(options: AppOptions): Promise<RunningServer> {
  const { config, store, logger } = options;
  const clock = options.clock ?? systemClock;
  let publicUrl = config.publicUrl ?? '';
  const services = createServices({
    store,
    masterKey: options.masterKey,
    sessionTtlSeconds: config.sessionTtlSeconds,
    maxEmbedTtlSeconds: config.maxEmbedTtlSeconds,
    maxRecordsPerWorkspace: config.maxRecordsPerWorkspace,
    jwksTimeoutMs: config.jwksTimeoutMs,
    production: config.production,
    maxExportRows: config.maxExportRows,
    auditRetentionDays: config.auditRetentionDays,
    clock,
    logger,
    publicUrl: () => publicUrl,
  });
  const limits = new RateLimits(store, clock, config.rateLimits);
  const app = express();
  // Its request handler is added once the endpoints are built, before it listens.
  const httpServer = createServer();
  /** Set once shutdown begins: every answer then closes its connection, and /readyz turns 503. */
  let draining = false;
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const schemas = buildSchemas();
  limitSchemas(schemas, limits);

  app.use(requestLog(logger, () => draining));
  app.use(healthRoutes(store, () => draining));
  const apolloServer = apolloServers(httpServer, logger, config.shutdown.graceMs);
  // Introspection on /graphql is allowed, but only to callers with an API key or a console session.
  const apiServer = apolloServer({
    schema: schemas.api,
    limits: API_LIMITS,
    plugins: [introspectionForViewersOnly(), apiCallLimitPlugin(limits), responseBudgetPlugin()],
    introspection: true,
  });
  // The embed client's documents, checked at start; in production the only ones the endpoint runs.
  const trustedDocuments = new TrustedDocuments();
  trustedDocuments.assertValid(schemas.embed, [...specifiedRules, oneEmbedRender]);
  const embedServer = apolloServer({
    schema: schemas.embed,
    limits: EMBED_LIMITS,
    plugins: [trustedDocuments.plugin(config.production)],
    persistedQueries: { cache: trustedDocuments.cache },
    // The trusted documents compiled once (graphql-jit), executed inside Apollo's pipeline.
    ...(config.compiledEmbedQueries ? { gateway: compiledExecution(schemas.embed, trustedDocuments.documents) } : {}),
    validationRules: [oneEmbedRender],
    introspection: !config.production,
  });
  await Promise.all([apiServer.start(), embedServer.start()]);

  app.use(graphiqlRoutes());
  app.use(
    '/graphql',
    jsonBody('2mb'),
    queryCharacterLimit(API_LIMITS.characters),
    expressMiddleware(apiServer, { context: apiContext(services, limits, logger) }),
  );
  const embedEndpoint = embedGraphQLEndpoint({
    apollo: embedServer,
    app,
    services,
    limits,
    logger,
    draining: () => draining,
    characters: EMBED_LIMITS.characters,
  });
  // The embed endpoint is served on Node's request and response, every other path by Express (`embedGraphQLEndpoint`).
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isEmbedGraphQLRequest(req.url)) embedEndpoint(req, res);
    else app(req, res);
  });
  app.use(consoleRoutes(services, logger, limits));
  app.use(viewerTokenRoutes(services, logger, limits));
  // The exchange's limits are taken by its route, in the round trip that verifies the token (RestApi.exchange).
  app.post('/api/validate-embed-token', jsonBody('64kb'));
  app.use(
    jsonBody('2mb'),
    restRoutes(services, logger, limits, () => publicUrl),
  );
  app.use(embedHtmlRoutes(services, logger, limits));
  app.use(exportRoutes(services, logger));
  // Routes that exist only in some deployments (the demo host page) join here, ahead of the final handlers.
  const deploymentRoutes = express.Router();
  app.use(deploymentRoutes);
  app.use(notFoundHandler());
  app.use(bodyErrorHandler(logger));
  app.use(finalErrorHandler(logger));

  // PORTHOLE_BOOTSTRAP: each missing workspace gets an admin whose API key is exactly the given one.
  for (const { slug, apiKey } of config.bootstrap) {
    const { created } = await services.principals.bootstrapWorkspace(slug, apiKey);
    if (created) logger.info({ workspace: slug }, 'Bootstrapped workspace');
  }

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  services.usage.start();
  // Repairs what a stopped instance left (marks, unfinished builds) and checks rollups against records, now and periodically.
  services.rollups.start();

  return {
    url: publicUrl,
    services,
    httpServer,
    app,
    routes: deploymentRoutes,
    async close() {
      draining = true;
      // Keep answering (each answer closing its connection, /readyz saying 503) while a load balancer notices.
      if (config.shutdown.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdown.delayMs));
      await Promise.all([apiServer.stop(), embedServer.stop()]);
      await services.usage.stop();
      // Audit appends that no request waited for (sampled embed opens, self-minted registrations).
      await services.audit.drain();
      await services.rollups.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
