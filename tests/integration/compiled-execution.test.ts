import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { TRUSTED_EMBED_DOCUMENTS } from '../../server/src/graphql/generated/embed-documents.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { asViewer, CALLS, CALLS_PAGE, createPage, createSecret, createUser, ingest, mint, viewerToken } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The embed endpoint executes its trusted documents compiled by graphql-jit inside Apollo's pipeline
 * (`compiledExecution`). Whatever a viewer sends, the answer must be the one graphql-js's interpreter gives: two
 * instances over one store, one compiling and one not (`PORTHOLE_COMPILED_EMBED_QUERIES=false`), get the same requests
 * (renders, ranges and zones, refused variables, refusals from resolvers, every kind of credential) and must answer
 * with the same status and the same bytes.
 */

let compiled: TestServer;
let interpreted: TestServer;
const hashOf = (field: string) => Object.keys(TRUSTED_EMBED_DOCUMENTS).find((hash) => TRUSTED_EMBED_DOCUMENTS[hash]!.includes(`{${field}(`))!;
const PAGE = hashOf('page');
const DASHBOARD = hashOf('dashboard');
const EXPORT = hashOf('exportWidget');
const credentials: Record<string, { token: string; headers?: Record<string, string> }> = {};
let pageId = '';
let rangedPageId = '';
let widgetId = '';

beforeAll(async () => {
  const store = new MemoryStore();
  const masterKey = new Uint8Array(randomBytes(32));
  const env = { NODE_ENV: 'production' };
  compiled = await startTestServer({ store, masterKey, env });
  interpreted = await startTestServer({ store, masterKey, env: { ...env, PORTHOLE_COMPILED_EMBED_QUERIES: 'false' } });
  const t = compiled;
  await ingest(t, 'calls', CALLS);
  await createSecret(t);
  pageId = await createPage(t, CALLS_PAGE);
  rangedPageId = await createPage(t, {
    ...CALLS_PAGE,
    title: 'Ranged',
    timezone: 'America/New_York',
    dateRange: { default: 'LAST_7_DAYS', presets: ['TODAY', 'LAST_7_DAYS', 'LAST_90_DAYS', 'ALL_TIME'], maxDays: 31 },
  });
  credentials['public'] = { token: (await mint(t, { pageId, audience: 'PUBLIC', exports: ['CSV'] })).token };
  credentials['ranged'] = { token: (await mint(t, { pageId: rangedPageId, audience: 'PUBLIC' })).token };
  const workspace = (await mint(t, { pageId, audience: 'WORKSPACE' })).token;
  credentials['workspace, no viewer'] = { token: workspace };
  credentials['workspace, signed in'] = { token: workspace, headers: asViewer(await viewerToken(t)) };
  const revoked = await mint(t, { pageId, audience: 'PUBLIC' });
  await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { revokedAt } }', { id: revoked.id });
  credentials['revoked'] = { token: revoked.token };
  const user = await createUser(t, 'ada');
  const exchanged = await t.gql<{ validateEmbedToken: { authToken: string } }>(
    'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }',
    { t: user.embedToken },
    { apiKey: null },
  );
  credentials['dashboard session'] = { token: exchanged.body.data!.validateEmbedToken.authToken };
  const page = await post(compiled, PAGE, {}, 'public');
  widgetId = (JSON.parse(page.text) as { data: { page: { widgets: Array<{ id: string }> } } }).data.page.widgets[0]!.id;
});
afterAll(async () => {
  await Promise.all([compiled.close(), interpreted.close()]);
});

