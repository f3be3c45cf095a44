import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { asViewer, CALLS_PAGE, createPrincipal, createSecret, createUser, mint, viewerToken } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The REST surface over real HTTP, as a partner's engineer would use it: the page lifecycle,
 * retry-safe ingestion, erasure, end users, and JSON errors for every failure.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await createSecret(t);
});
afterAll(async () => {
  await t.close();
});

const viewers = new Map<string, Promise<string>>();
/** The `X-Porthole-Viewer` header of `apiKey`'s principal, signed in (one per key): SELF and WORKSPACE embeds need one. */
function viewerOf(apiKey = t.apiKey): Promise<Record<string, string>> {
  if (!viewers.has(apiKey)) viewers.set(apiKey, viewerToken(t, apiKey));
  return viewers.get(apiKey)!.then(asViewer);
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

/** One REST call: JSON unless `raw` (with its content type) is given; the acme admin's key unless `apiKey` says otherwise. */
async function call(
  method: string,
  path: string,
  body?: unknown,
  options: { apiKey?: string | null; raw?: { type: string; text: string } } = {},
): Promise<Answer> {
  const key = options.apiKey === undefined ? t.apiKey : options.apiKey;
  const headers: Record<string, string> = { accept: 'application/json', ...(key ? { 'x-api-key': key } : {}) };
  let payload: string | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.type;
    payload = options.raw.text;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${t.ipUrl}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : {} };
}

const errorOf = (answer: Answer) => (answer.body['error'] as { code: string; message: string } | undefined)?.code;

const restPage = {
  title: 'Calls (REST)',
  description: 'made over REST',
  dashboard: false,
  refresh_seconds: 60,
  widgets: [
    { title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } },
    { title: 'By channel', kind: 'BAR', query: { dataset: 'calls', group_by: 'channel', metric: { fn: 'COUNT' } } },
    { title: 'Latest', kind: 'TABLE', query: { dataset: 'calls', select: ['owner', 'minutes'], sort: { field: 'at', direction: 'DESC' }, limit: 5 } },
  ],
};

