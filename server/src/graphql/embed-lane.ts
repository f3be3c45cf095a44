import type { ApolloServerPlugin } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import {
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Logger } from 'pino';
import { bodyErrorHandler } from '../http/body-errors.js';
import { bearerToken, openEmbed } from '../http/embed-credential.js';
import { answerForCode, graphqlErrorBody, graphqlErrorHeaders, graphqlErrorResult, type ErrorAnswer } from '../http/errors.js';
import { clientAddressOf } from '../rate-limits/express.js';
import { startRequestLog } from '../http/health.routes.js';
import { requestLineLogger } from '../logger.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { embedContextOf } from './context-builders.js';
import type { GraphQLContext } from './context.js';
import { formatError, settleErrors } from './errors.js';

/**
 * The embed endpoint's fast lane. Nearly every request to `POST /embed/graphql` is one of the
 * few documents our own client sends, already parsed and validated by Apollo on an earlier
 * request. For those, this lane reads the body, opens the credential and executes the known
 * document with graphql-js directly, skipping body-parser and Apollo's request pipeline, and
 * answers exactly as that pipeline would: the same status, headers (in order) and bytes
 * (`tests/integration/embed-lane.test.ts` sends every kind of request both ways and compares).
 *
 * It sits in front of Express (app.ts hands it each request first) and takes only a POST to
 * exactly `/embed/graphql` with a declared length within the limit, plain UTF-8 JSON and a
 * JSON `Accept`. Anything else goes to Express untouched; a body it read but cannot serve — one
 * that is not a plain request, a document Apollo has not accepted yet, variables that do not
 * coerce — goes to Express with `req.body` set as Express's JSON parser would have set it (it
 * skips a body already read). Nothing observable happens in the lane before that decision.
 */

/** The embed endpoint's body limit (`express.json({ limit: '64kb' })` in app.ts), in bytes. */
export const EMBED_BODY_LIMIT_BYTES = 64 * 1024;

/** Documents remembered at most; our client sends a handful. */
const MAX_KNOWN_DOCUMENTS = 64;

/** The root fields the lane serves: the renders. */
const LANE_FIELDS = new Set(['page', 'dashboard']);

/** Content types body-parser and Apollo both take as plain UTF-8 JSON; any other goes the long way. */
const LANE_CONTENT_TYPES = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);

/** `Accept` values for which Apollo answers `application/json` (absent, too). */
const LANE_ACCEPTS = new Set(['*/*', 'application/json']);

/** body-parser's strict mode: the first non-whitespace character must open an object or array. */
const FIRST_CHARACTER = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/;

interface KnownDocument {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The operation compiled by graphql-jit. */
  compiled: CompiledQuery;
}

/** Documents Apollo accepted on this endpoint (parsed, validated, one operation resolved), by operation name and text. */
export class KnownEmbedDocuments {
  readonly #documents = new Map<string, KnownDocument>();

  constructor(private readonly schema: GraphQLSchema) {}

  static #key = (source: string, operationName: string | undefined): string => `${operationName ?? ''}\u0000${source}`;

  get(source: string, operationName: string | undefined): KnownDocument | undefined {
    return this.#documents.get(KnownEmbedDocuments.#key(source, operationName));
  }

  /** Remembers a render document; any other (introspection, `__typename` alone) is left to Apollo. */
  learn(source: string, operationName: string | undefined, document: DocumentNode, operation: OperationDefinitionNode): void {
    if (
      operation.operation !== 'query' ||
      document.definitions.some((definition) => definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION)
    )
      return;
    // Root fields only (no fragments there): one render, and any number of `__typename`.
    const roots = operation.selectionSet.selections;
    if (roots.some((root) => root.kind !== Kind.FIELD)) return;
    const fields = roots.filter((root): root is FieldNode => root.kind === Kind.FIELD && root.name.value !== '__typename');
    if (fields.length !== 1 || !LANE_FIELDS.has(fields[0]!.name.value)) return;
    const key = KnownEmbedDocuments.#key(source, operationName);
    if (this.#documents.has(key)) return;
    const compiled = compileQuery(this.schema, document, operationName);
    if (!isCompiledQuery(compiled)) return;
    if (this.#documents.size >= MAX_KNOWN_DOCUMENTS) this.#documents.delete(this.#documents.keys().next().value!);
    this.#documents.set(key, { document, operation, compiled });
  }

  /** An Apollo plugin that teaches this set every document the embed endpoint's pipeline accepts. */
  plugin(): ApolloServerPlugin<GraphQLContext> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ source, document, operation, request }) => {
          if (operation) this.learn(source, request.operationName ?? undefined, document, operation);
        },
      }),
    };
  }
}

