import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SignJWT } from 'jose';
import { asViewer, CALLS, CALLS_PAGE, createPage, createPrincipal, createSecret, createUser, ingest, mint, viewerToken } from '../support/factories.js';
import { startTestServer, type GqlResponse, type TestServer } from '../support/server.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';

interface AuditEvent {
  id: string;
  seq: number;
  action: string;
  actor: { kind: string; id: string | null; addressDigest: string | null };
  targets: Record<string, string>;
  jti: string | null;
  kid: string | null;
  outcome: string;
  detail: Record<string, unknown>;
}

const EVENTS = `query ($filter: AuditFilterInput, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    nodes { id seq action actor { kind id addressDigest } targets jti kid outcome detail }
    endCursor hasNextPage
  }
}`;
const VERIFY = '{ verifyAuditChain { ok events firstBrokenAt } }';

/** Every secret this file creates, to scan the trail for. */
const secrets: string[] = [];

let t: TestServer;
let pageId: string;
let adminId: string;

beforeAll(async () => {
  t = await startTestServer();
  secrets.push(t.apiKey, t.otherApiKey);
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, { ...CALLS_PAGE, dashboard: false });
  const secret = await createSecret(t);
  secrets.push(secret.plaintext);
  const viewer = await t.gql<{ viewer: { id: string } }>('{ viewer { id } }');
  adminId = viewer.body.data!.viewer.id;
});
afterAll(async () => {
  await t.close();
});

async function allEvents(server = t, apiKey = server.apiKey): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const response: GqlResponse<{ auditEvents: { nodes: AuditEvent[]; endCursor: string | null; hasNextPage: boolean } }> = await server.gql(
      EVENTS,
      { first: 100, after },
      { apiKey },
    );
    expect(response.body.errors).toBeUndefined();
    const page = response.body.data!.auditEvents;
    events.push(...page.nodes);
    if (!page.hasNextPage) return events;
    after = page.endCursor;
  }
}

/** The events of one action naming one target, after waiting for appends no request waits for (opens). */
async function eventsOf(action: string, targetId?: string): Promise<AuditEvent[]> {
  await t.server.services.audit.drain();
  const response = await t.gql<{ auditEvents: { nodes: AuditEvent[] } }>(EVENTS, { filter: { action, ...(targetId && { targetId }) }, first: 100 });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.auditEvents.nodes;
}

const byAdmin = { kind: 'PRINCIPAL', id: expect.any(String) };

