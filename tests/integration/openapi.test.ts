import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { validate, compileErrors } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createSecret, createUser } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * GET /api/openapi.json is a valid OpenAPI 3.1 document, and every route it describes answers
 * what it says: each operation is called over HTTP and its real answer (success and failure)
 * is validated against the document's JSON Schema for that status.
 */

type Json = Record<string, unknown>;
interface Response {
  $ref?: string;
  description?: string;
  headers?: Record<string, Json>;
  content?: { 'application/json'?: { schema: Json; example?: unknown } };
}
interface Operation {
  description?: string;
  requestBody?: { content: Record<string, { schema: Json; example?: unknown }> };
  responses: Record<string, Response>;
}

// ajv-formats is CommonJS: under ESM its function may arrive as `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

let t: TestServer;
let doc: {
  openapi: string;
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, Response> };
};
/** A response, its `$ref` (to components.responses) followed. */
const resolved = (response: Response | undefined): Response | undefined =>
  response?.$ref ? doc.components.responses[response.$ref.replace('#/components/responses/', '')] : response;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
/** `METHOD /doc/path` → the statuses seen for it. */
const seen = new Map<string, Set<number>>();

beforeAll(async () => {
  t = await startTestServer();
  await createSecret(t);
  const response = await fetch(`${t.ipUrl}/api/openapi.json`);
  expect(response.status).toBe(200);
  doc = (await response.json()) as typeof doc;
});
afterAll(async () => {
  await t.close();
});

/** The document's path template that a concrete path matches. */
function templateOf(method: string, path: string): string {
  const pathname = path.split('?')[0]!;
  const found = Object.keys(doc.paths).find(
    (template) => doc.paths[template]![method.toLowerCase()] && new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname),
  );
  if (!found) throw new Error(`No operation in the document for ${method} ${pathname}`);
  return found;
}