async function post(t: TestServer, hash: string, variables: unknown, credential: string) {
  const { token, headers = {} } = credentials[credential]!;
  const response = await fetch(`${t.ipUrl}/embed/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables }),
  });
  // An export's one-time URL and its expiry differ by request, whoever executes it.
  const text = (await response.text()).replace(/"url":"[^"]*"/g, '"url":"…"').replace(/"expiresAt":"[^"]*"/g, '"expiresAt":"…"');
  return { status: response.status, text };
}

const cases: Array<[string, string, unknown, string]> = [
  ['a page', PAGE, {}, 'public'],
  ['a page over the last 7 days', PAGE, { range: { preset: 'LAST_7_DAYS' } }, 'public'],
  ['a page in Kolkata', PAGE, { range: { preset: 'ALL_TIME' }, timezone: 'Asia/Kolkata' }, 'public'],
  ['a custom range', PAGE, { range: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' } }, 'public'],
  ['a range that ends before it starts', PAGE, { range: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } }, 'public'],
  ['an unknown time zone', PAGE, { timezone: 'Mars/Olympus' }, 'public'],
  ['an unknown preset', PAGE, { range: { preset: 'NEVER' } }, 'public'],
  ['a range that is not an object', PAGE, { range: 'soon' }, 'public'],
  ['a time zone that is a number', PAGE, { timezone: 5 }, 'public'],
  ['a date that is not one', PAGE, { range: { from: 'yesterday-ish' } }, 'public'],
  ['an unknown variable', PAGE, { nope: 1 }, 'public'],
  ['variables that are a list', PAGE, [1, 2], 'public'],
  ['a page with its own presets', PAGE, {}, 'ranged'],
  ['a preset the page does not offer', PAGE, { range: { preset: 'THIS_YEAR' } }, 'ranged'],
  ['a range longer than the page allows', PAGE, { range: { preset: 'LAST_90_DAYS' } }, 'ranged'],
  ['a workspace page, no viewer', PAGE, {}, 'workspace, no viewer'],
  ['a workspace page, signed in', PAGE, {}, 'workspace, signed in'],
  ['a revoked token', PAGE, {}, 'revoked'],
  ['a dashboard', DASHBOARD, {}, 'dashboard session'],
  ['a dashboard page over 30 days', DASHBOARD, { ranges: [{ pageId: 'PAGE', range: { preset: 'LAST_30_DAYS' } }] }, 'dashboard session'],
  ['a dashboard range for an unknown page', DASHBOARD, { ranges: [{ pageId: 'nope', range: {} }] }, 'dashboard session'],
  ['dashboard ranges missing a range', DASHBOARD, { ranges: [{ pageId: 'PAGE' }] }, 'dashboard session'],
  ['a page document with a dashboard session', PAGE, {}, 'dashboard session'],
  ['a dashboard document with a page token', DASHBOARD, {}, 'public'],
  ['an export', EXPORT, { widgetId: 'WIDGET', format: 'CSV' }, 'public'],
  ['an export the token does not allow', EXPORT, { widgetId: 'WIDGET', format: 'XLSX' }, 'public'],
  ['an export of an unknown widget', EXPORT, { widgetId: 'nope', format: 'CSV' }, 'public'],
  ['an export in an unknown format', EXPORT, { widgetId: 'WIDGET', format: 'PDF' }, 'public'],
  ['an export without a widget', EXPORT, { format: 'CSV' }, 'public'],
];

test.each(cases)('%s: compiled and interpreted answer alike', async (_name, hash, variables, credential) => {
  const filled = JSON.parse(JSON.stringify(variables).replaceAll('"PAGE"', JSON.stringify(pageId)).replaceAll('"WIDGET"', JSON.stringify(widgetId))) as unknown;
  const [fromCompiled, fromInterpreted] = [await post(compiled, hash, filled, credential), await post(interpreted, hash, filled, credential)];
  expect(fromCompiled).toEqual(fromInterpreted);
});

test('the cases reach every kind of answer: data, resolver refusals, refused variables and refused credentials', async () => {
  const statuses = new Set<number>();
  const codes = new Set<string>();
  for (const [, hash, variables, credential] of cases) {
    const filled = JSON.parse(
      JSON.stringify(variables).replaceAll('"PAGE"', JSON.stringify(pageId)).replaceAll('"WIDGET"', JSON.stringify(widgetId)),
    ) as unknown;
    const answer = await post(compiled, hash, filled, credential);
    statuses.add(answer.status);
    for (const match of answer.text.matchAll(/"code":"([A-Z_]+)"/g)) codes.add(match[1]!);
  }
  expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 401, 403]));
  expect([...codes]).toEqual(expect.arrayContaining(['BAD_USER_INPUT', 'EMBED_UNAVAILABLE']));
});