/** A body-parser failure as `bodyErrorHandler` reads one (it answers by `type`). */
const bodyError = (type: 'entity.parse.failed'): Error => Object.assign(new Error(type), { type, status: 400, statusCode: 400, expose: true });

/** Reads a request body of a known length; null when the client went away. */
function readBody(req: IncomingMessage, length: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => resolve(received === length ? Buffer.concat(chunks, received) : null));
    // Closed before its end: the client went away (a promise settles once, so after 'end' this is nothing).
    req.on('close', () => resolve(null));
    req.on('error', () => resolve(null));
  });
}

/** A request body as Apollo takes one: `query`, `operationName`, `variables`, nothing else. */
interface LaneRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body as a plain GraphQL request the lane can serve without Apollo's checks, or null. */
function laneRequest(body: unknown): LaneRequest | null {
  if (!isRecord(body) || typeof body['query'] !== 'string') return null;
  for (const key of Object.keys(body)) if (key !== 'query' && key !== 'operationName' && key !== 'variables') return null;
  const { operationName, variables } = body;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  if (variables !== undefined && variables !== null && !isRecord(variables)) return null;
  return { query: body['query'], operationName: operationName ?? undefined, variables: variables ?? {} };
}

/**
 * An execution error as Apollo hands it to `formatError`: its JSON, with a code
 * (INTERNAL_SERVER_ERROR when it has none). graphql-jit's errors are GraphQLErrors whose
 * `extensions` are the original error's, or absent.
 */
function formatted(error: GraphQLError): GraphQLFormattedError {
  const extensions = (error.extensions as Record<string, unknown> | undefined) ?? {};
  return formatError({ ...error.toJSON(), extensions: { ...extensions, code: extensions['code'] ?? 'INTERNAL_SERVER_ERROR' } }, error);
}

export interface EmbedLane {
  /**
   * Takes a request off the HTTP server before Express sees it, when it may be one for the
   * lane (false: it is Express's). A request taken and then found not to be is handed to
   * Express as it would have arrived, with its body read.
   */
  take(req: IncomingMessage, res: ServerResponse): boolean;
  /** Requests the lane answered itself, for tests and the bench. */
  readonly served: number;
}

/** Response headers by lowercased name: the first setting fixes the place, the last the spelling and value (as Node keeps them). */
class Headers {
  readonly #entries = new Map<string, [string, string]>();
  set(name: string, value: string): this {
    this.#entries.set(name.toLowerCase(), [name, value]);
    return this;
  }
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    yield* this.#entries.values();
  }
}

