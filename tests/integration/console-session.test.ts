import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrincipal } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

interface SignIn {
  status: number;
  text: string;
  setCookie: string | null;
  /** `name=value`, ready for a Cookie header. */
  cookie: string;
  token: string;
}

async function signIn(apiKey: string, base = t.ipUrl): Promise<SignIn> {
  const response = await fetch(`${base}/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey }),
  });
  // The session cookie comes first; sign-in also sets the viewer bridge cookie (viewer-identity.test.ts).
  const setCookie = response.headers.getSetCookie()[0] ?? null;
  const cookie = setCookie?.split(';')[0] ?? '';
  return { status: response.status, text: await response.text(), setCookie, cookie, token: cookie.split('=')[1] ?? '' };
}

/** POST /graphql as the console does: the cookie, JSON, no API key. */
async function cookieGql(cookie: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.ipUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> },
  };
}

const codeOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.[0]?.extensions?.code;

/** A raw request with a chosen Host header (fetch does not let a caller set one). */
function rawPost(path: string, host: string, body: string): Promise<{ status: number; setCookie: string[] }> {
  const { port } = new URL(t.ipUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [] }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('console sign-in', () => {
  test('a valid key gets an HttpOnly, SameSite=Strict, Path=/ session cookie and the viewer, never the key', async () => {
    const session = await signIn(t.apiKey);
    expect(session.status).toBe(201);
    expect(session.setCookie).toMatch(/^porthole_console=[A-Za-z0-9_-]{43}; /);
    const attributes = session.setCookie!.split('; ').slice(1);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${12 * 3600}`]));
    // Plain-HTTP loopback cannot hold a Secure cookie; every other host gets one (next test).
    expect(attributes).not.toContain('Secure');
    expect(session.text).not.toContain(t.apiKey);
    expect(session.setCookie).not.toContain(t.apiKey);
    expect(JSON.parse(session.text)).toMatchObject({ viewer: { name: 'acme admin', role: 'ADMIN', workspace: { slug: 'acme' } } });
  });

  test('on a non-loopback host the cookie is Secure and __Host- prefixed', async () => {
    const response = await rawPost('/console/session', 'porthole.example.com', JSON.stringify({ apiKey: t.apiKey }));
    expect(response.status).toBe(201);
    const [cookie] = response.setCookie;
    expect(cookie).toMatch(/^__Host-porthole_console=/);
    expect(cookie!.split('; ')).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']));
  });

  test('a wrong key is refused and sets no cookie', async () => {
    const wrong = await signIn(`${t.apiKey}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.setCookie).toBeNull();
    expect(JSON.parse(wrong.text).error.code).toBe('UNAUTHENTICATED');
    expect(wrong.text).not.toContain(t.apiKey);
  });

  test('a form post (not JSON) is refused', async () => {
    const response = await fetch(`${t.ipUrl}/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `apiKey=${encodeURIComponent(t.apiKey)}`,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  test('only a hash of the session token is stored', async () => {
    const session = await signIn(t.apiKey);
    const hash = createHash('sha256').update(session.token).digest('hex');
    expect(await t.store.consoleSessions.findOne({ _id: hash })).not.toBeNull();
    expect(await t.store.consoleSessions.findOne({ _id: session.token })).toBeNull();
  });

  test('neither the key nor the session token reaches the log', async () => {
    const session = await signIn(t.apiKey);
    await cookieGql(session.cookie, '{ viewer { id } }');
    const logs = t.logs.join('\n');
    expect(logs).not.toContain(t.apiKey);
    expect(logs).not.toContain(session.token);
  });
});

describe('cookie-authenticated GraphQL', () => {
  test('a JSON request with the session cookie acts as the signed-in principal', async () => {
    const member = await createPrincipal(t, { name: 'Mia Member' });
    const session = await signIn(member.apiKey);
    const response = await cookieGql(session.cookie, '{ viewer { name role workspace { slug } } }');
    expect(response.body.data).toEqual({ viewer: { name: 'Mia Member', role: 'MEMBER', workspace: { slug: 'acme' } } });
  });

  test("the session is the member's own: admin-only fields stay forbidden", async () => {
    const member = await createPrincipal(t, { name: 'Another member' });
    const session = await signIn(member.apiKey);
    expect(codeOf((await cookieGql(session.cookie, '{ signingSecrets { id } }')).body)).toBe('FORBIDDEN');
  });

  test('a GET without a preflight header is refused by CSRF prevention, even with the cookie', async () => {
    const session = await signIn(t.apiKey);
    const forged = await fetch(`${t.ipUrl}/graphql?query=${encodeURIComponent('{ viewer { name } }')}`, { headers: { cookie: session.cookie } });
    const text = await forged.text();
    expect(forged.status).toBe(400);
    expect(text).toMatch(/Cross-Site Request Forgery/);
    expect(text).not.toContain('acme admin');
    // The same request with the header a cross-site form cannot send goes through.
    const allowed = await fetch(`${t.ipUrl}/graphql?query=${encodeURIComponent('{ viewer { name } }')}`, {
      headers: { cookie: session.cookie, 'apollo-require-preflight': 'true' },
    });
    expect(((await allowed.json()) as { data: unknown }).data).toEqual({ viewer: { name: 'acme admin' } });
  });

  test('a text/plain POST (what a cross-site form can send) is refused by CSRF prevention', async () => {
    const session = await signIn(t.apiKey);
    const forged = await fetch(`${t.ipUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie: session.cookie },
      body: JSON.stringify({ query: 'mutation { createApiKey(name: "stolen") { plaintext } }' }),
    });
    const text = await forged.text();
    expect(forged.status).toBe(400);
    expect(text).toMatch(/Cross-Site Request Forgery/);
    expect(text).not.toContain('plaintext');
    const keys = await t.gql<{ apiKeys: Array<{ name: string | null }> }>('{ apiKeys { name } }');
    expect(keys.body.data?.apiKeys.map((key) => key.name)).not.toContain('stolen');
  });

  test('an X-API-KEY header decides: a wrong key is not rescued by a valid cookie', async () => {
    const session = await signIn(t.apiKey);
    const response = await cookieGql(session.cookie, '{ viewer { id } }', { 'x-api-key': 'not-a-key' });
    expect(codeOf(response.body)).toBe('UNAUTHENTICATED');
  });

  test('a made-up cookie is UNAUTHENTICATED', async () => {
    const response = await cookieGql('porthole_console=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '{ viewer { id } }');
    expect(codeOf(response.body)).toBe('UNAUTHENTICATED');
  });
});

describe('ending a session', () => {
  test('sign-out clears the cookie and kills the session server-side', async () => {
    const session = await signIn(t.apiKey);
    const out = await fetch(`${t.ipUrl}/console/session`, { method: 'DELETE', headers: { cookie: session.cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^porthole_console=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict/);
    // A copy of the old cookie, replayed, no longer works.
    expect(codeOf((await cookieGql(session.cookie, '{ viewer { id } }')).body)).toBe('UNAUTHENTICATED');
    const hash = createHash('sha256').update(session.token).digest('hex');
    expect(await t.store.consoleSessions.findOne({ _id: hash })).toBeNull();
  });

  test('revoking the API key signed in with ends the session', async () => {
    const created = await t.gql<{ createApiKey: { key: { id: string }; plaintext: string } }>(
      'mutation { createApiKey(name: "console") { key { id } plaintext } }',
    );
    const { key, plaintext } = created.body.data!.createApiKey;
    const session = await signIn(plaintext);
    expect((await cookieGql(session.cookie, '{ viewer { id } }')).body.data).toBeTruthy();
    await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id });
    expect(codeOf((await cookieGql(session.cookie, '{ viewer { id } }')).body)).toBe('UNAUTHENTICATED');
  });

  test('deleting the principal ends its sessions', async () => {
    const member = await createPrincipal(t, { name: 'Leaving member' });
    const session = await signIn(member.apiKey);
    await t.gql('mutation($id: ID!) { deletePrincipal(id: $id) }', { id: member.id });
    expect(codeOf((await cookieGql(session.cookie, '{ viewer { id } }')).body)).toBe('UNAUTHENTICATED');
  });

  test('a session expires after 12 hours', async () => {
    let now = new Date('2026-11-20T08:00:00Z');
    const clocked = await startTestServer({ clock: { now: () => now } });
    try {
      const session = await signIn(clocked.apiKey, clocked.ipUrl);
      const ask = () =>
        fetch(`${clocked.ipUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: session.cookie },
          body: JSON.stringify({ query: '{ viewer { id } }' }),
        }).then((response) => response.json() as Promise<{ data?: unknown; errors?: Array<{ extensions?: { code?: string } }> }>);
      now = new Date(now.getTime() + 12 * 3600 * 1000 - 1000);
      expect((await ask()).data).toBeTruthy();
      now = new Date(now.getTime() + 2000);
      expect(codeOf(await ask())).toBe('UNAUTHENTICATED');
    } finally {
      await clocked.close();
    }
  });
});