describe('the page lifecycle over REST', () => {
  test('create (201 { page }), read, list with a cursor, update, delete (204), then 404', async () => {
    const created = await call('POST', '/api/platform/v1/pages', restPage);
    expect(created.status).toBe(201);
    const page = created.body['page'] as Record<string, unknown> & { id: string; widgets: Array<{ query: Record<string, unknown> }> };
    expect(page).toMatchObject({ title: 'Calls (REST)', description: 'made over REST', dashboard: false, refresh_seconds: 60, freshness_seconds: 0 });
    expect(page.widgets[1]!.query).toMatchObject({ dataset: 'calls', group_by: 'channel', bucket: null, metric: { fn: 'COUNT', field: null } });
    expect(page.widgets[2]!.query['sort']).toEqual({ field: 'at', direction: 'DESC' });

    const read = await call('GET', `/api/platform/v1/pages/${page.id}`);
    expect(read.status).toBe(200);
    expect(read.body['page']).toEqual(page);

    const second = (await call('POST', '/api/platform/v1/pages', { ...restPage, title: 'Second' })).body['page'] as { id: string };
    const third = (await call('POST', '/api/platform/v1/pages', { ...restPage, title: 'Third' })).body['page'] as { id: string };
    const first = await call('GET', '/api/platform/v1/pages?limit=2');
    expect(first.status).toBe(200);
    expect((first.body['pages'] as Array<{ id: string }>).map((entry) => entry.id)).toEqual([page.id, second.id]);
    expect(first.body['next_cursor']).toBe(second.id);
    const rest = await call('GET', `/api/platform/v1/pages?limit=2&cursor=${second.id}`);
    expect((rest.body['pages'] as Array<{ id: string }>).map((entry) => entry.id)).toEqual([third.id]);
    expect(rest.body['next_cursor']).toBeNull();

    const updated = await call('PATCH', `/api/platform/v1/pages/${page.id}`, { title: 'Renamed', refresh_seconds: null });
    expect(updated.status).toBe(200);
    expect(updated.body['page']).toMatchObject({ id: page.id, title: 'Renamed', description: 'made over REST', refresh_seconds: null });
    expect((updated.body['page'] as { widgets: unknown[] }).widgets).toHaveLength(3);

    const deleted = await call('DELETE', `/api/platform/v1/pages/${page.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await call('GET', `/api/platform/v1/pages/${page.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Page not found.' } });
  });

  test('validation is the GraphQL one: a bad widget query is 400 BAD_USER_INPUT, a wrong type is 400 before the service', async () => {
    const badField = await call('POST', '/api/platform/v1/pages', {
      title: 'Bad',
      widgets: [{ title: 'x', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'SUM', field: '$where' } } }],
    });
    expect(badField.status).toBe(400);
    expect(errorOf(badField)).toBe('BAD_USER_INPUT');
    const sameViaGraphql = await t.gql('mutation($input: CreatePageInput!) { createPage(input: $input) { id } }', {
      input: { title: 'Bad', widgets: [{ title: 'x', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'SUM', field: '$where' } } }] },
    });
    expect(sameViaGraphql.body.errors?.[0]?.message).toBe((badField.body['error'] as { message: string }).message);
    const wrongType = await call('POST', '/api/platform/v1/pages', { title: 7, widgets: [] });
    expect(wrongType.status).toBe(400);
    expect((wrongType.body['error'] as { message: string }).message).toContain('body.title');
  });

  test("a page's embeds are listed and one is revoked, over REST, beside the mint route", async () => {
    const page = (await call('POST', '/api/platform/v1/pages', restPage)).body['page'] as { id: string };
    const minted = await call('POST', `/api/platform/v1/pages/${page.id}/embed-token`, { audience: 'workspace', ttl_seconds: 600 });
    expect(minted.status).toBe(201);
    const other = await mint(t, { pageId: page.id, audience: 'SELF' });
    const listed = await call('GET', `/api/platform/v1/pages/${page.id}/embeds`);
    expect(listed.status).toBe(200);
    const embeds = listed.body['embeds'] as Array<{ id: string; audience: string; revoked_at: string | null; page_id: string }>;
    expect(embeds.map((embed) => embed.id).sort()).toEqual([minted.body['id'], other.id].sort());
    expect(embeds.every((embed) => embed.page_id === page.id && embed.revoked_at === null)).toBe(true);

    const revoked = await call('DELETE', `/api/platform/v1/embeds/${other.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body['embed']).toMatchObject({ id: other.id, revoked_at: expect.any(String) });
    const refused = await t.embedGql('{ page { id } }', other.token, await viewerOf());
    expect([refused.status, refused.body.errors?.[0]?.extensions?.code]).toEqual([401, 'EMBED_UNAVAILABLE']);
    expect((await t.embedGql('{ page { id } }', minted.body['token'] as string, await viewerOf())).status).toBe(200);
    expect((await call('DELETE', '/api/platform/v1/embeds/nope')).status).toBe(404);
  });

  test("another workspace's page is 404 on every page route", async () => {
    const page = (await call('POST', '/api/platform/v1/pages', restPage)).body['page'] as { id: string };
    const other = { apiKey: t.otherApiKey };
    for (const [method, path, body] of [
      ['GET', `/api/platform/v1/pages/${page.id}`],
      ['PATCH', `/api/platform/v1/pages/${page.id}`, { title: 'x' }],
      ['DELETE', `/api/platform/v1/pages/${page.id}`],
      ['GET', `/api/platform/v1/pages/${page.id}/embeds`],
      ['POST', `/api/platform/v1/pages/${page.id}/embed-token`, { audience: 'self' }],
    ] as Array<[string, string, unknown?]>) {
      const answer = await call(method, path, body, other);
      expect([method, path, answer.status, errorOf(answer)]).toEqual([method, path, 404, 'NOT_FOUND']);
    }
    expect((await call('GET', `/api/platform/v1/pages/${page.id}`)).status).toBe(200);
  });
});

/** How many records a dataset holds, read back through a page widget as a viewer would see it. */
async function countOf(dataset: string, apiKey = t.apiKey): Promise<number> {
  const page = (
    await call(
      'POST',
      '/api/platform/v1/pages',
      { title: `count ${dataset}`, widgets: [{ title: 'n', kind: 'NUMBER', query: { dataset, metric: { fn: 'COUNT' } } }] },
      { apiKey },
    )
  ).body['page'] as { id: string };
  const minted = await call('POST', `/api/platform/v1/pages/${page.id}/embed-token`, { audience: 'workspace' }, { apiKey });
  const rendered = await t.embedGql<{ page: { widgets: Array<{ data: { rows: unknown[][] } }> } }>(
    '{ page { widgets { data { rows } } } }',
    minted.body['token'] as string,
    await viewerOf(apiKey),
  );
  return Number(rendered.body.data!.page.widgets[0]!.data.rows[0]?.[0] ?? 0);
}

describe('records over REST, retry-safe', () => {
  const records = [
    { id: 'evt-1', owner: 'ada', at: '2026-11-01T10:00:00Z', channel: 'phone', minutes: 10 },
    { id: 'evt-2', owner: 'ada', at: '2026-11-01T11:00:00Z', channel: 'chat', minutes: 4 },
    { id: 'evt-3', owner: 'grace', at: '2026-11-02T10:00:00Z', channel: 'email', minutes: 20 },
  ];

  test('a retried ingest (same ids, two calls) stores nothing twice, and says so', async () => {
    const first = await call('POST', '/api/platform/v1/datasets/retry/records', records);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ inserted: 3, duplicates: 0 });
    const retried = await call('POST', '/api/platform/v1/datasets/retry/records', records);
    expect(retried.body).toEqual({ inserted: 0, duplicates: 3 });
    expect(await countOf('retry')).toBe(3);
  });

  test('takes { "records": [...] } and NDJSON; ids repeated inside one call, or across the three forms, are stored once', async () => {
    const wrapped = await call('POST', '/api/platform/v1/datasets/forms/records', { records: [records[0], records[0], { owner: 'alan', minutes: 1 }] });
    expect(wrapped.body).toEqual({ inserted: 2, duplicates: 1 });
    const ndjson = `${records.map((record) => JSON.stringify(record)).join('\n')}\n\n${JSON.stringify({ owner: 'alan', minutes: 2 })}\n`;
    const lines = await call('POST', '/api/platform/v1/datasets/forms/records', undefined, { raw: { type: 'application/x-ndjson', text: ndjson } });
    expect(lines.status).toBe(200);
    expect(lines.body).toEqual({ inserted: 3, duplicates: 1 });
    expect(await countOf('forms')).toBe(5);
    const broken = await call('POST', '/api/platform/v1/datasets/forms/records', undefined, {
      raw: { type: 'application/x-ndjson', text: '{"owner":"a"}\n{nope' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({ error: { code: 'BAD_USER_INPUT', message: 'line 2: not a JSON value.' } });
  });

  test('the same id may be used in another dataset and another workspace', async () => {
    expect((await call('POST', '/api/platform/v1/datasets/other-ds/records', [records[0]])).body).toEqual({ inserted: 1, duplicates: 0 });
    expect((await call('POST', '/api/platform/v1/datasets/retry/records', [records[0]], { apiKey: t.otherApiKey })).body).toEqual({
      inserted: 1,
      duplicates: 0,
    });
  });

  test('GraphQL ingestRecords is retry-safe the same way and answers the same counts', async () => {
    const mutation = 'mutation($records: [JSONObject!]!) { ingestRecords(dataset: "gql-retry", records: $records) { inserted duplicates } }';
    expect((await t.gql(mutation, { records })).body.data).toEqual({ ingestRecords: { inserted: 3, duplicates: 0 } });
    expect((await t.gql(mutation, { records: [...records, { id: 'evt-4', owner: 'alan' }] })).body.data).toEqual({
      ingestRecords: { inserted: 1, duplicates: 3 },
    });
  });

  test('a bad id, a bad dataset or a body that is not a list is 400 with a JSON error', async () => {
    const longId = await call('POST', '/api/platform/v1/datasets/retry/records', [{ id: 'x'.repeat(65), owner: 'a' }]);
    expect(longId.status).toBe(400);
    expect((longId.body['error'] as { message: string }).message).toContain('"id"');
    expect(errorOf(await call('POST', '/api/platform/v1/datasets/Bad$Name/records', [{ owner: 'a' }]))).toBe('BAD_USER_INPUT');
    expect(errorOf(await call('POST', '/api/platform/v1/datasets/retry/records', { owner: 'a' }))).toBe('BAD_USER_INPUT');
  });
});

describe('erasure', () => {
  test("DELETE …/records?owner= erases that owner's records in that dataset, and nothing else", async () => {
    await call('POST', '/api/platform/v1/datasets/erase/records', [
      { owner: 'ada', minutes: 1 },
      { owner: 'ada', minutes: 2 },
      { owner: 'grace', minutes: 3 },
    ]);
    await call('POST', '/api/platform/v1/datasets/erase-other/records', [{ owner: 'ada', minutes: 1 }]);
    const erased = await call('DELETE', '/api/platform/v1/datasets/erase/records?owner=ada');
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({ deleted: 2 });
    expect(await countOf('erase')).toBe(1);
    expect(await countOf('erase-other')).toBe(1);
    expect((await call('DELETE', '/api/platform/v1/datasets/erase/records?owner=ada')).body).toEqual({ deleted: 0 });
    expect(errorOf(await call('DELETE', '/api/platform/v1/datasets/erase/records'))).toBe('BAD_USER_INPUT');
  });

  test('GraphQL deleteRecords erases the same way', async () => {
    await t.gql('mutation { ingestRecords(dataset: "erase-gql", records: [{ owner: "ada" }, { owner: "ada" }, { owner: "bob" }]) { inserted } }');
    const answer = await t.gql('mutation { deleteRecords(dataset: "erase-gql", owner: "ada") { deleted } }');
    expect(answer.body.data).toEqual({ deleteRecords: { deleted: 2 } });
    expect(await countOf('erase-gql')).toBe(1);
  });

  test("only a principal that may read all of the owner's records may erase them; others get FORBIDDEN and nothing goes", async () => {
    await call('POST', '/api/platform/v1/datasets/erase-rules/records', [
      { owner: 'ada', channel: 'phone' },
      { owner: 'ada', channel: 'chat' },
      { owner: 'bob' },
    ]);
    const narrowed = await createPrincipal(t, { name: 'Phone only', dataAccess: { all: true, rules: [{ field: 'channel', op: 'EQ', value: 'phone' }] } });
    const adaOnly = await createPrincipal(t, { name: 'Ada only', dataAccess: { all: false, owners: ['ada'] } });
    // Rules narrow the first (it cannot read ada's chat calls); the second does not cover bob.
    for (const [apiKey, owner] of [
      [narrowed.apiKey, 'ada'],
      [adaOnly.apiKey, 'bob'],
    ]) {
      const answer = await call('DELETE', `/api/platform/v1/datasets/erase-rules/records?owner=${owner}`, undefined, { apiKey });
      expect([answer.status, errorOf(answer)]).toEqual([403, 'FORBIDDEN']);
    }
    const graphqlRefused = await t.gql('mutation { deleteRecords(dataset: "erase-rules", owner: "ada") { deleted } }', {}, { apiKey: narrowed.apiKey });
    expect(graphqlRefused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await countOf('erase-rules')).toBe(3);
    expect((await call('DELETE', '/api/platform/v1/datasets/erase-rules/records?owner=ada', undefined, { apiKey: adaOnly.apiKey })).body).toEqual({
      deleted: 2,
    });
  });

  test("deleteUser with eraseRecords erases the user's records in every dataset; without it the records stay", async () => {
    const kept = await createUser(t, 'keeps-records');
    const erased = await createUser(t, 'erases-records');
    await call('POST', '/api/platform/v1/datasets/user-erase/records', [{ owner: 'keeps-records' }, { owner: 'erases-records' }, { owner: 'erases-records' }]);
    await call('POST', '/api/platform/v1/datasets/user-erase-2/records', [{ owner: 'erases-records' }]);
    expect((await t.gql('mutation($id: ID!) { deleteUser(id: $id) }', { id: kept.id })).body.data).toEqual({ deleteUser: true });
    const answer = await t.gql('mutation($id: ID!) { deleteUser(id: $id, eraseRecords: true) }', { id: erased.id });
    expect(answer.body.data).toEqual({ deleteUser: true });
    expect(await countOf('user-erase')).toBe(1);
    expect(await countOf('user-erase-2')).toBe(0);
  });
});

describe('end users over REST', () => {
  test('list with a cursor and a search, read, suspend, reactivate, delete (with erase_records)', async () => {
    const names = ['rest-list-a', 'rest-list-b', 'rest-list-c'];
    const ids: string[] = [];
    for (const externalId of names)
      ids.push(((await call('POST', '/api/v1/users', { external_id: externalId, name: externalId.toUpperCase() })).body['user'] as { id: string }).id);

    const searched = await call('GET', '/api/v1/users?search=REST-LIST&limit=2');
    expect(searched.status).toBe(200);
    expect((searched.body['users'] as Array<{ external_id: string }>).map((user) => user.external_id)).toEqual(['rest-list-a', 'rest-list-b']);
    expect(searched.body['total_count']).toBe(3);
    expect(searched.body['next_cursor']).toBe(ids[1]);
    const next = await call('GET', `/api/v1/users?search=rest-list&limit=2&cursor=${ids[1]}`);
    expect((next.body['users'] as Array<{ id: string }>).map((user) => user.id)).toEqual([ids[2]]);
    expect(next.body['next_cursor']).toBeNull();

    const read = await call('GET', `/api/v1/users/${ids[0]}`);
    expect(read.body).toEqual({
      user: { id: ids[0], external_id: 'rest-list-a', email: null, name: 'REST-LIST-A', status: 'ACTIVE', created_at: expect.any(String) },
    });

    const token = (await call('GET', `/api/v1/users/${ids[0]}/embed-token`)).body['embed_token'] as string;
    expect((await call('POST', `/api/v1/users/${ids[0]}/suspend`)).body['user']).toMatchObject({ status: 'SUSPENDED' });
    expect((await call('POST', '/api/validate-embed-token', { embed_token: token }, { apiKey: null })).status).toBe(401);
    expect((await call('POST', `/api/v1/users/${ids[0]}/reactivate`)).body['user']).toMatchObject({ status: 'ACTIVE' });
    expect((await call('POST', '/api/validate-embed-token', { embed_token: token }, { apiKey: null })).status).toBe(200);

    await call('POST', '/api/platform/v1/datasets/rest-user-erase/records', [{ owner: 'rest-list-b' }, { owner: 'rest-list-c' }]);
    const deleted = await call('DELETE', `/api/v1/users/${ids[1]}?erase_records=true`);
    expect(deleted.status).toBe(204);
    expect(await countOf('rest-user-erase')).toBe(1);
    expect((await call('GET', `/api/v1/users/${ids[1]}`)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/users/${ids[2]}`)).status).toBe(204);
    expect(await countOf('rest-user-erase')).toBe(1);
  });

  test("another workspace's user is 404 on every user route", async () => {
    const theirs = await createUser(t, 'rest-theirs', t.otherApiKey);
    for (const [method, path] of [
      ['GET', `/api/v1/users/${theirs.id}`],
      ['DELETE', `/api/v1/users/${theirs.id}`],
      ['POST', `/api/v1/users/${theirs.id}/suspend`],
      ['POST', `/api/v1/users/${theirs.id}/reactivate`],
    ] as Array<[string, string]>) {
      const answer = await call(method, path);
      expect([method, path, answer.status, errorOf(answer)]).toEqual([method, path, 404, 'NOT_FOUND']);
    }
    expect((await call('GET', `/api/v1/users/${theirs.id}`, undefined, { apiKey: t.otherApiKey })).status).toBe(200);
  });
});

