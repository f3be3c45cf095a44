import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SignJWT } from 'jose';
import {
  asViewer,
  CALLS,
  CALLS_PAGE,
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
import { startTestServer, type TestServer } from '../support/server.js';

interface Widget {
  title: string;
  kind: string;
  data: { columns: string[]; rows: unknown[][] };
}
type PageResult = { page: { title: string; widgets: Widget[] } };

let t: TestServer;
let pageId: string;

beforeAll(async () => {
  t = await startTestServer();
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, CALLS_PAGE);
  await createSecret(t);
});
afterAll(async () => {
  await t.close();
});

const viewers = new Map<string, Promise<string>>();
/**
 * The `X-Porthole-Viewer` header of `apiKey`'s principal signed in on `server` (one viewer token
 * per key and server in this file): SELF and WORKSPACE embeds render only for a signed-in viewer.
 */
function viewerOf(apiKey: string, server: TestServer = t): Promise<Record<string, string>> {
  const key = `${server.url} ${apiKey}`;
  if (!viewers.has(key)) viewers.set(key, viewerToken(server, apiKey));
  return viewers.get(key)!.then(asViewer);
}

/** Loads an embed's data; `viewerKey` is the API key of the person viewing (none: an anonymous viewer). */
async function render(token: string, viewerKey?: string) {
  const response = await t.embedGql<PageResult>(PAGE_QUERY, token, viewerKey ? await viewerOf(viewerKey) : {});
  return {
    status: response.status,
    code: codeOf(response),
    widgets: Object.fromEntries((response.body.data?.page.widgets ?? []).map((widget) => [widget.title, widget.data.rows])),
  };
}

const codeOf = (response: { body: { errors?: Array<{ extensions?: { code?: string } }> } }) => response.body.errors?.[0]?.extensions?.code;

describe('records and pages', () => {
  test('ingest rejects $-prefixed and dotted keys with BAD_USER_INPUT', async () => {
    for (const record of [{ $where: 'x' }, { 'a.b': 1 }, { nested: { $gt: 1 } }]) {
      const response = await t.gql('mutation($r: [JSONObject!]!) { ingestRecords(dataset: "calls", records: $r) { inserted } }', { r: [record] });
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
    }
  });

  test('a page with an invalid query is refused when saved', async () => {
    const response = await t.gql('mutation($input: CreatePageInput!) { createPage(input: $input) { id } }', {
      input: { title: 'Bad', widgets: [{ title: 'x', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'SUM', field: '$where' } } }] },
    });
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    const tooMany = await t.gql('mutation($input: CreatePageInput!) { createPage(input: $input) { id } }', {
      input: { title: 'Big', widgets: [{ title: 'x', kind: 'TABLE', query: { dataset: 'calls', limit: 1001 } }] },
    });
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
  });

  test('pages can be read, updated and listed', async () => {
    const id = await createPage(t, { title: 'Draft', widgets: [] });
    const updated = await t.gql<{ updatePage: { title: string; refreshSeconds: number } }>(
      'mutation($id: ID!) { updatePage(id: $id, input: { title: "Final", refreshSeconds: 30 }) { title refreshSeconds } }',
      { id },
    );
    expect(updated.body.data?.updatePage).toEqual({ title: 'Final', refreshSeconds: 30 });
    const listed = await t.gql<{ pages: Array<{ id: string }> }>('{ pages { id } }');
    expect(listed.body.data?.pages.map((page) => page.id)).toContain(id);
    await t.gql('mutation($id: ID!) { deletePage(id: $id) }', { id });
    expect(codeOf(await t.gql('query($id: ID!) { page(id: $id) { id } }', { id }))).toBe('NOT_FOUND');
  });
});

