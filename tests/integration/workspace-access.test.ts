import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SignJWT } from 'jose';
import {
  asViewer,
  CALLS,
  createPage,
  createPrincipal,
  createSecret,
  createUser,
  DASHBOARD_QUERY,
  ingest,
  mint,
  PAGE_QUERY,
  viewerToken,
} from '../support/factories.js';
import { startTestServer, type GqlResponse, type TestServer } from '../support/server.js';

/**
 * The access model inside one workspace, written as the attacks a limited principal would try
 * and the refusals it meets. The rule under test: nothing a principal authors, manages or
 * writes can reveal more than that principal may read.
 */

let t: TestServer;
/** A member whose data access covers the owner "ada" only. */
let limited: { id: string; apiKey: string };
let graceUserId: string;

const codeOf = (response: GqlResponse) => response.body.errors?.[0]?.extensions?.code;

const viewers = new Map<string, Promise<string>>();
/** The `X-Porthole-Viewer` header of `apiKey`'s principal, signed in (one per key): SELF and WORKSPACE embeds need one. */
function viewerOf(apiKey: string): Promise<Record<string, string>> {
  if (!viewers.has(apiKey)) viewers.set(apiKey, viewerToken(t, apiKey));
  return viewers.get(apiKey)!.then(asViewer);
}

type Rows = Record<string, unknown[][]>;
/** Loads an embed's data; `viewerKey` is the API key of the person viewing (none: an anonymous viewer). */
async function render(token: string, viewerKey?: string): Promise<{ status: number; code: string | undefined; widgets: Rows }> {
  const response = await t.embedGql<{ page: { widgets: Array<{ title: string; data: { rows: unknown[][] } }> } }>(
    PAGE_QUERY,
    token,
    viewerKey ? await viewerOf(viewerKey) : {},
  );
  return {
    status: response.status,
    code: codeOf(response),
    widgets: Object.fromEntries((response.body.data?.page.widgets ?? []).map((widget) => [widget.title, widget.data.rows])),
  };
}
const UNAVAILABLE = { status: 401, code: 'EMBED_UNAVAILABLE' };

const NUMBER_PAGE = { title: 'Count', widgets: [{ title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }] };
const EVERY_ROW_TABLE = [
  { title: 'Rows', kind: 'TABLE', query: { dataset: 'calls', select: ['owner', 'channel'], sort: { field: 'at', direction: 'ASC' }, limit: 100 } },
];

async function exchange(embedToken: string): Promise<GqlResponse<{ validateEmbedToken: { authToken: string } }>> {
  return t.gql('mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }', { t: embedToken }, { apiKey: null });
}

async function updatePrincipal(id: string, input: Record<string, unknown>, apiKey = t.apiKey) {
  return t.gql<{ updatePrincipal: { role: string } }>(
    'mutation($id: ID!, $input: UpdatePrincipalInput!) { updatePrincipal(id: $id, input: $input) { id role } }',
    { id, input },
    { apiKey },
  );
}

beforeAll(async () => {
  t = await startTestServer();
  await createSecret(t);
  await ingest(t, 'calls', CALLS);
  limited = await createPrincipal(t, { name: 'Limited', dataAccess: { owners: ['ada'] } });
  graceUserId = (await createUser(t, 'grace')).id;
});

afterAll(() => t.close());

