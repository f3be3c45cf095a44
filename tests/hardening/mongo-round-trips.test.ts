import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { MongoStore } from '../../server/src/store/mongo/mongo-store.js';
import { CALLS, CALLS_PAGE, createPage, createSecret, createUser, DASHBOARD_QUERY, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { WireDocuments } from '../support/mongo-wire-documents.js';
import { MongoWirePeer, sequentialRoundTrips, type CommandTiming } from '../support/mongo-wire-peer.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * What one embed render costs the database on the mongo adapter, counted on the wire: the real
 * driver talks to a MongoDB wire peer holding the documents, which holds every answer DELAY_MS
 * (a database in another zone), so commands sent together arrive together and a command that
 * waited for another arrives after its answer. The peer's log of when each command arrived and
 * was answered gives the sequential round trips; counts are asserted, never times. The page is
 * CALLS_PAGE: two numbers, a bar, a line and a TABLE list (its rows and their count), all five
 * widgets answered in the render's second round trip.
 */

const DELAY_MS = 150;
const MAX_COMMANDS = 6;
const MAX_ROUND_TRIPS = 2;

let peer: MongoWirePeer;
let t: TestServer;
let pageToken: string;
let sessionToken: string;
let embedToken: string;
let secretId: string;
let pageId: string;

/** The commands `work` sent, with their timings, every answer held DELAY_MS meanwhile. */
async function onTheWire(work: () => Promise<void>): Promise<CommandTiming[]> {
  const from = peer.timeline.length;
  peer.delayMs = DELAY_MS;
  try {
    await work();
  } finally {
    peer.delayMs = 0;
  }
  return peer.timeline.slice(from);
}

/** What the count is made of, in the test's output: read when a figure moves. */
function report(label: string, timings: readonly CommandTiming[]): { commands: number; roundTrips: number; names: string[] } {
  const names = timings.map((command) => `${command.name} ${String(command.target)}`);
  const roundTrips = sequentialRoundTrips(timings);
  console.log(`${label}: ${timings.length} commands, ${roundTrips} sequential round trips\n  ${names.join('\n  ')}`);
  return { commands: timings.length, roundTrips, names };
}

/** A workspace seeded through the API alike on any store: a signing secret, CALLS, CALLS_PAGE on the dashboard, a PUBLIC embed, an end user. */
async function seed(server: TestServer) {
  const secret = await createSecret(server);
  await ingest(server, 'calls', CALLS);
  const pageId = await createPage(server, CALLS_PAGE);
  const token = (await mint(server, { pageId, audience: 'PUBLIC' })).token;
  const user = await createUser(server, 'ada');
  const exchanged = await server.rest('POST', '/api/validate-embed-token', { embed_token: user.embedToken });
  const { services } = server.server;
  await services.rollups.idle();
  await services.rollups.reconcile();
  return { pageId, secretId: secret.id, pageToken: token, embedToken: user.embedToken, sessionToken: String(exchanged.body['auth_token']) };
}

const widgetData = (body: { data?: unknown }) =>
  (body.data as { page: { widgets: Array<{ title: string; data: unknown }> } }).page.widgets.map(({ title, data }) => ({ title, data }));

beforeAll(async () => {
  peer = new MongoWirePeer();
  const documents = new WireDocuments();
  peer.react = (name, command) => documents.answer(name, command);
  await peer.open();
  t = await startTestServer({ store: await MongoStore.connect(peer.uri) });
  ({ pageId, secretId, pageToken, embedToken, sessionToken } = await seed(t));
  // Usage is written every few seconds in the background: stopped here (flushed), so no flush lands inside a count.
  await t.server.services.usage.stop();
  // One render of each first: the driver's connections are open, as on a server that has been up a while.
  expect((await t.embedGql(PAGE_QUERY, pageToken)).status).toBe(200);
  expect((await t.embedGql(DASHBOARD_QUERY, sessionToken)).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await peer?.close();
});

describe('store round trips on the mongo adapter (over the wire peer)', () => {
  test(`a public page render sends at most ${MAX_COMMANDS} commands in at most ${MAX_ROUND_TRIPS} round trips, and answers as the memory store does`, async () => {
    let answer: { status: number; body: { data?: unknown } } | undefined;
    const cost = report(
      'page render',
      await onTheWire(async () => {
        answer = await t.embedGql(PAGE_QUERY, pageToken);
      }),
    );
    expect(answer!.status).toBe(200);
    expect(cost.commands).toBeLessThanOrEqual(MAX_COMMANDS);
    expect(cost.roundTrips).toBeLessThanOrEqual(MAX_ROUND_TRIPS);
    // Every answer fits its first batch: no getMore round trip.
    expect(cost.names.filter((name) => name.startsWith('getMore'))).toEqual([]);

    const memory = await startTestServer();
    try {
      const seeded = await seed(memory);
      const reference = await memory.embedGql(PAGE_QUERY, seeded.pageToken);
      expect(widgetData(answer!.body)).toEqual(widgetData(reference.body));
    } finally {
      await memory.close();
    }
  });

  test(`a dashboard render sends at most ${MAX_COMMANDS} commands in at most ${MAX_ROUND_TRIPS} round trips`, async () => {
    let status = 0;
    const cost = report(
      'dashboard render',
      await onTheWire(async () => {
        status = (await t.embedGql(DASHBOARD_QUERY, sessionToken)).status;
      }),
    );
    expect(status).toBe(200);
    expect(cost.commands).toBeLessThanOrEqual(MAX_COMMANDS);
    expect(cost.roundTrips).toBeLessThanOrEqual(MAX_ROUND_TRIPS);
  });

  test('each token exchange (REST and GraphQL) takes its limits and reads its user in one round trip', async () => {
    const rest = report(
      'POST /api/validate-embed-token',
      await onTheWire(async () => {
        expect((await t.rest('POST', '/api/validate-embed-token', { embed_token: embedToken })).status).toBe(200);
      }),
    );
    const graphql = report(
      'validateEmbedToken',
      await onTheWire(async () => {
        const response = await t.gql('mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }', { t: embedToken }, { apiKey: null });
        expect(response.body.errors).toBeUndefined();
      }),
    );
    for (const cost of [rest, graphql]) {
      expect(cost.roundTrips).toBe(1);
      expect(cost.commands).toBeLessThanOrEqual(4);
    }
  });

  test(`a page render with a registered issuer's token (ES256, PEM key) sends at most ${MAX_COMMANDS} commands in at most ${MAX_ROUND_TRIPS} round trips`, async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const created = await t.gql('mutation($input: CreateTokenIssuerInput!) { createTokenIssuer(input: $input) { id } }', {
      input: { name: 'IdP', issuer: 'urn:idp', publicKeyPem: await exportSPKI(publicKey), algorithms: ['ES256'] },
    });
    expect(created.body.errors).toBeUndefined();
    const viewer = await t.gql<{ viewer: { id: string; workspace: { id: string } } }>('{ viewer { id workspace { id } } }');
    const token = await new SignJWT({ ws: viewer.body.data!.viewer.workspace.id, page: pageId, audience: 'public', sub: viewer.body.data!.viewer.id })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('urn:idp')
      .setAudience('porthole:embed')
      .setJti('issuer-round-trips')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    // Its first load registers the self-minted record (one write more) and writes its audit events in the background
    // (drained here, so that they do not land inside the count); every load after it is counted.
    expect((await t.embedGql(PAGE_QUERY, token)).status).toBe(200);
    await t.server.services.audit.drain();
    let status = 0;
    const cost = report(
      'page render (registered issuer)',
      await onTheWire(async () => {
        status = (await t.embedGql(PAGE_QUERY, token)).status;
      }),
    );
    expect(status).toBe(200);
    expect(cost.commands).toBeLessThanOrEqual(MAX_COMMANDS);
    expect(cost.roundTrips).toBeLessThanOrEqual(MAX_ROUND_TRIPS);
  });

  test('the signing secret is still read on every load: revoked, the next render is refused at once', async () => {
    const revoked = await t.gql('mutation($id: ID!) { revokeSigningSecret(id: $id) { id } }', { id: secretId });
    expect(revoked.body.errors).toBeUndefined();
    const response = await t.embedGql(PAGE_QUERY, pageToken);
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('EMBED_UNAVAILABLE');
  });
});
