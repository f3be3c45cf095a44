import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrincipal } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * People sign in as people, over real HTTP: a member created by email gets a one-use invitation
 * (no API key), chooses a password on it and is signed in; then signs in with email and password.
 * Every failure of a password sign-in answers the same; attempts are limited per account and per
 * address; an admin's new invitation ends the old one and the person's sign-in; "sign out
 * everywhere" ends every session.
 */

let t: TestServer;
beforeAll(async () => {
  // Many sign-ins from one address: the limits have their own tests below, on their own server.
  t = await startTestServer({ env: { PORTHOLE_RATE_SIGN_IN_PER_ADDRESS: '1000', PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '1000' } });
});
afterAll(async () => {
  await t?.close();
});

const PASSWORD = 'correct horse battery staple';
const codeOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.[0]?.extensions?.code;
const codeIn = (url: string) => new URL(url).searchParams.get('code')!;

interface Answer {
  status: number;
  text: string;
  headers: Headers;
  /** The console cookie as `name=value`, when one was set. */
  cookie: string | null;
}

async function post(server: TestServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${server.ipUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const consoleCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('porthole_console='));
  return { status: response.status, text: await response.text(), headers: response.headers, cookie: consoleCookie ? consoleCookie.split(';')[0]! : null };
}

/** A sign-in or invitation answer: the viewer on success, `{ error }` otherwise (fields a test reads). */
interface AnswerBody {
  viewer: { id: string; name: string; workspace: { slug: string } };
  error: { code: string; message: string };
  name: string;
  email: string | null;
  workspace: { slug: string };
}
const json = (answer: Answer) => JSON.parse(answer.text) as AnswerBody;