describe('minting and rendering', () => {
  test('a workspace embed renders every widget kind with the right numbers', async () => {
    const minted = await mint(t, { pageId, audience: 'WORKSPACE' });
    const { status, widgets } = await render(minted.token, t.apiKey);
    expect(status).toBe(200);
    expect(widgets['Calls']).toEqual([[6]]);
    expect(widgets['Minutes']).toEqual([[50]]);
    expect(widgets['By channel']).toEqual([
      ['phone', 3],
      ['chat', 2],
      ['email', 1],
    ]);
    expect(widgets['Per day']).toEqual([
      ['2026-11-01T00:00:00.000Z', 14],
      ['2026-11-02T00:00:00.000Z', 26],
      ['2026-11-03T00:00:00.000Z', 10],
    ]);
    expect(widgets['Latest']).toEqual([
      ['alan', 'chat', 8],
      ['grace', 'phone', 2],
      ['grace', 'email', 20],
    ]);
  });

  test('the mint answer holds the snippet, the URL on the public origin and the expiry', async () => {
    const before = Date.now();
    const minted = await mint(t, { pageId, audience: 'SELF' });
    expect(minted.embedUrl).toBe(`${t.url}/embed-page/acme/${pageId}?t=${minted.token}`);
    // A title for assistive technology, and a height that fits the page's five widgets (an iframe without one shows 150 px).
    const height = Number(/height:(\d+)px/.exec(minted.snippet)?.[1]);
    expect(minted.snippet).toBe(`<iframe src="${minted.embedUrl}" title="Calls" style="width:100%;height:${height}px;border:0" loading="lazy"></iframe>`);
    expect(height).toBeGreaterThan(800);
    expect(new Date(minted.expiresAt).getTime() - before).toBeGreaterThan(3590_000);
    expect(minted.audience).toBe('SELF');
  });

  test('ttlSeconds up to the maximum lifetime (365 days by default) is accepted, one second more refused', async () => {
    const mint = (ttl: number) =>
      t.gql('mutation($pageId: ID!, $ttl: PositiveInt) { mintPageEmbed(input: { pageId: $pageId, audience: SELF, ttlSeconds: $ttl }) { token } }', {
        pageId,
        ttl,
      });
    expect(codeOf(await mint(365 * 86_400))).toBeUndefined();
    expect(codeOf(await mint(365 * 86_400 + 1))).toBe('BAD_USER_INPUT');
  });

  test('origins must be origins', async () => {
    for (const origin of ['https://example.com/path', '*', 'javascript:alert(1)', 'https://*.example.com']) {
      const response = await t.gql(
        'mutation($pageId: ID!, $o: [String!]) { mintPageEmbed(input: { pageId: $pageId, audience: SELF, origins: $o }) { token } }',
        { pageId, o: [origin] },
      );
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
    }
  });

  test('token rules narrow the render, and rule values are literals, never operators', async () => {
    const minted = await mint(t, { pageId, audience: 'WORKSPACE', rules: [{ field: 'channel', op: 'EQ', value: 'phone' }] });
    expect((await render(minted.token, t.apiKey)).widgets['Calls']).toEqual([[3]]);
    const operator = await t.gql(
      'mutation($pageId: ID!, $rules: [RuleInput!]) { mintPageEmbed(input: { pageId: $pageId, audience: SELF, rules: $rules }) { token } }',
      {
        pageId,
        rules: [{ field: 'channel', op: 'EQ', value: { $ne: null } }],
      },
    );
    expect(codeOf(operator)).toBe('BAD_USER_INPUT');
    const dotted = await t.gql(
      'mutation($pageId: ID!) { mintPageEmbed(input: { pageId: $pageId, audience: SELF, rules: [{ field: "data.channel", op: EQ, value: "x" }] }) { token } }',
      { pageId },
    );
    expect(codeOf(dotted)).toBe('BAD_USER_INPUT');
  });

  test('only an admin may mint PUBLIC; members and agents mint SELF and WORKSPACE alike', async () => {
    const member = await createPrincipal(t, { name: 'Member' });
    const agent = await createPrincipal(t, { name: 'Agent', kind: 'AGENT' });
    for (const apiKey of [member.apiKey, agent.apiKey]) {
      const denied = await t.gql('mutation($pageId: ID!) { mintPageEmbed(input: { pageId: $pageId, audience: PUBLIC }) { token } }', { pageId }, { apiKey });
      expect(codeOf(denied)).toBe('FORBIDDEN');
      expect((await render((await mint(t, { pageId, audience: 'WORKSPACE' }, apiKey)).token, apiKey)).widgets['Calls']).toEqual([[6]]);
    }
    expect((await render((await mint(t, { pageId, audience: 'PUBLIC' })).token)).widgets['Calls']).toEqual([[6]]);
  });

  test('a narrowed minter renders narrowed, at mint and at every load', async () => {
    const narrow = await createPrincipal(t, { name: 'Ada only', dataAccess: { all: false, owners: ['ada'] } });
    const self = await mint(t, { pageId, audience: 'SELF' }, narrow.apiKey);
    const workspace = await mint(t, { pageId, audience: 'WORKSPACE' }, narrow.apiKey);
    expect((await render(self.token, narrow.apiKey)).widgets['Calls']).toEqual([[3]]);
    expect((await render(workspace.token, narrow.apiKey)).widgets['Calls']).toEqual([[3]]);
    const ruled = await createPrincipal(t, { name: 'Phone only', dataAccess: { all: true, rules: [{ field: 'channel', op: 'EQ', value: 'phone' }] } });
    expect(
      (await render((await mint(t, { pageId, audience: 'WORKSPACE', rules: [{ field: 'owner', op: 'EQ', value: 'ada' }] }, ruled.apiKey)).token, ruled.apiKey))
        .widgets['Calls'],
    ).toEqual([[2]]);
  });

  test('a deleted minter kills its embeds on the next load', async () => {
    const member = await createPrincipal(t, { name: 'Leaving' });
    const minted = await mint(t, { pageId, audience: 'WORKSPACE' }, member.apiKey);
    expect((await render(minted.token, member.apiKey)).status).toBe(200);
    await t.gql('mutation($id: ID!) { deletePrincipal(id: $id) }', { id: member.id });
    // A teammate still signed in is refused too: the token died with its minter.
    for (const viewer of [member.apiKey, t.apiKey]) expect(await render(minted.token, viewer)).toMatchObject({ status: 401, code: 'EMBED_UNAVAILABLE' });
  });

  test('an admin demoted to member kills its public embeds', async () => {
    const admin = await createPrincipal(t, { name: 'Admin 2', role: 'ADMIN' });
    const minted = await mint(t, { pageId, audience: 'PUBLIC' }, admin.apiKey);
    expect((await render(minted.token)).status).toBe(200);
    // No demote mutation exists yet; the store is the honest way to change a role here.
    await t.store.principals.updateOne({ _id: admin.id }, { set: { role: 'MEMBER' } });
    expect((await render(minted.token)).status).toBe(401);
  });

  test('revoking one embed leaves the others working, and the list shows it', async () => {
    const first = await mint(t, { pageId, audience: 'WORKSPACE' });
    const second = await mint(t, { pageId, audience: 'WORKSPACE' });
    await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { revokedAt } }', { id: first.id });
    expect(await render(first.token, t.apiKey)).toMatchObject({ status: 401, code: 'EMBED_UNAVAILABLE' });
    expect((await render(second.token, t.apiKey)).status).toBe(200);
    const listed = await t.gql<{ pageEmbeds: Array<{ id: string; revokedAt: string | null; minterName: string; audience: string }> }>(
      'query($pageId: ID!) { pageEmbeds(pageId: $pageId) { id revokedAt minterName audience } }',
      { pageId },
    );
    const entry = listed.body.data!.pageEmbeds.find((embed) => embed.id === first.id);
    expect(entry).toMatchObject({ revokedAt: expect.any(String), audience: 'WORKSPACE' });
  });

  test('load counts and last-used times are recorded (batched), once per view', async () => {
    const minted = await mint(t, { pageId, audience: 'WORKSPACE' });
    // A view is the HTML page and then its data request; only the data request counts.
    await fetch(minted.embedUrl.replace(t.url, t.ipUrl));
    await render(minted.token, t.apiKey);
    await render(minted.token, t.apiKey);
    await t.server.services.usage.flush();
    const listed = await t.gql<{ pageEmbeds: Array<{ id: string; loadCount: number; lastUsedAt: string | null }> }>(
      'query($pageId: ID!) { pageEmbeds(pageId: $pageId) { id loadCount lastUsedAt } }',
      { pageId },
    );
    expect(listed.body.data!.pageEmbeds.find((embed) => embed.id === minted.id)).toMatchObject({ loadCount: 2, lastUsedAt: expect.any(String) });
  });

  test('revoking the signing secret kills every token it signed; minting needs an active secret', async () => {
    const other = await startTestServer();
    try {
      await ingest(other, 'calls', CALLS);
      const id = await createPage(other, CALLS_PAGE);
      const none = await other.gql('mutation($id: ID!) { mintPageEmbed(input: { pageId: $id, audience: SELF }) { token } }', { id });
      expect(codeOf(none)).toBe('BAD_USER_INPUT');
      expect(none.body.errors?.[0]?.message).toMatch(/signing secret/);
      const oldSecret = await createSecret(other);
      const minted = await mint(other, { pageId: id, audience: 'WORKSPACE' });
      const newSecret = await createSecret(other);
      const afterRotation = await mint(other, { pageId: id, audience: 'WORKSPACE' });
      await other.gql('mutation($id: ID!) { revokeSigningSecret(id: $id) { revokedAt } }', { id: oldSecret.id });
      const viewer = await viewerOf(other.apiKey, other);
      const refused = await other.embedGql(PAGE_QUERY, minted.token, viewer);
      expect([refused.status, codeOf(refused)]).toEqual([401, 'EMBED_UNAVAILABLE']);
      expect((await other.embedGql(PAGE_QUERY, afterRotation.token, viewer)).status).toBe(200);
      const listed = await other.gql<{ signingSecrets: Array<{ id: string; prefix: string }> }>('{ signingSecrets { id prefix } }');
      expect(JSON.stringify(listed.body)).not.toContain(newSecret.plaintext);
      expect(newSecret.plaintext.startsWith(listed.body.data!.signingSecrets.find((secret) => secret.id === newSecret.id)!.prefix)).toBe(true);
    } finally {
      await other.close();
    }
  });

  test("a token minted by a customer's own service with jose and the plaintext secret works", async () => {
    const secret = await createSecret(t);
    const viewer = await t.gql<{ viewer: { id: string; workspace: { id: string } } }>('{ viewer { id workspace { id } } }');
    const { id: sub, workspace } = viewer.body.data!.viewer;
    const token = await new SignJWT({
      ws: workspace.id,
      page: pageId,
      audience: 'workspace',
      sub,
      rules: [{ field: 'owner', op: 'IN', value: ['grace', 'alan'] }],
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: secret.id })
      .setAudience('porthole:embed')
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(secret.plaintext));
    // Its minter is its `sub`, the admin, who views it signed in.
    expect((await render(token, t.apiKey)).widgets['Calls']).toEqual([[3]]);
    const withoutSub = await new SignJWT({ ws: workspace.id, page: pageId, audience: 'self' })
      .setProtectedHeader({ alg: 'HS256', kid: secret.id })
      .setAudience('porthole:embed')
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(secret.plaintext));
    // Without a `sub` the minter is the secret's creator: the admin again.
    expect((await render(withoutSub, t.apiKey)).widgets['Calls']).toEqual([[6]]);
  });
});

