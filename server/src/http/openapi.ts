import { z } from 'zod';
import { errorBody, registeredRoutes, type RouteSpec } from './rest-api.js';

/**
 * The OpenAPI 3.1 document of the REST surface, generated from the same zod schemas that
 * validate each route (zod 4's JSON Schema output, dialect 2020-12, which OpenAPI 3.1 uses).
 * Nothing here is written by hand beside them: a route that is registered is described.
 */

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return withoutSafeIntegerBounds(rest) as JsonSchema;
}

/**
 * zod writes `int()` as ±(2^53 − 1) bounds, which read as limits and are none: they are dropped,
 * so the bounds left are the ones a validator enforces (`.min()`, `.max()`).
 */
function withoutSafeIntegerBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSafeIntegerBounds);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as JsonSchema).filter(
    ([key, inner]) => !((key === 'minimum' && inner === Number.MIN_SAFE_INTEGER) || (key === 'maximum' && inner === Number.MAX_SAFE_INTEGER)),
  );
  return Object.fromEntries(entries.map(([key, inner]) => [key, withoutSafeIntegerBounds(inner)]));
}

/** A plausible value for a schema, for the document's examples (generated, so it always fits the schema's shape). */
function exampleOf(schema: JsonSchema, name = ''): unknown {
  if ('example' in schema) return schema['example'];
  if (Array.isArray(schema['enum'])) return schema['enum'][0];
  if ('const' in schema) return schema['const'];
  const variants = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (variants) return exampleOf(variants.find((variant) => variant['type'] !== 'null') ?? variants[0]!, name);
  const type = Array.isArray(schema['type']) ? (schema['type'] as string[]).find((entry) => entry !== 'null') : schema['type'];
  switch (type) {
    case 'object': {
      const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(Object.entries(properties).map(([key, inner]) => [key, exampleOf(inner, key)]));
    }
    case 'array':
      return schema['items'] ? [exampleOf(schema['items'] as JsonSchema, name)] : [];
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? Math.max(schema['minimum'], Math.min(1, Number(schema['maximum'] ?? 1))) : 1;
    case 'boolean':
      return true;
    case 'string':
      return stringExample(schema, name);
    default:
      return null;
  }
}

const STRING_EXAMPLES: Record<string, string> = {
  token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2NWYwIn0.c2lnbmF0dXJlLW9mLTQzLWNoYXJhY3RlcnMtZXhhbXBsZQ',
  embed_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2NWYwIn0.c2lnbmF0dXJlLW9mLTQzLWNoYXJhY3RlcnMtZXhhbXBsZQ',
  auth_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2NWYwIn0.c2Vzc2lvbi1zaWduYXR1cmUtZXhhbXBsZS0xMjM0NTY3',
  external_id: 'customer-42',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  title: 'Calls this month',
  dataset: 'calls',
  field: 'channel',
  timezone: 'Europe/Berlin',
  locale: 'de-DE',
  snippet: '<iframe src="https://porthole.example/embed-page/acme/65f0…?t=…" title="Calls" style="width:100%;height:600px;border:0"></iframe>',
};

function stringExample(schema: JsonSchema, name: string): string {
  if (schema['format'] === 'date-time') return '2026-12-01T09:00:00.000Z';
  if (schema['format'] === 'email') return 'ada@example.com';
  if (schema['format'] === 'uri' || name.endsWith('url')) return 'https://porthole.example/embed-page/acme/65f0a1b2c3d4e5f6a7b8c9d0?t=…';
  if (name === 'id' || name.endsWith('_id')) return '65f0a1b2c3d4e5f6a7b8c9d0e1f2';
  return STRING_EXAMPLES[name] ?? 'text';
}