/** POST /graphql as the console does: the cookie, JSON, no API key. */
async function cookieGql<T = Record<string, unknown>>(server: TestServer, cookie: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${server.ipUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

let emails = 0;
const uniqueEmail = (name = 'person') => `${name}.${(emails += 1)}@example.com`;

/** Creates a member by email through the API (as an admin of `apiKey`'s workspace) and returns its invitation. */
async function invitePerson(server: TestServer, input: { name?: string; email?: string; role?: 'ADMIN' | 'MEMBER' } = {}, apiKey = server.apiKey) {
  const email = input.email ?? uniqueEmail();
  const response = await server.gql<{
    createPrincipal: { principal: { id: string; email: string | null }; apiKey: string | null; invite: { url: string; expiresAt: string } | null };
  }>(
    'mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { principal { id email } apiKey invite { url expiresAt } } }',
    { input: { name: input.name ?? 'Ada Person', kind: 'MEMBER', role: input.role ?? 'MEMBER', email, dataAccess: {} } },
    { apiKey },
  );
  if (!response.body.data) throw new Error(JSON.stringify(response.body.errors));
  return { ...response.body.data.createPrincipal, email };
}

/** A person who accepted their invitation with `PASSWORD`. */
async function personWithPassword(server: TestServer, name = 'Pat Password') {
  const invited = await invitePerson(server, { name });
  const accepted = await post(server, '/console/invite/accept', { code: codeIn(invited.invite!.url), password: PASSWORD });
  if (accepted.status !== 201) throw new Error(accepted.text);
  return { id: invited.principal.id, email: invited.email, cookie: accepted.cookie! };
}

const signInWithPassword = (server: TestServer, email: string, password: string, headers: Record<string, string> = {}) =>
  post(server, '/console/session', { email, password }, headers);

describe('creating people', () => {
  test('a member created with an email gets a one-use invitation link and no API key', async () => {
    const email = uniqueEmail('Grace.Hopper');
    const created = await invitePerson(t, { name: 'Grace', email: email.toUpperCase() });
    expect(created.apiKey).toBeNull();
    expect(created.principal.email).toBe(email.toLowerCase());
    expect(created.invite!.url).toMatch(new RegExp(`^${t.url}/console/invite\\?code=[A-Za-z0-9_-]{43}$`));
    const days = (Date.parse(created.invite!.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    // A person created by email has no key to sign in with: the invitation is the way in.
    expect(await t.store.apiKeys.count({ principalId: created.principal.id })).toBe(0);
  });

  test('agents, and members created without an email, still get an API key', async () => {
    for (const kind of ['AGENT', 'MEMBER'] as const) {
      const response = await t.gql<{ createPrincipal: { apiKey: string | null; invite: unknown } }>(
        'mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { apiKey invite { url } } }',
        { input: { name: `Tool ${kind}`, kind, role: 'MEMBER', dataAccess: {} } },
      );
      expect(response.body.data!.createPrincipal.apiKey).toMatch(/^ph_/);
      expect(response.body.data!.createPrincipal.invite).toBeNull();
    }
  });

  test('an agent cannot be given an email', async () => {
    const response = await t.gql('mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { apiKey } }', {
      input: { name: 'Bot', kind: 'AGENT', role: 'MEMBER', email: uniqueEmail('bot'), dataAccess: {} },
    });
    expect(codeOf(response.body)).toBe('BAD_USER_INPUT');
  });

  test('an email already in the workspace, in any case, is a CONFLICT; another workspace may use it', async () => {
    const email = uniqueEmail('twice');
    await invitePerson(t, { email });
    const again = await t.gql('mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { apiKey } }', {
      input: { name: 'Again', kind: 'MEMBER', role: 'MEMBER', email: email.toUpperCase(), dataAccess: {} },
    });
    expect(codeOf(again.body)).toBe('CONFLICT');
    const elsewhere = await invitePerson(t, { email }, t.otherApiKey);
    expect(elsewhere.invite).not.toBeNull();
  });

  test("a person's email is shown to admins and to the person, not to other members", async () => {
    const person = await personWithPassword(t, 'Private Email');
    const colleague = await createPrincipal(t, { name: 'Colleague' });
    const query = 'query { viewer { email } principals { id email } }';
    const own = await cookieGql<{ viewer: { email: string } }>(t, person.cookie, query);
    expect(own.data!.viewer.email).toBe(person.email);
    const admin = await t.gql<{ principals: Array<{ id: string; email: string | null }> }>(query);
    expect(admin.body.data!.principals.find((principal) => principal.id === person.id)!.email).toBe(person.email);
    const pages = await t.gql<{ principal: unknown }>('query { viewer { email } }', {}, { apiKey: colleague.apiKey });
    expect(pages.body.data).toEqual({ viewer: { email: null } });
  });
});

describe('invitations', () => {
  test('an invitation is accepted once: the person chooses a password, is signed in, and the link is then spent', async () => {
    const invited = await invitePerson(t, { name: 'Ines Invited' });
    const code = codeIn(invited.invite!.url);

    const lookup = await post(t, '/console/invite/lookup', { code });
    expect(lookup.status).toBe(200);
    expect(json(lookup)).toMatchObject({ name: 'Ines Invited', email: invited.email, workspace: { slug: 'acme' } });

    const accepted = await post(t, '/console/invite/accept', { code, password: PASSWORD });
    expect(accepted.status).toBe(201);
    expect(json(accepted)).toMatchObject({ viewer: { id: invited.principal.id, name: 'Ines Invited', workspace: { slug: 'acme' } } });
    expect(accepted.cookie).toMatch(/^porthole_console=[A-Za-z0-9_-]{43}$/);
    const sessions = await cookieGql<{ viewer: { name: string }; mySessions: Array<{ method: string; current: boolean }> }>(
      t,
      accepted.cookie!,
      '{ viewer { name } mySessions { method current } }',
    );
    expect(sessions.data).toEqual({ viewer: { name: 'Ines Invited' }, mySessions: [{ method: 'INVITE', current: true }] });

    const second = await post(t, '/console/invite/accept', { code, password: 'another long password' });
    expect(second.status).toBe(401);
    expect(json(second).error.code).toBe('UNAUTHENTICATED');
    expect(second.cookie).toBeNull();
    expect((await post(t, '/console/invite/lookup', { code })).status).toBe(401);
  });

  test('a password shorter than 12 characters is BAD_USER_INPUT, and leaves the invitation usable', async () => {
    const invited = await invitePerson(t);
    const code = codeIn(invited.invite!.url);
    const short = await post(t, '/console/invite/accept', { code, password: 'elevenchars' });
    expect(short.status).toBe(400);
    expect(json(short).error).toMatchObject({ code: 'BAD_USER_INPUT', message: 'A password needs at least 12 characters.' });
    expect((await post(t, '/console/invite/accept', { code, password: 'twelve chars' })).status).toBe(201);
  });

  test('two tabs accepting one invitation at once: exactly one wins', async () => {
    const invited = await invitePerson(t);
    const code = codeIn(invited.invite!.url);
    const answers = await Promise.all(Array.from({ length: 4 }, (_, index) => post(t, '/console/invite/accept', { code, password: `${PASSWORD} ${index}` })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 401, 401, 401]);
  });

  test('an expired invitation is refused', async () => {
    let now = new Date('2026-11-20T08:00:00Z');
    const clocked = await startTestServer({ clock: { now: () => now } });
    try {
      const invited = await invitePerson(clocked);
      now = new Date(now.getTime() + 7 * 86_400_000 + 1000);
      const late = await post(clocked, '/console/invite/accept', { code: codeIn(invited.invite!.url), password: PASSWORD });
      expect(late.status).toBe(401);
      expect(json(late).error.message).toMatch(/not valid/);
    } finally {
      await clocked.close();
    }
  });

  test('a made-up code is refused like a spent one', async () => {
    const made = await post(t, '/console/invite/accept', { code: 'A'.repeat(43), password: PASSWORD });
    expect(made.status).toBe(401);
    expect(made.text).toBe((await post(t, '/console/invite/accept', { code: 'B'.repeat(43), password: PASSWORD })).text);
  });

  test('createInvite ends the old invitation and resets sign-in: the password and every session end', async () => {
    const person = await personWithPassword(t, 'Reset Me');
    const first = await t.gql<{ createInvite: { url: string } }>('mutation($id: ID!) { createInvite(principalId: $id) { url expiresAt } }', { id: person.id });
    const second = await t.gql<{ createInvite: { url: string } }>('mutation($id: ID!) { createInvite(principalId: $id) { url expiresAt } }', { id: person.id });
    expect((await post(t, '/console/invite/accept', { code: codeIn(first.body.data!.createInvite.url), password: PASSWORD })).status).toBe(401);
    // The reset ended the session and the password that were there before it.
    expect(codeOf(await cookieGql(t, person.cookie, '{ viewer { id } }'))).toBe('UNAUTHENTICATED');
    expect((await signInWithPassword(t, person.email, PASSWORD)).status).toBe(401);
    const accepted = await post(t, '/console/invite/accept', { code: codeIn(second.body.data!.createInvite.url), password: 'a brand new password' });
    expect(accepted.status).toBe(201);
    expect((await signInWithPassword(t, person.email, 'a brand new password')).status).toBe(201);
  });

  test('only admins issue invitations, and only for members with an email', async () => {
    const person = await personWithPassword(t, 'Not An Admin');
    const member = await createPrincipal(t, { name: 'Plain member' });
    const forbidden = await cookieGql(t, person.cookie, 'mutation($id: ID!) { createInvite(principalId: $id) { url } }', { id: member.id });
    expect(codeOf(forbidden)).toBe('FORBIDDEN');
    const keyOnly = await t.gql('mutation($id: ID!) { createInvite(principalId: $id) { url } }', { id: member.id });
    expect(codeOf(keyOnly.body)).toBe('BAD_USER_INPUT');
  });
});

describe('signing in with email and password', () => {
  test('the right email (in any case) and password open a session', async () => {
    const person = await personWithPassword(t, 'Sign Me In');
    const signedIn = await signInWithPassword(t, person.email.toUpperCase(), PASSWORD);
    expect(signedIn.status).toBe(201);
    expect(json(signedIn).viewer).toMatchObject({ id: person.id, name: 'Sign Me In' });
    const me = await cookieGql<{ mySessions: Array<{ method: string; current: boolean }> }>(t, signedIn.cookie!, '{ mySessions { method current } }');
    expect(me.data!.mySessions).toEqual([
      { method: 'PASSWORD', current: true },
      { method: 'INVITE', current: false },
    ]);
  });

  test('a wrong password, an unknown email and a person without a password get one identical answer', async () => {
    const person = await personWithPassword(t, 'Same Answer');
    const pending = await invitePerson(t);
    const answers = await Promise.all([
      signInWithPassword(t, person.email, `${PASSWORD}!`),
      signInWithPassword(t, uniqueEmail('nobody'), PASSWORD),
      signInWithPassword(t, pending.email, PASSWORD),
      signInWithPassword(t, 'not an email', PASSWORD),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.cookie).toBeNull();
      expect(answer.text).toBe(answers[0]!.text);
    }
    expect(json(answers[0]!).error).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/^That email and password do not match/) });
  });

  test('an unknown email costs the same password hashing as a wrong password', async () => {
    const person = await personWithPassword(t, 'Equal Work');
    const time = async (email: string) => {
      const started = performance.now();
      await signInWithPassword(t, email, 'a wrong password here');
      return performance.now() - started;
    };
    // Alternate, and compare medians: an unknown email that skipped scrypt would answer in a few ms.
    const known: number[] = [];
    const unknown: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      known.push(await time(person.email));
      unknown.push(await time(uniqueEmail('ghost')));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[1]!;
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  test('an email two workspaces share needs the workspace named', async () => {
    const email = uniqueEmail('shared');
    for (const apiKey of [t.apiKey, t.otherApiKey]) {
      const invited = await invitePerson(t, { email }, apiKey);
      expect((await post(t, '/console/invite/accept', { code: codeIn(invited.invite!.url), password: PASSWORD })).status).toBe(201);
    }
    expect((await signInWithPassword(t, email, PASSWORD)).status).toBe(401);
    const named = await post(t, '/console/session', { email, password: PASSWORD, workspace: 'globex' });
    expect(named.status).toBe(201);
    expect(json(named).viewer.workspace.slug).toBe('globex');
  });
});

describe('limits on password attempts', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({
      env: { PORTHOLE_TRUST_PROXY: 'true', PORTHOLE_RATE_SIGN_IN_FAILURES_PER_ACCOUNT: '3', PORTHOLE_RATE_SIGN_IN_PER_ADDRESS: '6' },
    });
  });
  afterAll(async () => {
    await limited?.close();
  });
  const from = (address: string) => ({ 'x-forwarded-for': address });

  test('per account, from every address together: past the limit even the right password is refused with 429', async () => {
    const person = await personWithPassword(limited, 'Guessed At');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await signInWithPassword(limited, person.email, `wrong password ${attempt}`, from(`198.51.100.${attempt + 1}`))).status).toBe(401);
    }
    const refused = await signInWithPassword(limited, person.email, PASSWORD, from('198.51.100.99'));
    expect(refused.status).toBe(429);
    expect(json(refused).error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-policy')).toMatch(/^"sign-in-account";q=3;w=900$/);
    // An unknown email is limited exactly like a known one, so the limit tells nothing about who exists.
    const ghost = uniqueEmail('ghost');
    for (let attempt = 0; attempt < 3; attempt += 1) await signInWithPassword(limited, ghost, 'wrong password!!', from(`198.51.100.${attempt + 20}`));
    expect((await signInWithPassword(limited, ghost, 'wrong password!!', from('198.51.100.30'))).status).toBe(429);
  });

  test('per address: one address trying many accounts is refused with 429', async () => {
    const answers: number[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1)
      answers.push((await signInWithPassword(limited, uniqueEmail('spray'), PASSWORD, from('203.0.113.7'))).status);
    expect(answers).toEqual([401, 401, 401, 401, 401, 401, 429]);
    const refused = await signInWithPassword(limited, uniqueEmail('spray'), PASSWORD, from('203.0.113.7'));
    expect(refused.headers.get('ratelimit-policy')).toMatch(/^"sign-in-address";q=6;w=60$/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('sessions', () => {
  test('sign out everywhere ends every session of the person, and no one else’s', async () => {
    const person = await personWithPassword(t, 'Many Tabs');
    const other = await signInWithPassword(t, person.email, PASSWORD);
    const bystander = await personWithPassword(t, 'Bystander');
    const ended = await cookieGql<{ signOutEverywhere: number }>(t, other.cookie!, 'mutation { signOutEverywhere }');
    expect(ended.data).toEqual({ signOutEverywhere: 2 });
    for (const cookie of [person.cookie, other.cookie!]) expect(codeOf(await cookieGql(t, cookie, '{ viewer { id } }'))).toBe('UNAUTHENTICATED');
    expect((await cookieGql(t, bystander.cookie, '{ viewer { name } }')).data).toEqual({ viewer: { name: 'Bystander' } });
  });

  test('a session opened with an API key still ends when that key is revoked; a password session does not', async () => {
    const person = await personWithPassword(t, 'Has A Key');
    const key = await cookieGql<{ createApiKey: { key: { id: string }; plaintext: string } }>(
      t,
      person.cookie,
      'mutation { createApiKey(name: "cli") { key { id } plaintext } }',
    );
    const keySession = await post(t, '/console/session', { apiKey: key.data!.createApiKey.plaintext });
    expect(keySession.status).toBe(201);
    await cookieGql(t, person.cookie, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.data!.createApiKey.key.id });
    expect(codeOf(await cookieGql(t, keySession.cookie!, '{ viewer { id } }'))).toBe('UNAUTHENTICATED');
    expect((await cookieGql(t, person.cookie, '{ viewer { name } }')).data).toEqual({ viewer: { name: 'Has A Key' } });
  });
});

describe('secrets stay secret', () => {
  test('no password, password hash or invitation code reaches a log line or an API answer', async () => {
    const invited = await invitePerson(t, { name: 'Log Check' });
    const code = codeIn(invited.invite!.url);
    const password = 'log-check password 1234';
    await post(t, '/console/invite/lookup', { code });
    await post(t, '/console/invite/accept', { code, password: 'short' });
    await post(t, '/console/invite/accept', { code, password });
    await post(t, '/console/invite/accept', { code, password });
    await signInWithPassword(t, invited.email, password);
    await signInWithPassword(t, invited.email, `${password}x`);
    // A body that does not parse, carrying the password: refused without echoing or logging it.
    await fetch(`${t.ipUrl}/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"email":"${invited.email}","password":"${password}"`,
    });
    const stored = await t.store.passwords.findOne({ _id: invited.principal.id });
    expect(stored!.hash).toMatch(/^\$scrypt\$ln=16,r=8,p=1\$/);
    const everything = await t.gql('{ principals { id name email kind role invitationExpiresAt dataAccess { all } } viewer { id email } }');
    const log = t.logs.join('');
    for (const secret of [password, code, stored!.hash, stored!.hash.split('$').pop()!]) {
      expect(log.includes(secret)).toBe(false);
      expect(everything.text.includes(secret)).toBe(false);
    }
  });
});