describe('the user dashboard', () => {
  test("a session renders the workspace's dashboard pages scoped to that user", async () => {
    const user = await createUser(t, 'grace');
    const exchange = await t.gql<{ validateEmbedToken: { authToken: string } }>(
      'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }',
      { t: user.embedToken },
      { apiKey: null },
    );
    const response = await t.embedGql<{ dashboard: { pages: Array<{ title: string; widgets: Widget[] }> } }>(
      DASHBOARD_QUERY,
      exchange.body.data!.validateEmbedToken.authToken,
    );
    const [page] = response.body.data!.dashboard.pages;
    expect(page!.title).toBe('Calls');
    expect(page!.widgets.find((widget) => widget.title === 'Calls')!.data.rows).toEqual([[2]]);
    expect(page!.widgets.find((widget) => widget.title === 'Minutes')!.data.rows).toEqual([[22]]);
  });

  test('a session token cannot open a page and a page token cannot open a dashboard', async () => {
    const user = await createUser(t, 'ada');
    const exchange = await t.gql<{ validateEmbedToken: { authToken: string } }>(
      'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }',
      { t: user.embedToken },
      { apiKey: null },
    );
    expect((await t.embedGql(PAGE_QUERY, exchange.body.data!.validateEmbedToken.authToken)).status).toBe(401);
    // Signed in as its minter, so the refusal is the query's, not the viewer's.
    const pageToken = (await mint(t, { pageId, audience: 'WORKSPACE' })).token;
    const asDashboard = await t.embedGql(DASHBOARD_QUERY, pageToken, await viewerOf(t.apiKey));
    expect([asDashboard.status, codeOf(asDashboard)]).toEqual([401, 'EMBED_UNAVAILABLE']);
    expect((await t.embedGql(DASHBOARD_QUERY, user.embedToken)).status).toBe(401);
  });
});