describe('end users follow data access', () => {
  const userOps = [
    ['user', 'query($id: ID!) { user(id: $id) { id } }'],
    ['embedToken', 'query($id: ID!) { embedToken(userId: $id) { token } }'],
    ['regenerateEmbedToken', 'mutation($id: ID!) { regenerateEmbedToken(userId: $id) { token } }'],
    ['suspendUser', 'mutation($id: ID!) { suspendUser(id: $id) { id } }'],
    ['reactivateUser', 'mutation($id: ID!) { reactivateUser(id: $id) { id } }'],
    ['deleteUser', 'mutation($id: ID!) { deleteUser(id: $id) }'],
  ] as const;

  test("a member limited to ada gets NOT_FOUND for grace's user on every operation, exactly as for an id that does not exist", async () => {
    for (const [name, query] of userOps) {
      const covered = await t.gql(query, { id: graceUserId }, { apiKey: limited.apiKey });
      const missing = await t.gql(query, { id: 'f'.repeat(28) }, { apiKey: limited.apiKey });
      expect({ name, code: codeOf(covered), body: covered.text.replace(graceUserId, 'ID') }).toEqual({
        name,
        code: 'NOT_FOUND',
        body: missing.text.replace('f'.repeat(28), 'ID'),
      });
    }
    // grace's user is untouched: the admin still reads it as ACTIVE.
    const still = await t.gql<{ user: { status: string } }>('query($id: ID!) { user(id: $id) { status } }', { id: graceUserId });
    expect(still.body.data?.user.status).toBe('ACTIVE');
  });

  test('it cannot create a user for an uncovered externalId (FORBIDDEN, even when that user exists), but can for a covered one', async () => {
    for (const externalId of ['grace', 'someone-new']) {
      const response = await t.gql(
        'mutation($e: String!) { createUser(input: { externalId: $e }) { embedToken } }',
        { e: externalId },
        { apiKey: limited.apiKey },
      );
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(response.text).not.toContain('embedToken":"');
    }
    const ada = await t.gql<{ createUser: { embedToken: string } }>(
      'mutation { createUser(input: { externalId: "ada" }) { embedToken } }',
      {},
      { apiKey: limited.apiKey },
    );
    expect(ada.body.data?.createUser.embedToken).toBeTruthy();
  });

  test('its users list holds only covered users', async () => {
    const listed = await t.gql<{ users: { nodes: Array<{ externalId: string }>; totalCount: number } }>(
      '{ users { nodes { externalId } totalCount } }',
      {},
      { apiKey: limited.apiKey },
    );
    expect(listed.body.data?.users.nodes.map((user) => user.externalId)).toEqual(['ada']);
    expect(listed.body.data?.users.totalCount).toBe(1);
    const searched = await t.gql<{ users: { totalCount: number } }>('{ users(search: "grace") { totalCount } }', {}, { apiKey: limited.apiKey });
    expect(searched.body.data?.users.totalCount).toBe(0);
  });

  test("the REST twins refuse the same: no route hands it grace's embed token", async () => {
    const headers = { 'x-api-key': limited.apiKey };
    expect((await t.rest('GET', `/api/v1/users/${graceUserId}/embed-token`, undefined, headers)).status).toBe(404);
    expect((await t.rest('POST', `/api/v1/users/${graceUserId}/embed-token`, {}, headers)).status).toBe(404);
    const created = await t.rest('POST', '/api/v1/users', { external_id: 'grace' }, headers);
    expect(created.status).toBe(403);
    expect(created.body).not.toHaveProperty('embed_token');
  });

  test('a member whose access is narrowed by rules may see a covered user but not hand out its dashboard', async () => {
    const phoneOnly = await createPrincipal(t, { name: 'Phone only', dataAccess: { all: true, rules: [{ field: 'channel', op: 'EQ', value: 'phone' }] } });
    const seen = await t.gql<{ user: { externalId: string } }>(
      'query($id: ID!) { user(id: $id) { externalId } }',
      { id: graceUserId },
      { apiKey: phoneOnly.apiKey },
    );
    expect(seen.body.data?.user.externalId).toBe('grace');
    expect(codeOf(await t.gql('query($id: ID!) { embedToken(userId: $id) { token } }', { id: graceUserId }, { apiKey: phoneOnly.apiKey }))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql('mutation { createUser(input: { externalId: "brand-new" }) { embedToken } }', {}, { apiKey: phoneOnly.apiKey }))).toBe(
      'FORBIDDEN',
    );
  });
});

