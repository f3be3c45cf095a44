import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { PAGE_QUERY_HASH } from '../../client/src/generated/embed-documents.js';
import { CALLS, CALLS_PAGE, createPage, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * `/embed/graphql` is served on Node's own request and response, in front of Express (issue 21): what Express's
 * middleware did for it must still happen there, answered exactly as before, on every spelling of the path Express's
 * mount matched.
 */

let t: TestServer;
let token: string;
const PAGE_BODY = JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: PAGE_QUERY_HASH } } });

beforeAll(async () => {
  t = await startTestServer({ env: { NODE_ENV: 'production' } });
  await ingest(t, 'calls', CALLS);
  const pageId = await createPage(t, CALLS_PAGE);
  await createSecret(t);
  token = (await mint(t, { pageId, audience: 'PUBLIC' })).token;
});
afterAll(async () => {
  await t.close();
});

async function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array<ArrayBuffer> } = {}) {
  const response = await fetch(`${t.ipUrl}${path}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const codeOf = (body: Record<string, unknown>) => (body['errors'] as Array<{ extensions: { code: string } }> | undefined)?.[0]?.extensions.code;

describe('the paths Express matched are all the endpoint', () => {
  test.each(['/embed/graphql', '/embed/graphql/', '/EMBED/GraphQL', '/embed/graphql?from=host', '/embed/graphql/anything'])(
    '%s renders the page',
    async (path) => {
      const response = await send(path, { body: PAGE_BODY });
      expect(response.status).toBe(200);
      expect((response.body['data'] as { page: { title: string } }).page.title).toBe('Calls');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(response.text)));
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  test('a request line in absolute form is the endpoint too, as Express read it', async () => {
    const url = new URL(t.ipUrl);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: `${t.ipUrl}/Embed/GraphQL/?from=proxy`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        },
      );
      req.on('error', reject);
      req.end(PAGE_BODY);
    });
    expect(status).toBe(200);
  });

  test('an encoded slash is not the endpoint: 404 from the app, as before', async () => {
    const response = await send('/embed%2Fgraphql', { body: PAGE_BODY });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found.' } });
  });
});

describe('bodies are read by body-parser and refused in the GraphQL shape', () => {
  test('malformed JSON is 400 BAD_REQUEST, with or without a credential', async () => {
    for (const headers of [{}, { authorization: '' }] as Array<Record<string, string>>) {
      const response = await send('/embed/graphql', { headers, body: '{"extensions":' });
      expect([response.status, response.body]).toEqual([
        400,
        { errors: [{ message: 'The request body could not be read as JSON.', extensions: { code: 'BAD_REQUEST' } }] },
      ]);
    }
  });

  test('a body over 64 kB is 413, one nested too deep 400, and neither is echoed', async () => {
    const large = await send('/embed/graphql', { body: JSON.stringify({ query: 'x'.repeat(70_000) }) });
    expect([large.status, codeOf(large.body)]).toEqual([413, 'BAD_REQUEST']);
    expect(large.text).toContain('limit of 65536 bytes');
    const deep = await send('/embed/graphql', { body: `${'['.repeat(200)}${']'.repeat(200)}` });
    expect([deep.status, codeOf(deep.body)]).toEqual([400, 'BAD_REQUEST']);
    expect(deep.text).not.toContain('[[');
  });

  test('a gzip body is read; a text/plain one reaches Apollo without a body and is refused as a possible CSRF', async () => {
    const gzipped = await send('/embed/graphql', { headers: { 'content-encoding': 'gzip' }, body: new Uint8Array(gzipSync(PAGE_BODY)) });
    expect(gzipped.status).toBe(200);
    const plain = await send('/embed/graphql', { headers: { 'content-type': 'text/plain' }, body: PAGE_BODY });
    expect([plain.status, codeOf(plain.body)]).toEqual([400, 'BAD_REQUEST']);
    expect(plain.text).toContain('Cross-Site Request Forgery');
  });

  test('a query text over 4 000 characters is refused before Apollo parses it', async () => {
    const response = await send('/embed/graphql', { body: JSON.stringify({ query: `{ __typename ${' '.repeat(5000)} }` }) });
    expect([response.status, codeOf(response.body)]).toEqual([400, 'BAD_USER_INPUT']);
    const get = await send(`/embed/graphql?query=${encodeURIComponent(`{ __typename ${' '.repeat(5000)} }`)}`, {
      method: 'GET',
      headers: { 'apollo-require-preflight': '1' },
    });
    expect([get.status, codeOf(get.body)]).toEqual([400, 'BAD_USER_INPUT']);
  });
});

describe('Apollo answers the rest, through the credential check', () => {
  test('a bad credential is 401 EMBED_UNAVAILABLE, the same bytes whatever the method', async () => {
    const answers = await Promise.all(
      ['POST', 'GET', 'OPTIONS'].map((method) =>
        send('/embed/graphql', { method, headers: { authorization: 'Bearer abc.def.ghi' }, ...(method === 'POST' ? { body: PAGE_BODY } : {}) }),
      ),
    );
    for (const response of answers) {
      expect([response.status, response.text, response.headers.get('cache-control')]).toEqual([
        401,
        '{"errors":[{"message":"This embed is unavailable.","extensions":{"code":"EMBED_UNAVAILABLE"}}]}\n',
        'no-store',
      ]);
    }
  });

  test('a GET with a preflight header renders; a PUT is 405 with Allow', async () => {
    const search = `extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: PAGE_QUERY_HASH } }))}`;
    const get = await send(`/embed/graphql?${search}`, { method: 'GET', headers: { 'apollo-require-preflight': '1' } });
    expect(get.status).toBe(200);
    const put = await send('/embed/graphql', { method: 'PUT', body: PAGE_BODY });
    expect([put.status, put.headers.get('allow'), codeOf(put.body)]).toEqual([405, 'GET, POST', 'BAD_REQUEST']);
  });

  test('every answer is in the request log, without its query string or token', async () => {
    const before = t.logs.length;
    await send('/embed/graphql?secret=shh', { body: PAGE_BODY });
    const line = t.logs
      .slice(before)
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry['msg'] === 'request');
    expect(line).toMatchObject({ method: 'POST', path: '/embed/graphql', status: 200 });
    expect(t.logs.slice(before).join('')).not.toContain('shh');
    expect(t.logs.slice(before).join('')).not.toContain(token);
  });
});