export function embedLane(options: {
  app: Express;
  schema: GraphQLSchema;
  known: KnownEmbedDocuments;
  services: Services;
  limits: RateLimits;
  logger: Logger;
  /** False in tests that compare the lane with Apollo's pipeline. */
  enabled: boolean;
  /** True once the server drains: Express then answers everything (with Connection: close). */
  draining: () => boolean;
}): EmbedLane {
  const { app, schema, known, services, limits, logger } = options;
  const refuseBody = bodyErrorHandler(logger);
  const lines = requestLineLogger(logger);
  const etagOf = app.get('etag fn') as ((body: string, encoding: BufferEncoding) => string | undefined) | undefined;
  let served = 0;

  /**
   * Writes an answer on the plain Node response, as Express's `res.send` of that text would:
   * the given headers, then Content-Length, then the ETag Express makes of the bytes; headers
   * and body in one write. (Express's request and response prototypes are not used here: on
   * Node's own objects the HTTP internals stay on their fast paths.)
   */
  const write = (res: ServerResponse, status: number, headers: Headers, text: string): void => {
    for (const [name, value] of headers) res.setHeader(name, value);
    res.statusCode = status;
    res.setHeader('Content-Length', String(Buffer.byteLength(text)));
    const etag = etagOf?.(text, 'utf8');
    if (etag) res.setHeader('ETag', etag);
    res.end(text);
  };

  /** A refused credential, as `sendGraphQLError` answers it in front of Apollo. */
  const refuse = (res: ServerResponse, answer: ErrorAnswer): void => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(graphqlErrorHeaders(answer))) headers.set(name, value);
    write(res, answer.status, headers, graphqlErrorBody(answer));
  };

  /** An execution result, as Apollo's pipeline and express integration answer it. */
  const answerResult = (res: ServerResponse, result: ExecutionResult, requestId: string): void => {
    let status = 200;
    let body: object = result.errors ? { errors: result.errors.map(formatted), data: result.data } : { data: result.data };
    // Apollo's order: the error table's headers (errorStatusPlugin), then its cache-control plugin's, then the content type.
    const headers = new Headers();
    const answer = result.errors ? settleErrors(result.errors, logger, requestId) : undefined;
    if (answer) {
      status = answer.status;
      for (const [name, value] of Object.entries(answer.headers)) headers.set(name.toLowerCase(), value);
      if (answer.code === 'EMBED_UNAVAILABLE') body = graphqlErrorResult(answer);
    }
    headers.set('cache-control', 'no-store');
    // Spelled as res.send leaves it (it sets the type again, and Node keeps the last spelling).
    headers.set('Content-Type', 'application/json; charset=utf-8');
    write(res, status, headers, `${JSON.stringify(body)}\n`);
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, request: LaneRequest, entry: KnownDocument, requestId: string): Promise<void> => {
    served += 1;
    const token = bearerToken(req);
    const address = clientAddressOf(app, req);
    const opened = await openEmbed(services, limits, logger, token, address, requestId);
    if ('refusal' in opened) return refuse(res, opened.refusal);
    const contextValue = embedContextOf(services, requestId, address, { grant: opened.grant, token: token! });
    let result: ExecutionResult;
    try {
      result = await entry.compiled.query(undefined, contextValue, request.variables);
    } catch (error) {
      // Apollo answers an execution that throws (rather than returning errors) with a 500.
      settleErrors([error], logger, requestId);
      const headers = new Headers().set('cache-control', 'no-store').set('Content-Type', 'application/json; charset=utf-8');
      write(res, 500, headers, graphqlErrorBody(answerForCode('INTERNAL_SERVER_ERROR')));
      return;
    }
    answerResult(res, result, requestId);
  };

  /** What the lane does with a body it read: refuse it as body-parser would, serve it, or hand it to Express. */
  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer, started: bigint): void => {
    // As body-parser: UTF-8 without its byte order mark, an empty body is `{}`, strict JSON otherwise.
    const text = raw.toString('utf8').replace(/^\uFEFF/, '');
    let body: unknown = {};
    if (text.length > 0) {
      const first = FIRST_CHARACTER.exec(text)?.[1];
      try {
        if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
        body = JSON.parse(text);
      } catch {
        // Rare: answered by Express's own handler, on Express's request and response.
        const expressReq = asExpress(app, req, res);
        startRequestLog(lines, false, req, res, started);
        refuseBody(bodyError('entity.parse.failed'), expressReq, expressReq.res!, () => undefined);
        return;
      }
    }
    const request = laneRequest(body);
    const entry = request ? known.get(request.query, request.operationName) : undefined;
    const coerced = entry ? getVariableValues(schema, entry.operation.variableDefinitions ?? [], request!.variables, { maxErrors: 50 }) : undefined;
    if (!entry || !coerced || coerced.errors) {
      // Express's JSON parser skips a body that was read, and keeps this one.
      (req as IncomingMessage & { body?: unknown }).body = body;
      app(req as Request, res as Response);
      return;
    }
    const requestId = startRequestLog(lines, false, req, res, started);
    serve(req, res, request!, entry, requestId).catch((error: unknown) => {
      logger.error({ err: error, requestId }, 'Embed request failed');
      if (!res.headersSent) refuse(res, answerForCode('INTERNAL_SERVER_ERROR'));
    });
  };

  const take = (req: IncomingMessage, res: ServerResponse): boolean => {
    const { headers } = req;
    const length = Number(headers['content-length']);
    if (
      req.method !== 'POST' ||
      req.url !== '/embed/graphql' ||
      !options.enabled ||
      options.draining() ||
      !LANE_CONTENT_TYPES.has(headers['content-type']?.toLowerCase() ?? '') ||
      headers['content-encoding'] !== undefined ||
      headers['transfer-encoding'] !== undefined ||
      !(headers.accept === undefined || LANE_ACCEPTS.has(headers.accept)) ||
      !Number.isSafeInteger(length) ||
      length > EMBED_BODY_LIMIT_BYTES
    ) {
      return false;
    }
    const started = process.hrtime.bigint();
    readBody(req, length).then(
      (raw) => {
        // A client that went away before sending its body gets no answer, as from body-parser.
        if (raw) handle(req, res, raw, started);
      },
      () => undefined,
    );
    return true;
  };

  return {
    take,
    get served() {
      return served;
    },
  };
}

/** A plain request and response as Express's app.handle makes them: its prototypes (req.path, res.json…) and locals. */
function asExpress(app: Express, req: IncomingMessage, res: ServerResponse): Request {
  const request = Object.setPrototypeOf(req, app.request) as Request;
  const response = Object.setPrototypeOf(res, app.response) as Response;
  request.res = response;
  response.req = request;
  response.locals = Object.create(null) as Response['locals'];
  return request;
}