describe('writes follow data access', () => {
  const countAll = async () => {
    const page = await createPage(t, NUMBER_PAGE);
    const rows = await render((await mint(t, { pageId: page, audience: 'WORKSPACE' })).token, t.apiKey);
    return rows.widgets['Calls']![0]![0] as number;
  };

  test("it cannot forge records into an uncovered owner's data; nothing of the call is stored", async () => {
    const before = await countAll();
    const forged = await t.gql(
      'mutation($r: [JSONObject!]!) { ingestRecords(dataset: "calls", records: $r) { inserted } }',
      {
        r: [
          { owner: 'ada', channel: 'phone' },
          { owner: 'grace', channel: 'phone', minutes: 999 },
        ],
      },
      { apiKey: limited.apiKey },
    );
    expect(codeOf(forged)).toBe('FORBIDDEN');
    expect(forged.body.errors?.[0]?.message).toContain('records[1]');
    const ownerless = await t.gql('mutation { ingestRecords(dataset: "calls", records: [{ channel: "phone" }]) { inserted } }', {}, { apiKey: limited.apiKey });
    expect(codeOf(ownerless)).toBe('FORBIDDEN');
    expect(await countAll()).toBe(before);
  });

  test('a record outside its rules is refused; one inside them is stored', async () => {
    const phoneOnly = await createPrincipal(t, {
      name: 'Phone writer',
      dataAccess: { owners: ['ada'], rules: [{ field: 'channel', op: 'EQ', value: 'phone' }] },
    });
    const chat = await t.gql(
      'mutation { ingestRecords(dataset: "calls", records: [{ owner: "ada", channel: "chat" }]) { inserted } }',
      {},
      { apiKey: phoneOnly.apiKey },
    );
    expect(codeOf(chat)).toBe('FORBIDDEN');
    const phone = await t.gql<{ ingestRecords: { inserted: number } }>(
      'mutation { ingestRecords(dataset: "calls-phone", records: [{ owner: "ada", channel: "phone" }]) { inserted } }',
      {},
      { apiKey: phoneOnly.apiKey },
    );
    expect(phone.body.data?.ingestRecords.inserted).toBe(1);
  });
});

describe("a member's edit can never widen an admin's embed", () => {
  test('with VIEW only (the default sharing) it can neither update nor delete the page', async () => {
    const pageId = await createPage(t, NUMBER_PAGE);
    const update = await t.gql(
      'mutation($id: ID!, $w: [WidgetInput!]) { updatePage(id: $id, input: { widgets: $w }) { id } }',
      { id: pageId, w: EVERY_ROW_TABLE },
      { apiKey: limited.apiKey },
    );
    expect(codeOf(update)).toBe('FORBIDDEN');
    expect(codeOf(await t.gql('mutation($id: ID!) { deletePage(id: $id) }', { id: pageId }, { apiKey: limited.apiKey }))).toBe('FORBIDDEN');
    const seen = await t.gql<{ page: { viewerCanEdit: boolean; viewerCanManageAccess: boolean } }>(
      'query($id: ID!) { page(id: $id) { viewerCanEdit viewerCanManageAccess } }',
      { id: pageId },
      { apiKey: limited.apiKey },
    );
    expect(seen.body.data?.page).toEqual({ viewerCanEdit: false, viewerCanManageAccess: false });
  });

  test("with EDIT, turning the public NUMBER into a TABLE of every row shows only the member's own rows", async () => {
    const pageId = await createPage(t, NUMBER_PAGE);
    const publicEmbed = await mint(t, { pageId, audience: 'PUBLIC' });
    expect((await render(publicEmbed.token)).widgets['Calls']).toEqual([[6]]);
    const shared = await t.gql('mutation($id: ID!) { setPageAccess(pageId: $id, sharing: WORKSPACE_EDIT) { sharing } }', { id: pageId });
    expect(shared.body.errors).toBeUndefined();
    const update = await t.gql<{ updatePage: { author: { id: string } } }>(
      'mutation($id: ID!, $w: [WidgetInput!]) { updatePage(id: $id, input: { widgets: $w }) { author { id } } }',
      { id: pageId, w: EVERY_ROW_TABLE },
      { apiKey: limited.apiKey },
    );
    expect(update.body.data?.updatePage.author.id).toBe(limited.id);
    const rows = (await render(publicEmbed.token)).widgets['Rows']!;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row[0]))).toEqual(new Set(['ada']));
  });

  test('a member cannot change who may see a page it does not own', async () => {
    const pageId = await createPage(t, NUMBER_PAGE);
    expect(
      codeOf(await t.gql('mutation($id: ID!) { setPageAccess(pageId: $id, sharing: WORKSPACE_EDIT) { id } }', { id: pageId }, { apiKey: limited.apiKey })),
    ).toBe('FORBIDDEN');
  });
});

