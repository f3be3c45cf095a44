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
  return rest;
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
  const content = (schema: z.ZodType, io: 'input' | 'output') => ({ 'application/json': { schema: toJsonSchema(schema, io) } });
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
    tags: [spec.tag],
    ...(spec.auth === 'apiKey' ? { security: [{ apiKey: [] }] } : { security: [] }),
    parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [String(spec.success.status)]: {
        description: spec.success.description,
        ...(spec.success.schema ? { content: content(spec.success.schema, 'output') } : {}),
      },
      default: {
        description: 'Any failure: `{ "error": { "code", "message" } }` with the status the code maps to (400, 401, 403, 404, 409, 413, 429, 500, 503).',
        content: content(errorBody, 'output'),
      },
    },
  };
}

/** Builds the document for every route registered so far. */
export function openApiDocument(): JsonSchema {
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
    tags: [...new Set(registeredRoutes.map((spec) => spec.tag))].map((name) => ({ name })),
    paths,
    components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY' } } },
  };
}