/** The failures every operation may answer, each a `{ "error": { "code", "message" } }` with its status's headers. */
const ERROR_RESPONSES: Record<string, { description: string; codes: string[]; headers?: string[] }> = {
  '400': { description: 'The request is invalid; the message names the field (as this API spells it) and what it accepts.', codes: ['BAD_USER_INPUT'] },
  '401': {
    description: 'No valid API key in `X-API-KEY` (or, for the token exchange, an embed token that does not open).',
    codes: ['UNAUTHENTICATED', 'EMBED_UNAVAILABLE'],
  },
  '403': { description: 'The API key is valid, but its principal may not do this.', codes: ['FORBIDDEN'] },
  '404': { description: 'No such resource — or one the caller may not know exists.', codes: ['NOT_FOUND'] },
  '409': { description: 'It conflicts with what is stored (a duplicate, or a change made meanwhile).', codes: ['CONFLICT'] },
  '429': {
    description: 'Too many requests: wait `Retry-After` seconds. `RateLimit-Policy` and `RateLimit` say which limit and how much is left.',
    codes: ['RATE_LIMITED'],
    headers: ['Retry-After', 'RateLimit-Policy', 'RateLimit'],
  },
  '503': { description: 'The store is unavailable for a moment; retry after `Retry-After` seconds.', codes: ['SERVICE_UNAVAILABLE'], headers: ['Retry-After'] },
};

const HEADERS: Record<string, JsonSchema> = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 }, example: 30 },
  'RateLimit-Policy': {
    description: 'The limit that applies (IETF RateLimit fields): name, quota `q`, window `w` in seconds.',
    schema: { type: 'string' },
    example: '"api";q=600;w=60',
  },
  RateLimit: { description: 'Where the caller stands: remaining `r`, seconds to reset `t`.', schema: { type: 'string' }, example: '"api";r=0;t=30' },
};

function errorResponses(): Record<string, JsonSchema> {
  const schema = toJsonSchema(errorBody, 'output');
  return Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, { description, codes, headers }]) => [
      `Error${status}`,
      {
        description,
        ...(headers ? { headers: Object.fromEntries(headers.map((name) => [name, { $ref: `#/components/headers/${name}` }])) } : {}),
        content: { 'application/json': { schema, example: { error: { code: codes[0], message: description.split(';')[0]!.split(':')[0] } } } },
      },
    ]),
  );
}

function parametersOf(schema: z.ZodObject | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = toJsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || (object.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

const openApiPath = (path: string): string => path.replace(/:([A-Za-z_]+)/g, '{$1}');

function operationOf(spec: RouteSpec): JsonSchema {
  const content = (schema: z.ZodType, io: 'input' | 'output') => {
    const json = toJsonSchema(schema, io);
    return { 'application/json': { schema: json, example: exampleOf(json) } };
  };
  const requestBody = spec.body
    ? {
        required: true,
        content: {
          ...content(spec.body, 'input'),
          ...Object.fromEntries(
            (spec.extraBodyTypes ?? []).map((type) => [
              type,
              { schema: { type: 'string', description: 'One JSON record per line (each as in the application/json array).' } },
            ]),
          ),
        },
      }
    : undefined;
  return {
    operationId: `${spec.method}${spec.path.replace(/^\/api/, '').replace(/[^A-Za-z0-9]+/g, '_')}`,
    summary: spec.summary,
    description: `${spec.description ?? spec.summary}\n\n${
      spec.auth === 'apiKey' ? 'Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.' : 'Needs no API key.'
    }`,
    tags: [spec.tag],
    ...(spec.auth === 'apiKey' ? { security: [{ apiKey: [] }] } : { security: [] }),
    parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [String(spec.success.status)]: {
        description: spec.success.description,
        ...(spec.success.schema ? { content: content(spec.success.schema, 'output') } : {}),
      },
      ...Object.fromEntries(Object.keys(ERROR_RESPONSES).map((status) => [status, { $ref: `#/components/responses/Error${status}` }])),
      default: {
        description: 'Any other failure (413 body too large, 500): the same error body.',
        content: { 'application/json': { schema: toJsonSchema(errorBody, 'output') } },
      },
    },
  };
}

/** Builds the document for every route registered so far, served from `serverUrl`. */
export function openApiDocument(serverUrl?: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of registeredRoutes) (paths[openApiPath(spec.path)] ??= {})[spec.method] = operationOf(spec);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Porthole REST API',
      version: '1',
      description:
        'The REST twin of the GraphQL API (POST /graphql): snake_case JSON, the same API key (X-API-KEY), the same rules. Every error is `{ "error": { "code", "message" } }`.',
    },
    servers: [{ url: serverUrl || '/', description: 'This Porthole server' }],
    tags: [...new Set(registeredRoutes.map((spec) => spec.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY', description: 'An API key (`ph_…`): Settings → API keys in the console.' } },
      responses: errorResponses(),
      headers: HEADERS,
    },
  };
}