describe('page access', () => {
  test('a PRIVATE page is NOT_FOUND to a member (read, list, mint, embeds) until a grant; VIEW lets it mint but not edit; EDIT lets it edit', async () => {
    const pageId = await createPage(t, NUMBER_PAGE);
    await t.gql('mutation($id: ID!) { setPageAccess(pageId: $id, sharing: PRIVATE) { id } }', { id: pageId });
    const asMember = (query: string) => t.gql(query, { id: pageId }, { apiKey: limited.apiKey });
    expect(codeOf(await asMember('query($id: ID!) { page(id: $id) { id } }'))).toBe('NOT_FOUND');
    expect(codeOf(await asMember('query($id: ID!) { pageEmbeds(pageId: $id) { id } }'))).toBe('NOT_FOUND');
    expect(codeOf(await asMember('mutation($id: ID!) { mintPageEmbed(input: { pageId: $id, audience: SELF }) { token } }'))).toBe('NOT_FOUND');
    expect(codeOf(await asMember('mutation($id: ID!) { updatePage(id: $id, input: { title: "x" }) { id } }'))).toBe('NOT_FOUND');
    const listed = await t.gql<{ pages: Array<{ id: string }> }>('{ pages { id } }', {}, { apiKey: limited.apiKey });
    expect(listed.body.data?.pages.map((page) => page.id)).not.toContain(pageId);

    await t.gql('mutation($id: ID!, $g: [PageGrantInput!]) { setPageAccess(pageId: $id, grants: $g) { id } }', {
      id: pageId,
      g: [{ principalId: limited.id, level: 'VIEW' }],
    });
    expect(codeOf(await asMember('query($id: ID!) { page(id: $id) { id } }'))).toBeUndefined();
    const minted = await asMember('mutation($id: ID!) { mintPageEmbed(input: { pageId: $id, audience: SELF }) { token } }');
    expect(codeOf(minted)).toBeUndefined();
    expect(codeOf(await asMember('mutation($id: ID!) { updatePage(id: $id, input: { title: "x" }) { id } }'))).toBe('FORBIDDEN');

    await t.gql('mutation($id: ID!, $g: [PageGrantInput!]) { setPageAccess(pageId: $id, grants: $g) { id } }', {
      id: pageId,
      g: [{ principalId: limited.id, level: 'EDIT' }],
    });
    expect(codeOf(await asMember('mutation($id: ID!) { updatePage(id: $id, input: { title: "Renamed" }) { id } }'))).toBeUndefined();
  });

  test("a member's embed of a page dies when it loses VIEW on the page", async () => {
    const pageId = await createPage(t, NUMBER_PAGE);
    const embed = await mint(t, { pageId, audience: 'SELF' }, limited.apiKey);
    expect((await render(embed.token, limited.apiKey)).widgets['Calls']).toEqual([[3]]);
    await t.gql('mutation($id: ID!) { setPageAccess(pageId: $id, sharing: PRIVATE) { id } }', { id: pageId });
    expect(await render(embed.token, limited.apiKey)).toMatchObject(UNAVAILABLE);
  });

  test('a deleted author makes the page render nothing until an editor saves its widgets again', async () => {
    const author = await createPrincipal(t, { name: 'Author', dataAccess: { all: true } });
    const pageId = await createPage(t, NUMBER_PAGE, author.apiKey);
    const embed = await mint(t, { pageId, audience: 'WORKSPACE' });
    expect((await render(embed.token, t.apiKey)).widgets['Calls']).toEqual([[6]]);
    await t.gql('mutation($id: ID!) { deletePrincipal(id: $id) }', { id: author.id });
    expect(await render(embed.token, t.apiKey)).toMatchObject(UNAVAILABLE);
    const page = await t.gql<{ page: { authorMissing: boolean } }>('query($id: ID!) { page(id: $id) { authorMissing } }', { id: pageId });
    expect(page.body.data?.page.authorMissing).toBe(true);
    await t.gql('mutation($id: ID!, $w: [WidgetInput!]) { updatePage(id: $id, input: { widgets: $w }) { id } }', { id: pageId, w: NUMBER_PAGE.widgets });
    expect((await render(embed.token, t.apiKey)).widgets['Calls']).toEqual([[6]]);
  });

  test("a dashboard page renders within the end user's records ∩ its author's access", async () => {
    const widgets = [{ title: 'Calls', kind: 'NUMBER', query: { dataset: 'dashboard-calls', metric: { fn: 'COUNT' } } }];
    // Publishing to dashboards needs every owner, so the author is narrowed to ada after it published.
    const author = await createPrincipal(t, { name: 'Dashboard author', dataAccess: { all: true } });
    await createPage(t, { title: 'Ada-authored dashboard', dashboard: true, widgets }, author.apiKey);
    expect(codeOf(await updatePrincipal(author.id, { dataAccess: { owners: ['ada'] } }))).toBeUndefined();
    await createPage(t, { title: 'Admin-authored dashboard', dashboard: true, widgets });
    const grace = await createUser(t, 'grace-dashboard');
    await ingest(t, 'dashboard-calls', [
      { owner: 'grace-dashboard', channel: 'phone' },
      { owner: 'ada', channel: 'phone' },
    ]);
    const session = (await exchange(grace.embedToken)).body.data!.validateEmbedToken.authToken;
    const dashboard = await t.embedGql<{ dashboard: { pages: Array<{ title: string; widgets: Array<{ data: { rows: unknown[][] } }> }> } }>(
      DASHBOARD_QUERY,
      session,
    );
    const rowsOf = (title: string) => dashboard.body.data!.dashboard.pages.find((entry) => entry.title === title)!.widgets[0]!.data.rows;
    // The author may read ada only, so grace's own record does not show through its page; ada's never shows to grace.
    expect(rowsOf('Ada-authored dashboard')).toEqual([[0]]);
    expect(rowsOf('Admin-authored dashboard')).toEqual([[1]]);
  });
});

