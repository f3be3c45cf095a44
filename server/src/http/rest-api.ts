import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Viewer } from '../domain/viewer.js';
import { AppError, badInput } from '../errors.js';
import { clientAddress } from '../rate-limits/express.js';
import { subjectDigest } from '../rate-limits/limiter.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { sendRestError } from './errors.js';

/**
 * One REST route, declared once: the zod schemas here validate the request *and* generate the
 * OpenAPI document (openapi.ts), so the description can never drift from what is enforced.
 */
export interface RouteSpec {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express-style path (`/api/platform/v1/pages/:id`). */
  path: string;
  summary: string;
  /** Longer prose for the reference (the summary when absent). */
  description?: string;
  tag: string;
  /** `apiKey`: X-API-KEY required. `none`: the route checks its own credential (or needs none). */
  auth: 'apiKey' | 'none';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Request media types besides `application/json` that the body may come in (same schema). */
  extraBodyTypes?: readonly string[];
  /** Success status and its body schema (`null` for no body, as with 204). */
  success: { status: number; description: string; schema: z.ZodType | null };
}

export interface RouteInput<S extends RouteSpec> {
  params: S['params'] extends z.ZodObject ? z.output<S['params']> : Record<string, never>;
  query: S['query'] extends z.ZodObject ? z.output<S['query']> : Record<string, never>;
  body: S['body'] extends z.ZodType ? z.output<S['body']> : undefined;
  viewer: S['auth'] extends 'apiKey' ? Viewer : null;
  req: Request;
  res: Response;
}

/** `{ "error": { "code", "message" } }`: every REST failure, whatever the route. */
export const errorBody = z.object({
  error: z.object({
    code: z.enum([
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'CONFLICT',
      'EMBED_UNAVAILABLE',
      'RATE_LIMITED',
      'SERVICE_UNAVAILABLE',
      'INTERNAL_SERVER_ERROR',
    ]),
    message: z.string(),
  }),
});

/** Every spec a router registered, in order, for the OpenAPI document. */
export const registeredRoutes: RouteSpec[] = [];

function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw badInput(result.error.issues.map((issue) => `${[where, ...issue.path].join('.')}: ${issue.message}`).join('; '));
  }
  return result.data;
}

/** Reads every route of a spec set into a router: authenticate, validate, call the handler, present; any failure is a JSON error. */
export class RestApi {
  readonly router = Router();

  constructor(
    private readonly services: Services,
    private readonly logger: Logger,
    private readonly limits: RateLimits,
  ) {}

  /**
   * Runs the credential check of a route that authenticates by itself (the token exchange) under
   * its limits (per address, per embed token, failed authentications of the address), taken in
   * the same round trip as the check.
   */
  exchange<T>(req: Request, embedToken: unknown, attempt: () => Promise<T>): Promise<T> {
    return this.limits.exchangeAndAuthenticate(clientAddress(req), embedToken, attempt);
  }

  /**
   * Registers a route. The handler gets validated input and returns the success body (sent with
   * the spec's status), or `undefined` for a body-less success.
   */
  route<S extends RouteSpec>(spec: S, handler: (input: RouteInput<S>) => Promise<unknown>, ...before: RequestHandler[]): void {
    if (!registeredRoutes.includes(spec)) registeredRoutes.push(spec);
    this.router[spec.method](spec.path, ...before, async (req: Request, res: Response) => {
      try {
        let viewer: Viewer | null = null;
        if (spec.auth === 'apiKey') {
          // A wrong key counts as a failed authentication of the client's address and of the key; a
          // right one is served whatever the address did, and counts the call against the key's and
          // the workspace's quotas, shared with GraphQL.
          const apiKey = req.get('x-api-key');
          viewer = await this.limits.authenticate(
            clientAddress(req),
            () => this.services.principals.authenticate(apiKey),
            (found) => found === null && apiKey !== undefined,
            apiKey,
          );
          if (!viewer || !apiKey) throw new AppError('UNAUTHENTICATED', 'Send a valid API key in the X-API-KEY header.');
          await this.limits.apiCall(subjectDigest(apiKey), viewer.workspace._id);
        }
        const input = {
          params: spec.params ? parseWith(spec.params, req.params, 'path') : {},
          query: spec.query ? parseWith(spec.query, req.query, 'query') : {},
          body: spec.body ? parseWith(spec.body, req.body, 'body') : undefined,
          viewer,
          req,
          res,
        } as RouteInput<S>;
        const body = await handler(input);
        if (res.headersSent) return;
        res.status(spec.success.status);
        if (spec.success.schema === null) res.end();
        else res.json(body);
      } catch (error) {
        sendRestError(res, inRestSpelling(spec, error), (unknown) => this.logger.error({ err: unknown }, 'REST request failed'));
      }
    });
  }
}

const restFieldNames = new WeakMap<RouteSpec, Map<string, string>>();

/** The route's snake_case field names (body, query, path), by their camelCase spelling in the services' messages. */
function fieldNamesOf(spec: RouteSpec): Map<string, string> {
  let names = restFieldNames.get(spec);
  if (names) return names;
  names = new Map();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'properties' && inner && typeof inner === 'object') {
        for (const name of Object.keys(inner))
          if (name.includes('_'))
            names!.set(
              name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
              name,
            );
      }
      visit(inner);
    }
  };
  for (const schema of [spec.body, spec.query, spec.params]) if (schema) visit(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
  restFieldNames.set(spec, names);
  return names;
}

/**
 * A service's BAD_USER_INPUT names fields as GraphQL spells them (`externalId`); a REST caller sent
 * `external_id`, so the message is given back naming the route's own fields.
 */
function inRestSpelling(spec: RouteSpec, error: unknown): unknown {
  if (!(error instanceof AppError) || error.code !== 'BAD_USER_INPUT') return error;
  const names = fieldNamesOf(spec);
  const message = error.message.replace(/\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/g, (word) => names.get(word) ?? word);
  return message === error.message ? error : new AppError('BAD_USER_INPUT', message);
}

/** A path parameter holding one of our ids (or anything that is not: the service answers NOT_FOUND). */
export const idParams = z.object({ id: z.string().min(1).max(128) });

/** Cursor pagination: `limit` (1–200, default 50) and `cursor` (the previous answer's `next_cursor`). */
export const cursorQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).max(128).optional(),
});
