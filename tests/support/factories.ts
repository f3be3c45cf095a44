import type { TestServer } from './server.js';

/** Small builders for test data, all through the public API. */

export const EMBEDDED_PAGE_FIELDS = 'id title description refreshSeconds widgets { id title kind data { columns rows } }';
export const PAGE_QUERY = `{ page { ${EMBEDDED_PAGE_FIELDS} } }`;
export const DASHBOARD_QUERY = `{ dashboard { pages { ${EMBEDDED_PAGE_FIELDS} } } }`;

function dataOf<T>(response: { body: { data?: T | null; errors?: unknown } }, what: string): T {
  if (!response.body.data || response.body.errors) throw new Error(`${what} failed: ${JSON.stringify(response.body.errors)}`);
  return response.body.data;
}

export async function createUser(t: TestServer, externalId: string, apiKey = t.apiKey): Promise<{ id: string; embedToken: string }> {
  const response = await t.gql<{ createUser: { user: { id: string }; embedToken: string } }>(
    'mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } embedToken } }',
    { input: { externalId, email: `${externalId}@example.com` } },
    { apiKey },
  );
  const { createUser: created } = dataOf(response, 'createUser');
  return { id: created.user.id, embedToken: created.embedToken };
}

export async function ingest(t: TestServer, dataset: string, records: Array<Record<string, unknown>>, apiKey = t.apiKey): Promise<number> {
  const response = await t.gql<{ ingestRecords: { inserted: number } }>(
    'mutation($dataset: String!, $records: [JSONObject!]!) { ingestRecords(dataset: $dataset, records: $records) { inserted } }',
    { dataset, records },
    { apiKey },
  );
  return dataOf(response, 'ingestRecords').ingestRecords.inserted;
}

export async function createPage(t: TestServer, input: Record<string, unknown>, apiKey = t.apiKey): Promise<string> {
  const response = await t.gql<{ createPage: { id: string } }>(
    'mutation($input: CreatePageInput!) { createPage(input: $input) { id } }',
    { input },
    { apiKey },
  );
  return dataOf(response, 'createPage').createPage.id;
}

export async function createSecret(t: TestServer, apiKey = t.apiKey): Promise<{ id: string; plaintext: string }> {
  const response = await t.gql<{ createSigningSecret: { secret: { id: string }; plaintext: string } }>(
    'mutation { createSigningSecret(name: "test") { secret { id } plaintext } }',
    {},
    { apiKey },
  );
  const { createSigningSecret: created } = dataOf(response, 'createSigningSecret');
  return { id: created.secret.id, plaintext: created.plaintext };
}

export interface Minted {
  id: string;
  token: string;
  expiresAt: string;
  embedUrl: string;
  snippet: string;
  audience: string;
}

export async function mint(t: TestServer, input: Record<string, unknown>, apiKey = t.apiKey): Promise<Minted> {
  const response = await t.gql<{ mintPageEmbed: Minted }>(
    'mutation($input: MintPageEmbedInput!) { mintPageEmbed(input: $input) { id token expiresAt embedUrl snippet audience } }',
    { input },
    { apiKey },
  );
  return dataOf(response, 'mintPageEmbed').mintPageEmbed;
}

export async function createPrincipal(
  t: TestServer,
  input: { name: string; kind?: 'MEMBER' | 'AGENT'; role?: 'ADMIN' | 'MEMBER'; dataAccess?: Record<string, unknown> },
  apiKey = t.apiKey,
): Promise<{ id: string; apiKey: string }> {
  const response = await t.gql<{ createPrincipal: { principal: { id: string }; apiKey: string } }>(
    'mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { principal { id } apiKey } }',
    { input: { kind: 'MEMBER', role: 'MEMBER', dataAccess: { all: true }, ...input } },
    { apiKey },
  );
  const { createPrincipal: created } = dataOf(response, 'createPrincipal');
  return { id: created.principal.id, apiKey: created.apiKey };
}

/** A small "calls" dataset: three owners, known counts and sums. */
export const CALLS = [
  { owner: 'ada', at: '2026-11-01T10:00:00Z', channel: 'phone', minutes: 10 },
  { owner: 'ada', at: '2026-11-01T12:00:00Z', channel: 'chat', minutes: 4 },
  { owner: 'ada', at: '2026-11-02T09:00:00Z', channel: 'phone', minutes: 6 },
  { owner: 'grace', at: '2026-11-02T10:00:00Z', channel: 'email', minutes: 20 },
  { owner: 'grace', at: '2026-11-03T10:00:00Z', channel: 'phone', minutes: 2 },
  { owner: 'alan', at: '2026-11-03T11:00:00Z', channel: 'chat', minutes: 8 },
];

export const CALLS_PAGE = {
  title: 'Calls',
  description: 'All calls',
  dashboard: true,
  widgets: [
    { title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } },
    { title: 'Minutes', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'SUM', field: 'minutes' } } },
    { title: 'By channel', kind: 'BAR', query: { dataset: 'calls', groupBy: 'channel', metric: { fn: 'COUNT' } } },
    { title: 'Per day', kind: 'LINE', query: { dataset: 'calls', bucket: 'DAY', metric: { fn: 'SUM', field: 'minutes' } } },
    {
      title: 'Latest',
      kind: 'TABLE',
      query: { dataset: 'calls', select: ['owner', 'channel', 'minutes'], sort: { field: 'at', direction: 'DESC' }, limit: 3 },
    },
  ],
};

/**
 * Signs `apiKey`'s principal in to the console and returns a viewer token for it: what the
 * "Sign in to view" popup hands a SELF or WORKSPACE embed (sent as `X-Porthole-Viewer`).
 */
export async function viewerToken(t: TestServer, apiKey = t.apiKey): Promise<string> {
  const session = await fetch(`${t.ipUrl}/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey }),
  });
  if (session.status !== 201) throw new Error(`console sign-in failed: ${session.status} ${await session.text()}`);
  const cookie = (session.headers.getSetCookie()[0] ?? '').split(';')[0]!;
  const issued = await fetch(`${t.ipUrl}/console/viewer-token`, { method: 'POST', headers: { cookie } });
  const body = (await issued.json()) as { viewerToken?: string };
  if (!body.viewerToken) throw new Error(`viewer token refused: ${issued.status} ${JSON.stringify(body)}`);
  return body.viewerToken;
}

/** The `X-Porthole-Viewer` header of a signed-in viewer, for `t.embedGql`. */
export const asViewer = (token: string): Record<string, string> => ({ 'x-porthole-viewer': token });