describe('isolation between workspaces', () => {
  test("one workspace can neither read, mint nor render another's pages, secrets or records", async () => {
    expect(codeOf(await t.gql('query($id: ID!) { page(id: $id) { id } }', { id: pageId }, { apiKey: t.otherApiKey }))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql('query($id: ID!) { pageEmbeds(pageId: $id) { id } }', { id: pageId }, { apiKey: t.otherApiKey }))).toBe('NOT_FOUND');
    const mintOther = await t.gql(
      'mutation($id: ID!) { mintPageEmbed(input: { pageId: $id, audience: PUBLIC }) { token } }',
      { id: pageId },
      { apiKey: t.otherApiKey },
    );
    expect(codeOf(mintOther)).toBe('NOT_FOUND');
    const ours = await t.gql<{ signingSecrets: Array<{ id: string }> }>('{ signingSecrets { id } }');
    const secretId = ours.body.data!.signingSecrets[0]!.id;
    expect(codeOf(await t.gql('mutation($id: ID!) { revokeSigningSecret(id: $id) { id } }', { id: secretId }, { apiKey: t.otherApiKey }))).toBe('NOT_FOUND');
    const theirSecrets = await t.gql<{ signingSecrets: Array<{ id: string }> }>('{ signingSecrets { id } }', {}, { apiKey: t.otherApiKey });
    expect(theirSecrets.body.data!.signingSecrets.map((secret) => secret.id)).not.toContain(secretId);

    // globex's own page over the same dataset name sees none of acme's records.
    await createSecret(t, t.otherApiKey);
    const theirPage = await createPage(t, CALLS_PAGE, t.otherApiKey);
    const theirEmbed = await mint(t, { pageId: theirPage, audience: 'PUBLIC' }, t.otherApiKey);
    expect((await render(theirEmbed.token)).widgets['Calls']).toEqual([[0]]);
    // A globex token naming acme's page and workspace is refused.
    expect((await render(theirEmbed.token.replace(/\.[^.]+\./, '.' + Buffer.from(JSON.stringify({ page: pageId })).toString('base64url') + '.'))).status).toBe(
      401,
    );
  });
});