describe('principals', () => {
  test('narrowing a minter through updatePrincipal narrows its embeds on the next load; demoting a PUBLIC minter kills them', async () => {
    const minter = await createPrincipal(t, { name: 'Minter', role: 'ADMIN', dataAccess: { all: true } });
    const pageId = await createPage(t, NUMBER_PAGE);
    const workspaceEmbed = await mint(t, { pageId, audience: 'WORKSPACE' }, minter.apiKey);
    const publicEmbed = await mint(t, { pageId, audience: 'PUBLIC' }, minter.apiKey);
    expect((await render(workspaceEmbed.token, minter.apiKey)).widgets['Calls']).toEqual([[6]]);
    expect(codeOf(await updatePrincipal(minter.id, { dataAccess: { owners: ['grace'] } }))).toBeUndefined();
    expect((await render(workspaceEmbed.token, minter.apiKey)).widgets['Calls']).toEqual([[2]]);
    expect((await render(publicEmbed.token)).widgets['Calls']).toEqual([[2]]);
    expect(codeOf(await updatePrincipal(minter.id, { role: 'MEMBER' }))).toBeUndefined();
    expect(await render(publicEmbed.token)).toMatchObject(UNAVAILABLE);
    expect((await render(workspaceEmbed.token, minter.apiKey)).widgets['Calls']).toEqual([[2]]);
  });

  test('only admins may update principals; dataAccess.all defaults to false', async () => {
    expect(codeOf(await updatePrincipal(limited.id, { dataAccess: { all: true } }, limited.apiKey))).toBe('FORBIDDEN');
    const fresh = await createPrincipal(t, { name: 'Fresh', dataAccess: {} });
    const listed = await t.gql<{ principals: Array<{ id: string; dataAccess: { all: boolean; owners: string[] } }> }>(
      '{ principals { id dataAccess { all owners } } }',
    );
    expect(listed.body.data?.principals.find((principal) => principal.id === fresh.id)?.dataAccess).toEqual({ all: false, owners: [] });
  });

  test('a member sees only itself in principals; another principal met elsewhere shows no data access', async () => {
    const listed = await t.gql<{ principals: Array<{ id: string }> }>('{ principals { id } }', {}, { apiKey: limited.apiKey });
    expect(listed.body.data?.principals.map((principal) => principal.id)).toEqual([limited.id]);
    const pageId = await createPage(t, NUMBER_PAGE);
    const page = await t.gql<{ page: { owner: { name: string; dataAccess: unknown } } }>(
      'query($id: ID!) { page(id: $id) { owner { name dataAccess { all } } } }',
      { id: pageId },
      { apiKey: limited.apiKey },
    );
    expect(page.body.data?.page.owner.dataAccess).toBeNull();
  });

  test('the last admin can be neither demoted nor deleted, and its last key cannot be revoked', async () => {
    const fresh = await startTestServer();
    try {
      const admin = await fresh.gql<{ viewer: { id: string } }>('{ viewer { id } }');
      const adminId = admin.body.data!.viewer.id;
      const demote = await fresh.gql('mutation($id: ID!) { updatePrincipal(id: $id, input: { role: MEMBER }) { id } }', { id: adminId });
      expect(codeOf(demote)).toBe('CONFLICT');
      expect(demote.body.errors?.[0]?.message).toContain('at least one admin');
      const keys = await fresh.gql<{ apiKeys: Array<{ id: string }> }>('{ apiKeys { id } }');
      const revoke = await fresh.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: keys.body.data!.apiKeys[0]!.id });
      expect(codeOf(revoke)).toBe('CONFLICT');
      const second = await createPrincipal(fresh, { name: 'Second admin', role: 'ADMIN', dataAccess: { all: true } });
      const secondId = second.id;
      expect(codeOf(await fresh.gql('mutation($id: ID!) { updatePrincipal(id: $id, input: { role: MEMBER }) { id } }', { id: secondId }))).toBeUndefined();
      // Now the bootstrap admin is the last admin again: the demoted one cannot remove it.
      const deleteLast = await fresh.gql('mutation($id: ID!) { deletePrincipal(id: $id) }', { id: adminId }, { apiKey: second.apiKey });
      expect(codeOf(deleteLast)).toBe('FORBIDDEN');
    } finally {
      await fresh.close();
    }
  });
});

