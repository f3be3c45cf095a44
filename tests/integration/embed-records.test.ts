import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SignJWT } from 'jose';
import { asViewer, CALLS, CALLS_PAGE, createPage, createSecret, ingest, PAGE_QUERY, viewerToken } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Embed records belong to a workspace (issue 19.7): a `jti` is looked up and registered within
 * the token's workspace only; an ended console preview stays ended; a self-minted token is
 * registered (listed) only once every check of it passed.
 */

let t: TestServer;
const acme = { pageId: '', workspaceId: '', adminId: '', secret: { id: '', plaintext: '' } };
const globex = { pageId: '', workspaceId: '', adminId: '', secret: { id: '', plaintext: '' } };

async function setUp(side: typeof acme, apiKey: string): Promise<void> {
  await ingest(t, 'calls', CALLS, apiKey);
  side.pageId = await createPage(t, CALLS_PAGE, apiKey);
  side.secret = await createSecret(t, apiKey);
  const viewer = await t.gql<{ viewer: { id: string; workspace: { id: string } } }>('{ viewer { id workspace { id } } }', {}, { apiKey });
  side.adminId = viewer.body.data!.viewer.id;
  side.workspaceId = viewer.body.data!.viewer.workspace.id;
}

beforeAll(async () => {
  t = await startTestServer();
  await setUp(acme, t.apiKey);
  await setUp(globex, t.otherApiKey);
});
afterAll(async () => {
  await t.close();
});

const codeOf = (response: { body: { errors?: Array<{ extensions?: { code?: string } }> } }) => response.body.errors?.[0]?.extensions?.code;

/** A token the workspace's own signing service mints with the plaintext secret (a documented format). */
const selfMint = (side: typeof acme, jti: string, extra: Record<string, unknown> = {}) =>
  new SignJWT({ ws: side.workspaceId, page: side.pageId, audience: 'public', sub: side.adminId, rules: [], origins: [], ...extra })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: side.secret.id })
    .setAudience('porthole:embed')
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(side.secret.plaintext));

const listed = async (side: typeof acme, apiKey: string) =>
  (await t.gql<{ pageEmbeds: Array<{ id: string }> }>('query($p: ID!) { pageEmbeds(pageId: $p) { id } }', { p: side.pageId }, { apiKey })).body.data!
    .pageEmbeds;

describe('a jti belongs to a workspace', () => {
  test('another workspace registering a predictable jti first does not shut out the victim’s token', async () => {
    const squatter = await t.embedGql(PAGE_QUERY, await selfMint(globex, 'order-1'));
    expect(squatter.status).toBe(200);
    const victim = await t.embedGql(PAGE_QUERY, await selfMint(acme, 'order-1'));
    expect(victim.status).toBe(200);
    expect(codeOf(victim)).toBeUndefined();
    // Each workspace lists its own registration under the jti, and revoking one leaves the other alone.
    const [acmeRecord] = await listed(acme, t.apiKey);
    const [globexRecord] = await listed(globex, t.otherApiKey);
    expect([acmeRecord!.id, globexRecord!.id]).toEqual(['order-1', 'order-1']);
    await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { id } }', { id: globexRecord!.id }, { apiKey: t.otherApiKey });
    expect((await t.embedGql(PAGE_QUERY, await selfMint(acme, 'order-1'))).status).toBe(200);
    expect(codeOf(await t.embedGql(PAGE_QUERY, await selfMint(globex, 'order-1')))).toBe('EMBED_UNAVAILABLE');
  });

  test('a jti naming another workspace’s minted embed record neither opens it nor is refused because of it', async () => {
    const minted = await t.gql<{ mintPageEmbed: { id: string } }>(
      'mutation($p: ID!) { mintPageEmbed(input: { pageId: $p, audience: PUBLIC }) { id } }',
      { p: globex.pageId },
      { apiKey: t.otherApiKey },
    );
    const foreignId = minted.body.data!.mintPageEmbed.id;
    await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { id } }', { id: foreignId }, { apiKey: t.otherApiKey });
    const response = await t.embedGql(PAGE_QUERY, await selfMint(acme, foreignId));
    expect(response.status).toBe(200);
  });
});

describe('console previews', () => {
  test('an ended preview stays ended after the next preview starts', async () => {
    const preview = () => t.gql<{ previewPageEmbed: { token: string } }>('mutation($p: ID!) { previewPageEmbed(pageId: $p) { token } }', { p: acme.pageId });
    const viewer = asViewer(await viewerToken(t));
    const first = (await preview()).body.data!.previewPageEmbed.token;
    expect((await t.embedGql(PAGE_QUERY, first, viewer)).status).toBe(200);
    await t.gql('mutation($p: ID!) { endPageEmbedPreview(pageId: $p) }', { p: acme.pageId });
    expect(codeOf(await t.embedGql(PAGE_QUERY, first, viewer))).toBe('EMBED_UNAVAILABLE');
    const second = (await preview()).body.data!.previewPageEmbed.token;
    expect((await t.embedGql(PAGE_QUERY, second, viewer)).status).toBe(200);
    expect(codeOf(await t.embedGql(PAGE_QUERY, first, viewer))).toBe('EMBED_UNAVAILABLE');
  });
});

describe('self-minted registration', () => {
  test('a self-minted token refused for a bad claim is never registered or listed', async () => {
    const before = await listed(acme, t.apiKey);
    for (const extra of [{ origins: ['javascript:alert(1)'] }, { range: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } }]) {
      const response = await t.embedGql(PAGE_QUERY, await selfMint(acme, `bad-${Object.keys(extra)[0]}`, extra));
      expect([Object.keys(extra)[0], codeOf(response)]).toEqual([Object.keys(extra)[0], 'EMBED_UNAVAILABLE']);
    }
    expect(await listed(acme, t.apiKey)).toEqual(before);
  });
});