describe('the embed HTML route', () => {
  test('serves the page with frame-ancestors from the token origins, no referrer and no caching', async () => {
    const minted = await mint(t, { pageId, audience: 'PUBLIC', origins: ['https://partner.example', 'http://localhost:8080'] });
    const response = await fetch(minted.embedUrl.replace(t.url, t.ipUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain('frame-ancestors https://partner.example http://localhost:8080');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  test('frame-ancestors is * when the token names no origins', async () => {
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    const response = await fetch(minted.embedUrl.replace(t.url, t.ipUrl));
    expect(response.headers.get('content-security-policy')).toContain('frame-ancestors *');
  });

  test('every bad token gets the same unavailable page and status', async () => {
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    const otherPage = await createPage(t, { title: 'Other', widgets: [] });
    const urls = [
      `${t.ipUrl}/embed-page/acme/${pageId}`,
      `${t.ipUrl}/embed-page/acme/${pageId}?t=garbage`,
      `${t.ipUrl}/embed-page/acme/${pageId}?t=${minted.token}x`,
      `${t.ipUrl}/embed-page/acme/${otherPage}?t=${minted.token}`,
      `${t.ipUrl}/embed-page/globex/${pageId}?t=${minted.token}`,
    ];
    const answers = await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(url);
        return `${response.status} ${response.headers.get('content-security-policy')} ${await response.text()}`;
      }),
    );
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]!.startsWith('401 ')).toBe(true);
  });
});

describe('raw client files', () => {
  test('the built pages are not served without their headers', async () => {
    for (const path of ['/embed-page.html', '/console.html']) expect((await fetch(`${t.ipUrl}${path}`)).status).toBe(404);
  });
});
