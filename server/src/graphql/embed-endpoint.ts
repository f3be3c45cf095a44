import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Application } from 'express';
import type { Logger } from 'pino';
import { requestLineLevel, requestLineLogger } from '../logger.js';
import { bodyErrorAnswer, jsonBody } from '../http/body-errors.js';
import { bearerToken, openEmbed, viewerTokenOf } from '../http/embed-credential.js';
import { graphqlErrorBody, graphqlErrorHeaders, graphqlErrorResult } from '../http/errors.js';
import { finalErrorAnswer } from '../http/final-handlers.js';
import { startRequestLog } from '../http/health.routes.js';
import { clientAddressOf } from '../rate-limits/express.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { queryTooLong } from './armor.js';
import { embedContextOf } from './context-builders.js';
import type { GraphQLContext } from './context.js';

/**
 * Whether a request is for the embed endpoint: exactly the paths Express's `app.use('/embed/graphql', …)` mount
 * matched (case-insensitive, with a trailing slash or a deeper path), with any query string, in origin form
 * (`/embed/graphql`) or absolute form (`http://host/embed/graphql`, as Express's `parseurl` reads it).
 */
export function isEmbedGraphQLRequest(url: string | undefined): boolean {
  const path = pathOf(url ?? '').toLowerCase();
  return path === '/embed/graphql' || path.startsWith('/embed/graphql/');
}

function pathOf(url: string): string {
  if (url.startsWith('/')) return url.split('?', 1)[0]!;
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

export interface EmbedEndpointOptions {
  apollo: ApolloServer<GraphQLContext>;
  /** The Express app, for its `trust proxy` setting: a client's address is computed as `req.ip` computes it. */
  app: Application;
  services: Services;
  limits: RateLimits;
  logger: Logger;
  draining: () => boolean;
  /** The most characters a `query` text may have. */
  characters: number;
}

type Next = (error?: unknown) => void;
type BodyReader = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/** Writes one whole answer. */
function answer(res: ServerResponse, status: number, headers: Record<string, string> | Iterable<[string, string]>, body: string): void {
  res.statusCode = status;
  for (const [name, value] of Symbol.iterator in headers ? headers : Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

/**
 * `/embed/graphql`: the embed endpoint's one pipeline, Apollo's own (`executeHTTPGraphQLRequest`, with every plugin,
 * the trusted documents, `formatError` and the limits) on Node's own request and response, the way Apollo's Express
 * integration calls it, but without Express's router and response helpers in front: a render is the hottest request
 * Porthole serves, and those cost more per request than the rest of the pipeline's own work (`npm run bench`'s own
 * overhead line, docs/performance.md). Everything Express did for this path is done here by the same functions:
 *
 * - the request log and request id (`startRequestLog`), and `Connection: close` while draining;
 * - body-parser's JSON reader with the 64 kB limit and the nesting check (`jsonBody`), its refusals answered by
 *   `bodyErrorAnswer`;
 * - the query's character limit (`queryTooLong`);
 * - the credential, opened under the limits in one round trip (`openEmbed`), every refusal the same bytes;
 * - a failure nothing else answered, masked and logged as the app's final handler does (`finalErrorAnswer`).
 *
 * Middleware added to the Express app does not run for this path: add it here too (see docs/performance.md).
 */
export function embedGraphQLEndpoint(options: EmbedEndpointOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { apollo, app, services, limits, logger, draining, characters } = options;
  apollo.assertStarted('embedGraphQLEndpoint()');
  const lines = requestLineLogger(logger);
  const level = requestLineLevel(logger);
  const readBody = jsonBody('64kb') as unknown as BodyReader;

  async function serve(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const queryIndex = (req.url ?? '').indexOf('?');
    const search = queryIndex === -1 ? '' : req.url!.slice(queryIndex);
    const body = (req as { body?: unknown }).body;
    // A GET's query is the one Apollo reads from the query string: the first `query` parameter.
    const query = req.method === 'GET' ? new URLSearchParams(search).get('query') : (body as { query?: unknown } | undefined)?.query;
    const tooLong = queryTooLong(query, characters);
    if (tooLong) return answer(res, tooLong.status, JSON_TYPE, JSON.stringify(graphqlErrorResult(tooLong)));

    const token = bearerToken(req);
    const viewerToken = viewerTokenOf(req);
    const address = clientAddressOf(app, req);
    const opened = await openEmbed(services, limits, logger, { token, viewerToken }, address, requestId);
    if ('refusal' in opened) return answer(res, opened.refusal.status, graphqlErrorHeaders(opened.refusal), graphqlErrorBody(opened.refusal));
    const contextValue = embedContextOf(services, requestId, address, { grant: opened.grant, token: token!, viewerToken });

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search, body },
      context: async () => contextValue,
    });
    if (response.body.kind === 'complete') return answer(res, response.status ?? 200, response.headers, response.body.string);
    res.statusCode = response.status ?? 200;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return (req, res) => {
    const requestId = startRequestLog(lines, draining(), req, res, undefined, level);
    const fail = (error: unknown) => {
      const final = finalErrorAnswer(error, logger, requestId, req.method);
      // Half an answer cannot be mended: end the connection.
      if (res.headersSent) req.socket.destroy();
      else answer(res, final.status, { ...final.headers, ...JSON_TYPE }, JSON.stringify(final.body));
    };
    readBody(req, res, (error) => {
      if (error) {
        const refused = bodyErrorAnswer(error, true);
        if (!refused) return fail(error);
        logger.warn({ requestId, type: refused.type }, 'Refused a request body');
        return answer(res, refused.status, JSON_TYPE, JSON.stringify(refused.body));
      }
      serve(req, res, requestId).catch(fail);
    });
  };
}