describe('sessions and tokens', () => {
  test('suspend then reactivate leaves the old sessions dead; the embed token opens new ones', async () => {
    const user = await createUser(t, 'suspended-then-back');
    const before = (await exchange(user.embedToken)).body.data!.validateEmbedToken.authToken;
    expect((await t.embedGql(DASHBOARD_QUERY, before)).status).toBe(200);
    await t.gql('mutation($id: ID!) { suspendUser(id: $id) { id } }', { id: user.id });
    expect((await t.embedGql(DASHBOARD_QUERY, before)).status).toBe(401);
    await t.gql('mutation($id: ID!) { reactivateUser(id: $id) { id } }', { id: user.id });
    expect((await t.embedGql(DASHBOARD_QUERY, before)).status).toBe(401);
    const after = (await exchange(user.embedToken)).body.data!.validateEmbedToken.authToken;
    expect((await t.embedGql(DASHBOARD_QUERY, after)).status).toBe(200);
  });

  describe('self-minted page embed tokens', () => {
    let secret: { id: string; plaintext: string };
    let pageId: string;
    let workspaceId: string;
    beforeAll(async () => {
      secret = await createSecret(t);
      pageId = await createPage(t, NUMBER_PAGE);
      workspaceId = (await t.gql<{ viewer: { workspace: { id: string } } }>('{ viewer { workspace { id } } }')).body.data!.viewer.workspace.id;
    });
    const selfMint = (options: { jti?: string | null; iat?: number; exp?: number | string }) => {
      let jwt = new SignJWT({ ws: workspaceId, page: pageId, audience: 'workspace' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: secret.id })
        .setAudience('porthole:embed');
      if (options.jti !== null) jwt = jwt.setJti(options.jti ?? randomUUID());
      jwt = jwt.setIssuedAt(options.iat ?? Math.floor(Date.now() / 1000)).setExpirationTime(options.exp ?? '10m');
      return jwt.sign(new TextEncoder().encode(secret.plaintext));
    };

    // These name no `sub`: their minter is the signing secret's creator, the admin, who views them signed in.
    test('one with a 10-year exp, without jti, or issued in the future is refused', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const token of [
        await selfMint({ exp: now + 10 * 365 * 86_400 }),
        await selfMint({ jti: null }),
        await selfMint({ iat: now + 3600, exp: now + 7200 }),
      ]) {
        expect(await render(token, t.apiKey)).toMatchObject(UNAVAILABLE);
      }
      expect((await render(await selfMint({}), t.apiKey)).widgets['Calls']).toEqual([[6]]);
    });

    test('one with a jti is listed after its first load (selfMinted) and revocable on its own', async () => {
      const jti = randomUUID();
      const token = await selfMint({ jti });
      const other = await selfMint({});
      expect((await render(token, t.apiKey)).widgets['Calls']).toEqual([[6]]);
      const listed = await t.gql<{ pageEmbeds: Array<{ id: string; selfMinted: boolean; loadCount: number }> }>(
        'query($id: ID!) { pageEmbeds(pageId: $id) { id selfMinted loadCount } }',
        {
          id: pageId,
        },
      );
      expect(listed.body.data?.pageEmbeds.find((embed) => embed.id === jti)?.selfMinted).toBe(true);
      expect(codeOf(await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { revokedAt } }', { id: jti }))).toBeUndefined();
      expect(await render(token, t.apiKey)).toMatchObject(UNAVAILABLE);
      expect((await render(other, t.apiKey)).widgets['Calls']).toEqual([[6]]);
    });
  });
});