describe('every audited action writes one event with its actor and targets', () => {
  test('signing secrets, principals and invitations', async () => {
    const created = await createSecret(t);
    secrets.push(created.plaintext);
    expect(await eventsOf('signing-secret.create', created.id)).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ ...byAdmin, id: adminId }), targets: { secretId: created.id } }),
    ]);
    await t.gql('mutation ($id: ID!) { revokeSigningSecret(id: $id) { id } }', { id: created.id });
    expect(await eventsOf('signing-secret.revoke', created.id)).toHaveLength(1);

    const agent = await createPrincipal(t, { name: 'Audited agent', kind: 'AGENT' });
    secrets.push(agent.apiKey);
    expect(await eventsOf('principal.create', agent.id)).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: adminId }), targets: { principalId: agent.id } }),
    ]);
    await t.gql('mutation ($id: ID!) { updatePrincipal(id: $id, input: { name: "Renamed" }) { id } }', { id: agent.id });
    expect(await eventsOf('principal.update', agent.id)).toHaveLength(1);

    const person = await t.gql<{ createPrincipal: { principal: { id: string }; invite: { url: string } } }>(
      'mutation { createPrincipal(input: { name: "Invited", kind: MEMBER, role: MEMBER, email: "invited@example.com", dataAccess: { all: true } }) { principal { id } invite { url } } }',
    );
    const personId = person.body.data!.createPrincipal.principal.id;
    secrets.push(person.body.data!.createPrincipal.invite.url.split('#').at(-1)!, person.body.data!.createPrincipal.invite.url);
    const invite = await t.gql<{ createInvite: { url: string } }>('mutation ($id: ID!) { createInvite(principalId: $id) { url } }', { id: personId });
    secrets.push(invite.body.data!.createInvite.url);
    expect(await eventsOf('principal.invite', personId)).toHaveLength(1);
    await t.gql('mutation ($id: ID!) { deletePrincipal(id: $id) }', { id: agent.id });
    expect(await eventsOf('principal.delete', agent.id)).toEqual([expect.objectContaining({ targets: { principalId: agent.id } })]);
  });

  test('sign-in, successful and failed', async () => {
    await viewerToken(t).then((token) => secrets.push(token));
    const signIns = await eventsOf('sign-in', adminId);
    expect(signIns.some((event) => event.outcome === 'SUCCESS' && event.detail['method'] === 'api-key')).toBe(true);
    const member = await t.gql<{ createPrincipal: { principal: { id: string } } }>(
      'mutation { createPrincipal(input: { name: "Guessed", kind: MEMBER, role: MEMBER, email: "guessed@example.com", dataAccess: { all: true } }) { principal { id } } }',
    );
    const memberId = member.body.data!.createPrincipal.principal.id;
    const wrongPassword = 'not-the-password-123';
    secrets.push(wrongPassword);
    const attempt = await fetch(`${t.ipUrl}/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'guessed@example.com', password: wrongPassword }),
    });
    expect(attempt.status).toBe(401);
    expect(await eventsOf('sign-in', memberId)).toEqual([
      expect.objectContaining({ outcome: 'FAILURE', actor: expect.objectContaining({ id: memberId }), detail: { method: 'password' } }),
    ]);
  });

  test('end users, their tokens and their records', async () => {
    const user = await createUser(t, 'audited-owner');
    secrets.push(user.embedToken);
    expect(await eventsOf('user.create', user.id)).toEqual([expect.objectContaining({ targets: { userId: user.id, owner: 'audited-owner' } })]);
    const regenerated = await t.gql<{ regenerateEmbedToken: { token: string } }>('mutation ($id: ID!) { regenerateEmbedToken(userId: $id) { token } }', {
      id: user.id,
    });
    secrets.push(regenerated.body.data!.regenerateEmbedToken.token);
    await t.gql('mutation ($id: ID!) { suspendUser(id: $id) { id } }', { id: user.id });
    await t.gql('mutation ($id: ID!) { reactivateUser(id: $id) { id } }', { id: user.id });
    await t.gql('mutation { deleteRecords(dataset: "calls", owner: "audited-owner") { deleted } }');
    await t.gql('mutation ($id: ID!) { deleteUser(id: $id) }', { id: user.id });
    for (const action of ['user.regenerate-token', 'user.suspend', 'user.reactivate', 'user.delete']) expect(await eventsOf(action, user.id)).toHaveLength(1);
    expect(await eventsOf('records.erase', 'audited-owner')).toEqual([expect.objectContaining({ targets: { owner: 'audited-owner', dataset: 'calls' } })]);
  });

  test('page access, mint, revoke, self-minted registration, opens (sampled) and exports', async () => {
    await t.gql('mutation ($pageId: ID!) { setPageAccess(pageId: $pageId, sharing: WORKSPACE_VIEW) { id } }', { pageId });
    expect(await eventsOf('page.access-change', pageId)).toHaveLength(1);

    const minted = await mint(t, { pageId, audience: 'PUBLIC', exports: ['CSV'] });
    secrets.push(minted.token);
    const [mintEvent] = await eventsOf('embed.mint', minted.id);
    expect(mintEvent).toEqual(
      expect.objectContaining({
        actor: expect.objectContaining({ id: adminId }),
        targets: { pageId, embedId: minted.id },
        jti: minted.id,
        kid: expect.any(String),
      }),
    );
    expect(mintEvent!.detail).toEqual({ audience: 'public', exports: 'csv' });

    // Three loads by one anonymous viewer within the hour: one open event.
    for (let load = 0; load < 3; load++) expect((await t.embedGql('{ page { id } }', minted.token)).status).toBe(200);
    const opens = await eventsOf('embed.open', minted.id);
    expect(opens).toHaveLength(1);
    expect(opens[0]!.actor).toEqual({ kind: 'ANONYMOUS', id: null, addressDigest: expect.any(String) });
    expect(opens[0]!.actor.addressDigest).not.toContain('127.0.0.1');

    const widgetId = (await t.embedGql<{ page: { widgets: Array<{ id: string }> } }>('{ page { widgets { id } } }', minted.token)).body.data!.page.widgets[0]!
      .id;
    const job = await t.embedGql<{ exportWidget: { url: string } }>(`{ exportWidget(widgetId: "${widgetId}", format: CSV) { url } }`, minted.token);
    secrets.push(job.body.data!.exportWidget.url);
    expect((await fetch(job.body.data!.exportWidget.url.replace(t.url, t.ipUrl))).status).toBe(200);
    expect(await eventsOf('embed.export', minted.id)).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ kind: 'ANONYMOUS' }),
        targets: { pageId, embedId: minted.id, widgetId },
        detail: { format: 'csv', rows: 1 },
      }),
    ]);

    await t.gql('mutation ($id: ID!) { revokePageEmbed(id: $id) { id } }', { id: minted.id });
    expect(await eventsOf('embed.revoke', minted.id)).toEqual([expect.objectContaining({ targets: { embedId: minted.id, pageId } })]);

    const signing = await createSecret(t);
    secrets.push(signing.plaintext);
    const ws = await t.gql<{ viewer: { workspace: { id: string } } }>('{ viewer { workspace { id } } }');
    const jti = `self-${randomBytes(6).toString('hex')}`;
    const selfMinted = await new SignJWT({ ws: ws.body.data!.viewer.workspace.id, page: pageId, audience: 'public', jti, rules: [], origins: [] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: signing.id })
      .setAudience('porthole:embed')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(signing.plaintext));
    secrets.push(selfMinted);
    expect((await t.embedGql('{ page { id } }', selfMinted)).status).toBe(200);
    expect(await eventsOf('embed.self-minted-registered', jti)).toEqual([expect.objectContaining({ jti, kid: signing.id, targets: { pageId, embedId: jti } })]);
  });

  test('a signed-in viewer opening a WORKSPACE embed is its actor, apart from anonymous viewers', async () => {
    const minted = await mint(t, { pageId, audience: 'WORKSPACE' });
    secrets.push(minted.token);
    const token = await viewerToken(t);
    secrets.push(token);
    for (let load = 0; load < 2; load++) expect((await t.embedGql('{ page { id } }', minted.token, asViewer(token))).status).toBe(200);
    expect(await eventsOf('embed.open', minted.id)).toEqual([expect.objectContaining({ actor: expect.objectContaining({ kind: 'VIEWER', id: adminId }) })]);
  });
});

describe('reading and trusting the trail', () => {
  test('a member cannot read the trail or check its chain, over GraphQL or REST', async () => {
    const member = await createPrincipal(t, { name: 'Curious member', role: 'MEMBER' });
    secrets.push(member.apiKey);
    const listed = await t.gql(EVENTS, {}, { apiKey: member.apiKey });
    expect(listed.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const checked = await t.gql(VERIFY, {}, { apiKey: member.apiKey });
    expect(checked.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const rest = await t.rest('GET', '/api/platform/v1/audit', undefined, { 'x-api-key': member.apiKey });
    expect(rest.status).toBe(403);
    expect((rest.body['error'] as { code: string }).code).toBe('FORBIDDEN');
  });

  test('REST lists the trail newest first with a cursor, as JSON and as NDJSON', async () => {
    const first = await t.rest('GET', '/api/platform/v1/audit?limit=2', undefined, { 'x-api-key': t.apiKey });
    expect(first.status).toBe(200);
    const data = first.body['data'] as Array<{ seq: number; prev_hash: string; actor: { address_digest: string | null } }>;
    expect(data).toHaveLength(2);
    expect(data[0]!.seq).toBeGreaterThan(data[1]!.seq);
    const cursor = first.body['next_cursor'] as string;
    const ndjson = await fetch(`${t.ipUrl}/api/platform/v1/audit?limit=3&cursor=${encodeURIComponent(cursor)}`, {
      headers: { 'x-api-key': t.apiKey, accept: 'application/x-ndjson' },
    });
    expect(ndjson.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await ndjson.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number });
    expect(lines.map((line) => line.seq)).toEqual([data[1]!.seq - 1, data[1]!.seq - 2, data[1]!.seq - 3]);
    expect(ndjson.headers.get('x-next-cursor')).toEqual(expect.any(String));
  });

  test('the chain verifies, and tampering with a stored event is found at that event', async () => {
    const before = await t.gql<{ verifyAuditChain: { ok: boolean; events: number; firstBrokenAt: number | null } }>(VERIFY);
    expect(before.body.data!.verifyAuditChain).toEqual({ ok: true, events: expect.any(Number), firstBrokenAt: null });
    const [victim] = (await allEvents()).filter((event) => event.action === 'principal.create');
    const stored = (await t.store.auditEvents.findOne({ _id: victim!.id }))!;
    await t.store.auditEvents.updateOne({ _id: victim!.id }, { set: { actor: { ...stored.actor, id: 'someone-else' } } });
    const after = await t.gql<{ verifyAuditChain: { ok: boolean; firstBrokenAt: number | null } }>(VERIFY);
    expect(after.body.data!.verifyAuditChain).toEqual({ ok: false, events: expect.any(Number), firstBrokenAt: victim!.seq });
    await t.store.auditEvents.updateOne({ _id: victim!.id }, { set: { actor: stored.actor } });
    expect((await t.gql<{ verifyAuditChain: { ok: boolean } }>(VERIFY)).body.data!.verifyAuditChain.ok).toBe(true);
  });

  test('nothing secret appears in any event: no API key, signing secret, token, invitation, URL ticket or password', async () => {
    await t.server.services.audit.drain();
    const stored = JSON.stringify(await t.store.auditEvents.find({}));
    expect(secrets.length).toBeGreaterThan(15);
    for (const secret of secrets) expect(stored).not.toContain(secret);
    // Nor the part of a download URL that works as a credential.
    for (const secret of secrets.filter((value) => value.includes('/embed/export/'))) expect(stored).not.toContain(secret.split('/').at(-1));
  });
});

describe('the chain across instances and retention', () => {
  test('two instances appending at once over one store never fork the chain', async () => {
    const store = new MemoryStore();
    const masterKey = new Uint8Array(randomBytes(32));
    const one = await startTestServer({ store, masterKey });
    const two = await startTestServer({ store, masterKey, env: { PORTHOLE_BOOTSTRAP: `acme=${one.apiKey}` } });
    try {
      await Promise.all(
        Array.from({ length: 12 }, (_, index) => createPrincipal(index % 2 ? one : two, { name: `Racer ${index}`, kind: 'AGENT' }, one.apiKey)),
      );
      const events = (await allEvents(one)).filter((event) => event.action === 'principal.create');
      expect(events).toHaveLength(12);
      const seqs = (await allEvents(one)).map((event) => event.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => index + 1));
      expect((await one.gql<{ verifyAuditChain: { ok: boolean } }>(VERIFY)).body.data!.verifyAuditChain.ok).toBe(true);
    } finally {
      await two.server.close();
      await one.close();
    }
  });

  test('after retention removed the oldest events the chain still verifies from the first kept one; removing a younger event breaks it', async () => {
    let offsetMs = 0;
    const clock = { now: () => new Date(Date.now() + offsetMs) };
    const server = await startTestServer({ clock, env: { PORTHOLE_AUDIT_RETENTION_DAYS: '1' } });
    try {
      for (let index = 0; index < 3; index++) await createPrincipal(server, { name: `Old ${index}`, kind: 'AGENT' });
      offsetMs = 2 * 86_400_000;
      for (let index = 0; index < 3; index++) await createPrincipal(server, { name: `New ${index}`, kind: 'AGENT' });
      // What the TTL index does: events whose retention ended are removed.
      const now = clock.now();
      for (const event of await server.store.auditEvents.find({})) if (event.expiresAt <= now) await server.store.auditEvents.deleteOne({ _id: event._id });
      const kept = await server.store.auditEvents.find({}, { sort: { seq: 1 } });
      expect(kept.map((event) => event.seq)).toEqual([4, 5, 6]);
      expect((await server.gql<{ verifyAuditChain: unknown }>(VERIFY)).body.data!.verifyAuditChain).toEqual({ ok: true, events: 3, firstBrokenAt: null });
      await server.store.auditEvents.deleteOne({ _id: kept[0]!._id });
      expect((await server.gql<{ verifyAuditChain: unknown }>(VERIFY)).body.data!.verifyAuditChain).toEqual({ ok: false, events: 2, firstBrokenAt: 5 });
    } finally {
      await server.close();
    }
  });
});