describe('JSON errors, never HTML', () => {
  test('every unknown /api route answers a JSON 404 { error: { code, message } }', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/users/x/nothing'],
      ['GET', '/api/nope'],
      ['PUT', '/api/v1/users'],
      ['POST', '/api/platform/v1/pages/x/embeds'],
      ['GET', '/api/platform/v2/pages'],
      ['GET', '/api'],
    ] as Array<[string, string]>) {
      const answer = await call(method, path);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect([method, path, answer.status, errorOf(answer)]).toEqual([method, path, 404, 'NOT_FOUND']);
    }
  });

  test('a missing key, a malformed JSON body and a query of the wrong type are JSON errors', async () => {
    const noKey = await call('GET', '/api/platform/v1/pages', undefined, { apiKey: null });
    expect(noKey.status).toBe(401);
    expect(noKey.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    const malformed = await call('POST', '/api/platform/v1/pages', undefined, { raw: { type: 'application/json', text: '{"title":' } });
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed)).toBe('BAD_USER_INPUT');
    const badLimit = await call('GET', '/api/v1/users?limit=zero');
    expect(badLimit.status).toBe(400);
    expect(errorOf(badLimit)).toBe('BAD_USER_INPUT');
  });

  test('the GraphQL page created from CALLS_PAGE is readable over REST (one service, two doors)', async () => {
    const created = await t.gql<{ createPage: { id: string } }>('mutation($input: CreatePageInput!) { createPage(input: $input) { id } }', {
      input: CALLS_PAGE,
    });
    const read = await call('GET', `/api/platform/v1/pages/${created.body.data!.createPage.id}`);
    expect(read.body['page']).toMatchObject({ title: CALLS_PAGE.title, dashboard: true });
    expect((read.body['page'] as { widgets: unknown[] }).widgets).toHaveLength(CALLS_PAGE.widgets.length);
  });
});

