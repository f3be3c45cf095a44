import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { readSessionCookie } from './console/console-cookie.js';
import { consoleRoutes } from './console/console.routes.js';
import { systemClock, type Clock } from './domain/viewer.js';
import type { EmbedGrant } from './embeds/embeds.service.js';
import { AppError, EMBED_UNAVAILABLE_MESSAGE, StoreUnavailableError } from './errors.js';
import { API_LIMITS, EMBED_LIMITS, graphqlArmor, introspectionForViewersOnly, queryCharacterLimit, withoutSuggestions } from './graphql/armor.js';
import type { GraphQLContext } from './graphql/context.js';
import { limitEmbedRenders, limitTokenExchange, rateLimitPlugin } from './graphql/rate-limits.js';
import { buildSchemas } from './graphql/schema.js';
import { embedHtmlRoutes } from './http/embed-html.routes.js';
import { graphiqlRoutes } from './http/graphiql.routes.js';
import { RETRY_AFTER_SECONDS, sendRestError, statusFor } from './http/errors.js';
import { clientAddress, exchangeRateLimit, RateLimiter, subjectDigest } from './http/rate-limit.js';
import { restRoutes } from './http/rest.routes.js';
import { pathOnly } from './logger.js';
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
  /** The Express app, for routes that exist only in some deployments (the demo host page). */
  app: express.Express;
  /**
   * Drains: answers with `Connection: close` and /readyz 503 for `shutdown.delayMs`, then stops
   * accepting, finishes in-flight requests (closing them after `shutdown.graceMs`), flushes
   * usage counts. Does not close the store.
   */
  close(): Promise<void>;
}

function unwrap(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

const VALUE_NODE_KINDS = new Set<string>([Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOLEAN, Kind.ENUM, Kind.LIST, Kind.OBJECT, Kind.NULL]);

/** Known errors keep their message and code; anything else is masked. No message ever carries a "Did you mean" suggestion. */
function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const result = formatKnownError(formatted, error);
  return { ...result, message: withoutSuggestions(result.message) };
}

function formatKnownError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrap(error);
  if (original instanceof AppError)
    return { message: original.message, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: original.code } };
  if (original instanceof StoreUnavailableError) return { message: 'Temporarily unavailable; retry shortly.', extensions: { code: 'SERVICE_UNAVAILABLE' } };
  let code = formatted.extensions?.['code'];
  // A literal of the wrong type (a bad EmailAddress, say) is the caller's input, like a bad variable:
  // such validation errors point at the value node itself.
  if (code === 'GRAPHQL_VALIDATION_FAILED' && error instanceof GraphQLError && error.nodes?.[0] && VALUE_NODE_KINDS.has(error.nodes[0].kind))
    code = 'BAD_USER_INPUT';
  if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) return { message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  return { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: { code } };
}

/**
 * Maps failures onto HTTP: any embed-credential failure becomes the one canonical 401 body
 * (no path, no data, nothing that differs by reason); a store outage becomes 503 with
 * Retry-After.
 */
const httpStatusPlugin = (logger: Logger): ApolloServerPlugin<GraphQLContext> => ({
  async requestDidStart() {
    return {
      async willSendResponse({ response, errors, contextValue }) {
        const originals = (errors ?? []).map(unwrap);
        if (originals.some((error) => error instanceof AppError && error.code === 'EMBED_UNAVAILABLE') && response.body.kind === 'single') {
          response.body.singleResult = { errors: [{ message: EMBED_UNAVAILABLE_MESSAGE, extensions: { code: 'EMBED_UNAVAILABLE' } }] };
          response.http.status = statusFor('EMBED_UNAVAILABLE');
          return;
        }
        if (originals.some((error) => error instanceof StoreUnavailableError)) {
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
        }
        for (const error of originals) {
          if (!(error instanceof AppError) && !(error instanceof StoreUnavailableError) && !(error instanceof GraphQLError)) {
            logger.error({ err: error, requestId: contextValue?.requestId }, 'Unexpected GraphQL error');
          }
        }
      },
    };
  },
});

/**
 * A store outage while building the context (authenticating, opening an embed) would be
 * served by Apollo as 500; it is a 503 with Retry-After like any other outage.
 */
function contextFailure(error: unknown): never {
  if (error instanceof StoreUnavailableError) {
    throw new GraphQLError('Temporarily unavailable; retry shortly.', {
      originalError: error,
      extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) } },
    });
  }
  throw error;
}

const BODY_ERROR_TYPES = new Set([
  'entity.parse.failed',
  'entity.too.large',
  'entity.verify.failed',
  'encoding.unsupported',
  'charset.unsupported',
  'request.aborted',
  'request.size.invalid',
]);

/**
 * Body-parser failures (malformed JSON, a body over the size limit) answer in the shape of
 * the endpoint they hit, without echoing the body (it may hold a token), instead of
 * Express's HTML error page.
 */
function bodyErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    const type = (error as { type?: unknown })?.type;
    if (res.headersSent || typeof type !== 'string' || !BODY_ERROR_TYPES.has(type)) return next(error);
    const tooLarge = type === 'entity.too.large';
    const status = tooLarge ? 413 : 400;
    const message = tooLarge
      ? `The request body is larger than this endpoint's limit of ${String((error as { limit?: unknown }).limit)} bytes.`
      : 'The request body could not be read as JSON.';
    logger.warn({ requestId: res.locals['requestId'], type }, 'Refused a request body');
    if (req.path.endsWith('/graphql')) res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    else res.status(status).json({ error: { code: 'BAD_USER_INPUT', message } });
  };
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
    clock,
    logger,
    publicUrl: () => publicUrl,
  });
  const limiter = new RateLimiter(store, clock, config.rateLimits);
  const app = express();
  const httpServer = createServer(app);
  /** Set once shutdown begins: every answer then closes its connection, and /readyz turns 503. */
  let draining = false;
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  app.use((req, res, next) => {
    const requestId = randomUUID();
    res.locals['requestId'] = requestId;
    res.set('X-Request-Id', requestId);
    if (draining) res.set('Connection', 'close');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ requestId, method: req.method, path: pathOnly(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  });

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).json({ status: 'stopping', store: store.kind });
      return;
    }
    try {
      await store.ping();
      res.json({ status: 'ready', store: store.kind });
    } catch {
      res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).json({ status: 'unavailable', store: store.kind });
    }
  });

  const schemas = buildSchemas();
  limitTokenExchange(schemas.api, limiter);
  limitEmbedRenders(schemas.embed, limiter);
  const drain = ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdown.graceMs });
  const apiArmor = graphqlArmor(API_LIMITS);
  const embedArmor = graphqlArmor(EMBED_LIMITS);
  const apiServer = new ApolloServer<GraphQLContext>({
    schema: schemas.api,
    plugins: [drain, ...apiArmor.plugins, introspectionForViewersOnly(), rateLimitPlugin(limiter, { perApiKey: true }), httpStatusPlugin(logger)],
    validationRules: apiArmor.validationRules,
    parseOptions: apiArmor.parseOptions,
    formatError,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    // Allowed, but only to callers with an API key or a console session (introspectionForViewersOnly).
    introspection: true,
    allowBatchedHttpRequests: false,
    // main.ts owns SIGTERM: Apollo's own handler would stop (and cut idle keep-alive
    // connections) at once, before the drain delay that lets clients move elsewhere.
    stopOnTerminationSignals: false,
  });
  const embedServer = new ApolloServer<GraphQLContext>({
    schema: schemas.embed,
    plugins: [drain, ...embedArmor.plugins, rateLimitPlugin(limiter, { perApiKey: false }), httpStatusPlugin(logger)],
    validationRules: embedArmor.validationRules,
    parseOptions: embedArmor.parseOptions,
    formatError,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    introspection: !config.production,
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false,
  });
  await Promise.all([apiServer.start(), embedServer.start()]);

  const requestIdOf = (req: Request) => String(req.res?.locals['requestId'] ?? randomUUID());

  app.use(graphiqlRoutes());
  app.use(
    '/graphql',
    express.json({ limit: '2mb' }),
    queryCharacterLimit(API_LIMITS.characters),
    expressMiddleware(apiServer, {
      context: async ({ req }) => {
        const apiKey = req.get('x-api-key');
        // An API key decides when one is sent; otherwise the console's session cookie may. Apollo's
        // CSRF prevention (on by default) refuses cookie requests a cross-site form could forge.
        const viewer = await (apiKey !== undefined ? services.principals.authenticate(apiKey) : services.consoleSessions.resolve(readSessionCookie(req))).catch(
          contextFailure,
        );
        return {
          viewer,
          embed: null,
          services,
          requestId: requestIdOf(req),
          client: { address: clientAddress(req), credentialDigest: apiKey ? subjectDigest(apiKey) : null },
        };
      },
    }),
  );

  app.use(
    '/embed/graphql',
    express.json({ limit: '64kb' }),
    queryCharacterLimit(EMBED_LIMITS.characters),
    expressMiddleware(embedServer, {
      context: async ({ req }) => {
        const header = req.get('authorization') ?? '';
        const token = /^Bearer ([^\s]+)$/.exec(header)?.[1];
        let embed: EmbedGrant;
        try {
          embed = await services.embeds.open(token);
        } catch (error) {
          if (error instanceof AppError) {
            throw new GraphQLError(EMBED_UNAVAILABLE_MESSAGE, {
              originalError: error,
              extensions: { code: 'EMBED_UNAVAILABLE', http: { status: statusFor('EMBED_UNAVAILABLE') } },
            });
          }
          return contextFailure(error);
        }
        return {
          viewer: null,
          embed,
          services,
          requestId: requestIdOf(req),
          client: { address: clientAddress(req), credentialDigest: token ? subjectDigest(token) : null },
        };
      },
    }),
  );

  app.use(consoleRoutes(services, logger, limiter));
  const restError = (error: unknown, res: Response) => sendRestError(res, error, (unknown) => logger.error({ err: unknown }, 'REST request failed'));
  app.post('/api/validate-embed-token', express.json({ limit: '64kb' }), exchangeRateLimit(limiter, restError));
  app.use(express.json({ limit: '2mb' }), restRoutes(services, logger));
  app.use(embedHtmlRoutes(services, logger));
  app.use(bodyErrorHandler(logger));

  // PORTHOLE_BOOTSTRAP: each missing workspace gets an admin whose API key is exactly the given one.
  for (const { slug, apiKey } of config.bootstrap) {
    const { created } = await services.principals.bootstrapWorkspace(slug, apiKey);
    if (created) logger.info({ workspace: slug }, 'Bootstrapped workspace');
  }

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  services.usage.start();

  return {
    url: publicUrl,
    services,
    httpServer,
    app,
    async close() {
      draining = true;
      // Keep answering (each answer closing its connection, /readyz saying 503) while a load balancer notices.
      if (config.shutdown.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdown.delayMs));
      await Promise.all([apiServer.stop(), embedServer.stop()]);
      await services.usage.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