/** Calls a route and checks its answer against the document: status documented (or default), body valid against that schema. */
async function conforming(method: string, path: string, body?: unknown, options: { apiKey?: string | null; raw?: { type: string; text: string } } = {}) {
  const key = options.apiKey === undefined ? t.apiKey : options.apiKey;
  const headers: Record<string, string> = key ? { 'x-api-key': key } : {};
  let payload: string | undefined;
  if (options.raw) [headers['content-type'], payload] = [options.raw.type, options.raw.text];
  else if (body !== undefined) [headers['content-type'], payload] = ['application/json', JSON.stringify(body)];
  const response = await fetch(`${t.ipUrl}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await response.text();
  const template = templateOf(method, path);
  const operation = doc.paths[template]![method.toLowerCase()]!;
  const documented = resolved(operation.responses[String(response.status)] ?? operation.responses['default']);
  expect(documented).toBeDefined();
  const schema = documented!.content?.['application/json']?.schema;
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (schema) {
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const valid = ajv.validate(schema, parsed);
    if (!valid) throw new Error(`${method} ${path} → ${response.status} does not match the document: ${ajv.errorsText()}\n${text.slice(0, 500)}`);
  } else {
    expect(text).toBe('');
  }
  const key2 = `${method.toUpperCase()} ${template}`;
  if (!seen.has(key2)) seen.set(key2, new Set());
  seen.get(key2)!.add(response.status);
  return { status: response.status, body: parsed as Json };
}

describe('the OpenAPI document', () => {
  test('is valid OpenAPI 3.1 by @readme/openapi-parser', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as never);
    if (!result.valid) throw new Error(compileErrors(result));
    expect(result.valid).toBe(true);
  });

  test('describes every REST route, request schemas included', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        'DELETE /api/platform/v1/datasets/{dataset}/records',
        'DELETE /api/platform/v1/embeds/{id}',
        'DELETE /api/platform/v1/pages/{id}',
        'DELETE /api/v1/users/{id}',
        'GET /api/platform/v1/audit',
        'GET /api/platform/v1/pages',
        'GET /api/platform/v1/pages/{id}',
        'GET /api/platform/v1/pages/{id}/embeds',
        'GET /api/v1/users',
        'GET /api/v1/users/{id}',
        'GET /api/v1/users/{id}/embed-token',
        'PATCH /api/platform/v1/pages/{id}',
        'POST /api/platform/v1/datasets/{dataset}/records',
        'POST /api/platform/v1/pages',
        'POST /api/platform/v1/pages/{id}/embed-token',
        'POST /api/v1/users',
        'POST /api/v1/users/{id}/embed-token',
        'POST /api/v1/users/{id}/reactivate',
        'POST /api/v1/users/{id}/suspend',
        'POST /api/validate-embed-token',
      ].sort(),
    );
    const createPage = doc.paths['/api/platform/v1/pages']!['post'] as unknown as { requestBody: { content: Record<string, { schema: Json }> } };
    expect(createPage.requestBody.content['application/json']!.schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['title', 'widgets']),
    });
    const ingest = doc.paths['/api/platform/v1/datasets/{dataset}/records']!['post'] as unknown as { requestBody: { content: Record<string, unknown> } };
    expect(Object.keys(ingest.requestBody.content).sort()).toEqual(['application/json', 'application/x-ndjson']);
  });
});

describe('real answers conform to the document', () => {
  test('every operation, on success and on failure', async () => {
    const widgets = [{ title: 'n', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }];
    // Pages and embeds.
    const page = (await conforming('POST', '/api/platform/v1/pages', { title: 'Doc', widgets })).body['page'] as { id: string };
    await conforming('POST', '/api/platform/v1/pages', { title: 'x', widgets: [{ title: 'x', kind: 'PIE', query: {} }] });
    await conforming('GET', '/api/platform/v1/pages?limit=1');
    await conforming('GET', '/api/platform/v1/pages', undefined, { apiKey: null });
    await conforming('GET', `/api/platform/v1/pages/${page.id}`);
    await conforming('GET', '/api/platform/v1/pages/missing');
    await conforming('PATCH', `/api/platform/v1/pages/${page.id}`, { description: 'changed' });
    const minted = (await conforming('POST', `/api/platform/v1/pages/${page.id}/embed-token`, { audience: 'public', origins: ['https://partner.example'] }))
      .body;
    await conforming('POST', `/api/platform/v1/pages/${page.id}/embed-token`, { audience: 'everyone' });
    await conforming('GET', `/api/platform/v1/pages/${page.id}/embeds`);
    await conforming('DELETE', `/api/platform/v1/embeds/${String(minted['id'])}`);
    await conforming('DELETE', '/api/platform/v1/embeds/missing');
    // Records.
    await conforming('POST', '/api/platform/v1/datasets/calls/records', [{ id: 'a', owner: 'ada', minutes: 3 }]);
    await conforming('POST', '/api/platform/v1/datasets/calls/records', undefined, {
      raw: { type: 'application/x-ndjson', text: '{"id":"a","owner":"ada"}\n{"id":"b"}' },
    });
    await conforming('POST', '/api/platform/v1/datasets/calls/records', 'not a list');
    await conforming('DELETE', '/api/platform/v1/datasets/calls/records?owner=ada');
    await conforming('DELETE', '/api/platform/v1/datasets/calls/records');
    // Users.
    const created = (await conforming('POST', '/api/v1/users', { external_id: 'doc-user', email: 'doc@example.com' })).body;
    await conforming('POST', '/api/v1/users', { external_id: 'doc-user' });
    const id = (created['user'] as { id: string }).id;
    await conforming('GET', '/api/v1/users?search=doc&limit=5');
    await conforming('GET', `/api/v1/users/${id}`);
    await conforming('GET', '/api/v1/users/missing');
    const token = (await conforming('GET', `/api/v1/users/${id}/embed-token`)).body['embed_token'] as string;
    await conforming('POST', '/api/validate-embed-token', { embed_token: token }, { apiKey: null });
    await conforming('POST', '/api/validate-embed-token', { embed_token: 'forged' }, { apiKey: null });
    await conforming('POST', `/api/v1/users/${id}/embed-token`);
    await conforming('POST', `/api/v1/users/${id}/suspend`);
    await conforming('POST', `/api/v1/users/${id}/reactivate`);
    await conforming('DELETE', `/api/v1/users/${id}?erase_records=true`);
    await conforming('DELETE', `/api/v1/users/${(await createUser(t, 'doc-user-2')).id}`);
    await conforming('DELETE', '/api/platform/v1/pages/missing');
    await conforming('DELETE', `/api/platform/v1/pages/${page.id}`);
    // The audit trail.
    await conforming('GET', '/api/platform/v1/audit?limit=2&action=embed.mint');
    await conforming('GET', '/api/platform/v1/audit?limit=9999');

    // Every documented operation was called and answered its documented success status at least once.
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const success = Object.keys(operation.responses).find((status) => status !== 'default')!;
        expect([`${method.toUpperCase()} ${path}`, seen.get(`${method.toUpperCase()} ${path}`)?.has(Number(success))]).toEqual([
          `${method.toUpperCase()} ${path}`,
          true,
        ]);
      }
    }
    // And failures were seen too, each validated against the error schema.
    const failures = [...seen.values()].flatMap((statuses) => [...statuses]).filter((status) => status >= 400);
    expect(new Set(failures)).toEqual(new Set([400, 401, 404, 409]));
  });
});

describe('one spelling', () => {
  test('an audience in the GraphQL spelling is a 400 naming the REST one', async () => {
    const page = (await t.rest('POST', '/api/platform/v1/pages', { title: 'Spelling', widgets: [] }, { 'x-api-key': t.apiKey })).body['page'] as { id: string };
    const answer = await t.rest('POST', `/api/platform/v1/pages/${page.id}/embed-token`, { audience: 'PUBLIC' }, { 'x-api-key': t.apiKey });
    expect(answer.status).toBe(400);
    expect((answer.body['error'] as { message: string }).message).toContain('use "public"');
  });
});

// Last: compiling every schema takes seconds, and a request after that long idle can meet a keep-alive socket the server just closed.
describe('a contract worth generating clients from', () => {
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

  test('names its server, and gives every operation a description and examples of what it takes and answers', () => {
    expect(doc.servers).toEqual([{ url: t.url, description: 'This Porthole server' }]);
    for (const { path, method, operation } of operations()) {
      expect([path, method, (operation.description ?? '').length > 20]).toEqual([path, method, true]);
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'))!;
      const json = success[1].content?.['application/json'];
      if (json) expect([path, method, json.example !== undefined && ajv.validate(json.schema, json.example)]).toEqual([path, method, true]);
      const body = operation.requestBody?.content['application/json'];
      if (body) expect([path, method, body.example !== undefined]).toEqual([path, method, true]);
    }
  });

  test('tells 400, 401, 403, 404, 409, 429 and 503 apart, with the error schema and the rate-limit headers', () => {
    for (const { path, method, operation } of operations()) {
      expect([path, method, ['400', '401', '403', '404', '409', '429', '503'].every((status) => status in operation.responses)]).toEqual([path, method, true]);
    }
    const limited = doc.components.responses['Error429']!;
    expect(Object.keys(limited.headers ?? {}).sort()).toEqual(['RateLimit', 'RateLimit-Policy', 'Retry-After']);
    expect(Object.keys(doc.components.responses['Error503']!.headers ?? {})).toEqual(['Retry-After']);
    expect(ajv.validate(limited.content!['application/json']!.schema, { error: { code: 'RATE_LIMITED', message: 'Too many requests.' } })).toBe(true);
  });

  test('has no made-up integer bounds, and one spelling for rule operators, presets and audiences', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain('9007199254740991');
    const mint = doc.paths['/api/platform/v1/pages/{id}/embed-token']!['post']!.requestBody!.content['application/json']!.schema as {
      properties: Record<string, Json & { items?: { properties: Record<string, Json> } }>;
    };
    expect(mint.properties['audience']).toMatchObject({ enum: ['self', 'workspace', 'public'] });
    expect(mint.properties['rules']!.items!.properties['op']).toMatchObject({ enum: ['EQ', 'NE', 'GT', 'GTE', 'LT', 'LTE', 'IN', 'NIN'] });
    expect(mint.properties['ttl_seconds']).toMatchObject({ type: 'integer', minimum: 1 });
  });
});