describe('REST follows the access rules GraphQL follows (same service methods)', () => {
  test('a member whose data access names one owner sees, manages and ingests only that owner over REST', async () => {
    const ada = await createUser(t, 'acl-ada');
    const bob = await createUser(t, 'acl-bob');
    const member = await createPrincipal(t, { name: 'Ada desk', dataAccess: { all: false, owners: ['acl-ada'] } });
    const as = { apiKey: member.apiKey };
    const listed = await call('GET', '/api/v1/users?search=acl-', undefined, as);
    expect((listed.body['users'] as Array<{ external_id: string }>).map((user) => user.external_id)).toEqual(['acl-ada']);
    expect((await call('GET', `/api/v1/users/${ada.id}`, undefined, as)).status).toBe(200);
    for (const [method, path] of [
      ['GET', `/api/v1/users/${bob.id}`],
      ['POST', `/api/v1/users/${bob.id}/suspend`],
      ['DELETE', `/api/v1/users/${bob.id}`],
    ] as Array<[string, string]>) {
      const rest = await call(method, path, undefined, as);
      expect([method, path, rest.status, errorOf(rest)]).toEqual([method, path, 404, 'NOT_FOUND']);
    }
    const graphql = await t.gql('query($id: ID!) { user(id: $id) { id } }', { id: bob.id }, { apiKey: member.apiKey });
    expect(graphql.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const foreign = await call('POST', '/api/platform/v1/datasets/acl/records', [{ owner: 'acl-bob' }], as);
    expect([foreign.status, errorOf(foreign)]).toEqual([403, 'FORBIDDEN']);
    expect((await call('POST', '/api/platform/v1/datasets/acl/records', [{ owner: 'acl-ada' }], as)).body).toEqual({ inserted: 1, duplicates: 0 });
  });

  test("a PRIVATE page is NOT_FOUND over REST for a member without a grant, and missing from that member's list", async () => {
    const page = (await call('POST', '/api/platform/v1/pages', { ...restPage, title: 'Private' })).body['page'] as { id: string };
    await t.gql('mutation($id: ID!) { setPageAccess(pageId: $id, sharing: PRIVATE) { id } }', { id: page.id });
    const member = await createPrincipal(t, { name: 'Outsider' });
    const as = { apiKey: member.apiKey };
    expect(errorOf(await call('GET', `/api/platform/v1/pages/${page.id}`, undefined, as))).toBe('NOT_FOUND');
    expect(errorOf(await call('PATCH', `/api/platform/v1/pages/${page.id}`, { title: 'mine' }, as))).toBe('NOT_FOUND');
    const listed = await call('GET', '/api/platform/v1/pages?limit=200', undefined, as);
    expect((listed.body['pages'] as Array<{ id: string }>).map((entry) => entry.id)).not.toContain(page.id);
    expect((await call('GET', `/api/platform/v1/pages/${page.id}`)).status).toBe(200);
  });
});
