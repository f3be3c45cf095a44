import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { loadConfig } from '../../server/src/config.js';
import { newId } from '../../server/src/crypto/random.js';
import type {
  AuditEventDoc,
  ConsoleSessionDoc,
  ExportTicketDoc,
  InvitationDoc,
  PasskeyDoc,
  PasswordDoc,
  PrincipalDoc,
  RecordDoc,
  RollupRowDoc,
  TokenIssuerDoc,
  UserDoc,
  WebAuthnChallengeDoc,
  WidgetQuery,
} from '../../server/src/domain/types.js';
import { AppError } from '../../server/src/errors.js';
import { compileQuery, toWidgetData, type Scope } from '../../server/src/query/compiler.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { MongoStore } from '../../server/src/store/mongo/mongo-store.js';
import { startEmbeddedMongo } from '../../server/src/store/open-store.js';
import { DuplicateKeyError, type Store } from '../../server/src/store/port.js';
import { WireDocuments } from '../support/mongo-wire-documents.js';
import { MongoWirePeer } from '../support/mongo-wire-peer.js';

/**
 * One contract, run against every storage adapter. The mongo adapter always runs through the real
 * MongoDB driver against the wire peer (`tests/support/mongo-wire-peer.ts` holding documents in
 * `WireDocuments`, which answers with mingo): that checks every command the adapter sends and its
 * reading of every reply, not MongoDB itself. Where the peer cannot answer as MongoDB would, the
 * test says so (`PEER_DIFFERS`), it is not skipped. It also runs against a real MongoDB when
 * MONGODB_URI is set, or MONGOMS_SYSTEM_BINARY names a mongod for mongodb-memory-server.
 */

interface Adapter {
  name: string;
  /** Over the wire peer: answers come from mingo, not MongoDB (see `PEER_DIFFERS`). */
  peer?: boolean;
  open: () => Promise<Store>;
  stop?: () => Promise<void>;
}

/** A real MongoDB, when one is named; null otherwise (no download is attempted: it cannot succeed offline, and CI runs the peer). */
async function realMongo(): Promise<Adapter | null> {
  const uri = loadConfig({ ...process.env, PORTHOLE_MASTER_KEY: 'x'.repeat(44) }).store.mongoUri;
  if (uri) return { name: 'mongo (MONGODB_URI)', open: () => MongoStore.connect(uri) };
  if (!process.env['MONGOMS_SYSTEM_BINARY']) return null;
  const embedded = await startEmbeddedMongo({ timeoutMs: 20_000 });
  return { name: 'mongo (mongodb-memory-server)', open: () => MongoStore.connect(embedded.uri), stop: embedded.stop };
}

/** The mongo adapter with the real driver, over a wire peer that holds what it is sent. */
function mongoOverWirePeer(): Adapter {
  const peer = new MongoWirePeer();
  return {
    name: 'mongo (real driver, over the wire peer)',
    peer: true,
    open: async () => {
      const documents = new WireDocuments();
      peer.react = (name, command) => documents.answer(name, command);
      await peer.open();
      return MongoStore.connect(peer.uri);
    },
    stop: () => peer.close(),
  };
}

const adapters: Adapter[] = [
  { name: 'memory', open: async () => new MemoryStore() },
  // Every aggregation cut into chunks of 7 records, yielding after each: the same answers as in one piece.
  { name: 'memory, in slices of 7 records', open: async () => new MemoryStore({ slices: { chunk: 7, sliceMs: 0 } }) },
  mongoOverWirePeer(),
];
const real = await realMongo();
if (real) adapters.push(real);

/**
 * Where the wire peer cannot answer as MongoDB does, by name and why. A test that meets one runs
 * on the peer all the same (what the adapter sends and how it reads the answer are still checked)
 * and carries the name in its title; none is a reason to skip the mongo adapter.
 */
const PEER_DIFFERS = {
  evaluation:
    "the peer evaluates filters, sorts and pipelines with mingo and the memory adapter's $dateTrunc, so the answers are mingo's: that MongoDB computes the same is checked only against a real MongoDB",
  regex: "the peer matches $regex with JavaScript's engine, which accepts a NUL byte in a pattern where MongoDB's PCRE refuses one",
} as const;
/** A test title's note, on the peer only, naming the exception it meets. */
const onPeer = (adapter: Adapter, exception: keyof typeof PEER_DIFFERS): string =>
  adapter.peer ? ` [wire peer: PEER_DIFFERS.${exception}: ${PEER_DIFFERS[exception]}]` : '';

const DAY = 24 * 3600 * 1000;

function fixture(workspaceId: string): RecordDoc[] {
  const owners = ['ada', 'grace', 'alan', null];
  const channels = ['phone', 'chat', 'email'];
  return Array.from({ length: 120 }, (_, index) => ({
    _id: newId(),
    workspaceId,
    dataset: index % 10 === 9 ? 'other' : 'calls',
    owner: owners[index % owners.length]!,
    at: new Date(Date.UTC(2026, 9, 1) + index * 0.7 * DAY + (index % 5) * 3600 * 1000),
    data: { channel: channels[index % channels.length], minutes: (index * 37) % 29, resolved: index % 3 === 0 },
  }));
}

/** A plain-JavaScript reference for what a pipeline must return, independent of any adapter. */
function reference(records: RecordDoc[], scope: Scope, query: WidgetQuery) {
  const value = (record: RecordDoc, field: string): unknown => (field === 'owner' || field === 'at' ? record[field] : record.data[field]);
  const compare = (left: unknown, right: unknown) =>
    (left instanceof Date ? left.getTime() : (left as number)) -
    (right instanceof Date ? right.getTime() : new Date(right as string).getTime() || (right as number));
  const passes = (record: RecordDoc, rule: WidgetQuery['filters'][number]) => {
    const actual = value(record, rule.field);
    const expected = rule.field === 'at' && typeof rule.value === 'string' ? new Date(rule.value) : rule.value;
    switch (rule.op) {
      case 'EQ':
        return actual === expected;
      case 'NE':
        return actual !== expected;
      case 'IN':
        return (rule.value as unknown[]).includes(actual);
      case 'NIN':
        return !(rule.value as unknown[]).includes(actual);
      case 'GT':
        return compare(actual, expected) > 0;
      case 'GTE':
        return compare(actual, expected) >= 0;
      case 'LT':
        return compare(actual, expected) < 0;
      case 'LTE':
        return compare(actual, expected) <= 0;
    }
  };
  return records.filter(
    (record) =>
      record.workspaceId === scope.workspaceId &&
      record.dataset === query.dataset &&
      (scope.owners === null || scope.owners.includes(record.owner!)) &&
      scope.rules.every((rule) => passes(record, rule)) &&
      query.filters.every((rule) => passes(record, rule)),
  );
}

const query = (overrides: Partial<WidgetQuery>): WidgetQuery => ({
  dataset: 'calls',
  filters: [],
  groupBy: null,
  bucket: null,
  metric: null,
  select: null,
  sort: null,
  limit: null,
  ...overrides,
});

describe.each(adapters)('storage contract: $name adapter', (adapter) => {
  let store: Store;
  const workspaceId = newId();
  const records = fixture(workspaceId);
  const all: Scope = { workspaceId, owners: null, rules: [] };

  beforeAll(async () => {
    store = await adapter.open();
    await store.records.insertMany(records);
    await store.records.insertMany(fixture(newId()));
  });
  afterAll(async () => {
    await store.close();
    await adapter.stop?.();
  });

  const user = (overrides: Partial<UserDoc> = {}): UserDoc => ({
    _id: newId(),
    workspaceId,
    externalId: newId(),
    email: null,
    name: null,
    status: 'ACTIVE',
    secretSealed: 'sealed',
    secretVersion: 'v',
    secretIssuedAt: new Date(),
    createdAt: new Date(),
    ...overrides,
  });

  test('round-trips documents, dates included', async () => {
    const doc = user({ name: 'Ada' });
    await store.users.insertOne(doc);
    const found = await store.users.findOne({ _id: doc._id });
    expect(found).toEqual(doc);
    expect(found!.createdAt).toBeInstanceOf(Date);
  });

  test("a page's widgets keep their layout (width, and order) through a save and an update", async () => {
    const widget = (id: string, width: string) => ({ id, title: id, kind: 'NUMBER', width, query: query({ metric: { fn: 'COUNT', field: null } }) });
    const page = {
      _id: newId(),
      workspaceId,
      title: 'Layout',
      description: null,
      dashboard: false,
      refreshSeconds: null,
      freshnessSeconds: 0,
      widgets: [widget('a', 'HALF'), widget('b', 'THIRD')],
      createdBy: 'someone',
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    await store.pages.insertOne(page as never);
    expect((await store.pages.findOne({ _id: page._id }))!.widgets.map((saved) => [saved.id, saved.width])).toEqual([
      ['a', 'HALF'],
      ['b', 'THIRD'],
    ]);
    await store.pages.updateOne({ _id: page._id }, { set: { widgets: [widget('b', 'FULL'), widget('a', 'HALF')] as never } });
    expect((await store.pages.findOne({ _id: page._id }))!.widgets.map((saved) => [saved.id, saved.width])).toEqual([
      ['b', 'FULL'],
      ['a', 'HALF'],
    ]);
  });

  test('hands out copies: mutating a result changes nothing stored', async () => {
    const doc = user();
    await store.users.insertOne(doc);
    const found = await store.users.findOne({ _id: doc._id });
    found!.status = 'SUSPENDED';
    expect((await store.users.findOne({ _id: doc._id }))!.status).toBe('ACTIVE');
  });

  test('enforces unique indexes', async () => {
    const doc = user({ externalId: 'same' });
    await store.users.insertOne(doc);
    await expect(store.users.insertOne(user({ externalId: 'same' }))).rejects.toBeInstanceOf(DuplicateKeyError);
    await expect(store.users.insertOne(user({ externalId: 'same', workspaceId: newId() }))).resolves.toBeUndefined();
    const slug = `ws-${newId()}`;
    await store.workspaces.insertOne({ _id: newId(), slug, name: 'x', allowedOrigins: [], createdAt: new Date() });
    await expect(store.workspaces.insertOne({ _id: newId(), slug, name: 'y', allowedOrigins: [], createdAt: new Date() })).rejects.toBeInstanceOf(
      DuplicateKeyError,
    );
  });

  test('insertNew skips stored or repeated ids and unique keys, and answers only what it stored', async () => {
    const first = user({ externalId: `dup-${newId()}` });
    const second = user();
    expect(await store.users.insertNew([first, second])).toEqual([first._id, second._id]);
    const third = user();
    const sameKey = user({ externalId: first.externalId });
    // A stored _id, a stored unique key, a new one, and the new one again in the same call.
    expect(await store.users.insertNew([{ ...first, name: 'changed' }, sameKey, third, { ...third, name: 'again' }])).toEqual([third._id]);
    expect((await store.users.findOne({ _id: first._id }))!.name).toBeNull();
    expect((await store.users.findOne({ _id: third._id }))!.name).toBeNull();
    expect(await store.users.findOne({ _id: sameKey._id })).toBeNull();
    expect(await store.users.insertNew([])).toEqual([]);
  });

  test('refuses a filter value that is not a literal, so it can never act as an operator', async () => {
    await expect(store.users.findOne({ externalId: { $ne: null } } as never)).rejects.toThrow(TypeError);
    await expect(store.users.find({ $where: 'true' } as never)).rejects.toThrow(TypeError);
  });

  test('updates with set and inc, returning the new document or null', async () => {
    const doc = user();
    await store.users.insertOne(doc);
    expect(await store.users.updateOne({ _id: doc._id }, { set: { status: 'SUSPENDED' } })).toMatchObject({ status: 'SUSPENDED' });
    expect(await store.users.updateOne({ _id: 'missing' }, { set: { status: 'SUSPENDED' } })).toBeNull();
    const id = newId();
    await store.counters.insertOne({ _id: id, count: 1, expiresAt: new Date(Date.now() + 60_000) });
    expect(await store.counters.updateOne({ _id: id }, { inc: { count: 2 } })).toMatchObject({ count: 3 });
  });

  test('updates with max: a date only moves forward, from missing or null too, whatever order writers come in', async () => {
    const doc = { ...user(), lastSeenAt: null } as UserDoc & { lastSeenAt: Date | null };
    await store.users.insertOne(doc);
    const later = new Date(Date.UTC(2026, 10, 20, 12, 5));
    const earlier = new Date(Date.UTC(2026, 10, 20, 12, 1));
    const max = (date: Date) => ({ max: { lastSeenAt: date } }) as never;
    expect(await store.users.updateOne({ _id: doc._id }, max(later))).toMatchObject({ lastSeenAt: later });
    expect(await store.users.updateOne({ _id: doc._id }, max(earlier))).toMatchObject({ lastSeenAt: later });
    const bare = user();
    await store.users.insertOne(bare);
    expect(await store.users.updateOne({ _id: bare._id }, max(earlier))).toMatchObject({ lastSeenAt: earlier });
    const counter = newId();
    await store.counters.insertOne({ _id: counter, count: 1, expiresAt: earlier });
    expect(await store.counters.updateOne({ _id: counter }, { inc: { count: 1 }, max: { expiresAt: later } })).toMatchObject({ count: 2, expiresAt: later });
  });

  test('upserts counters atomically', async () => {
    const id = newId();
    const expiresAt = new Date(Date.now() + 60_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => store.counters.upsertIncrement(id, 'count', 1, { expiresAt })));
    expect(results.map((result) => result.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('accumulates: creates with setOnInsert, adds nested counts and keeps the latest date, concurrently', async () => {
    const id = newId();
    const workspaceId = newId();
    const field = (by: number, type: 'NUMBER' | 'STRING') => ({
      id,
      setOnInsert: { workspaceId, dataset: 'calls', name: 'minutes' },
      inc: { count: by, [`types.${type}`]: by },
    });
    await Promise.all([store.datasetFields.accumulate([field(2, 'NUMBER')]), store.datasetFields.accumulate([field(3, 'NUMBER'), field(1, 'STRING')])]);
    expect(await store.datasetFields.findOne({ _id: id })).toEqual({
      _id: id,
      workspaceId,
      dataset: 'calls',
      name: 'minutes',
      count: 6,
      types: { NUMBER: 5, STRING: 1 },
    });
    const datasetId = newId();
    // Two dates raised in one write, each on its own (the record's time and the ingest's).
    const dataset = (at: string, ingestedAt: string) => ({
      id: datasetId,
      setOnInsert: { workspaceId, name: 'calls', createdAt: new Date('2026-01-01T00:00:00Z') },
      inc: { recordCount: 1 },
      max: { lastRecordAt: new Date(at), lastIngestedAt: new Date(ingestedAt) },
    });
    await store.datasets.accumulate([dataset('2026-11-02T00:00:00Z', '2026-12-01T00:00:00Z')]);
    await store.datasets.accumulate([dataset('2026-11-01T00:00:00Z', '2026-12-02T00:00:00Z')]);
    expect(await store.datasets.findOne({ _id: datasetId })).toMatchObject({
      recordCount: 2,
      lastRecordAt: new Date('2026-11-02T00:00:00Z'),
      lastIngestedAt: new Date('2026-12-02T00:00:00Z'),
    });
    await store.datasets.accumulate([]);
    expect(await store.datasets.find({ workspaceId })).toHaveLength(1);
  });

  test('finds with sort, limit, cursor, and literal case-insensitive search', async () => {
    const scope = newId();
    const docs = ['Alpha', 'beta', 'Gamma', 'alphabet'].map((name) => user({ workspaceId: scope, name }));
    await store.users.insertMany(docs);
    const sorted = await store.users.find({ workspaceId: scope }, { sort: { name: 1 }, limit: 2 });
    expect(sorted.map((doc) => doc.name)).toEqual(['Alpha', 'Gamma']);
    const afterFirst = await store.users.find({ workspaceId: scope }, { afterId: docs[1]!._id });
    expect(afterFirst.map((doc) => doc.name)).toEqual(['Gamma', 'alphabet']);
    const search = { fields: ['name'], text: 'ALPHA' };
    expect((await store.users.find({ workspaceId: scope }, { search })).map((doc) => doc.name)).toEqual(['Alpha', 'alphabet']);
    expect(await store.users.count({ workspaceId: scope }, { search })).toBe(2);
    expect(await store.users.count({ workspaceId: scope }, { search: { fields: ['name'], text: '.*' } })).toBe(0);
  });

  test('matches any of a list of literals (oneOf), and refuses a non-literal inside it', async () => {
    const scope = newId();
    const docs = ['ada', 'grace', 'alan'].map((externalId) => user({ workspaceId: scope, externalId }));
    await store.users.insertMany(docs);
    const found = await store.users.find({ workspaceId: scope, externalId: { oneOf: ['ada', 'alan', 'nobody'] } }, { sort: { externalId: 1 } });
    expect(found.map((doc) => doc.externalId)).toEqual(['ada', 'alan']);
    expect(await store.users.count({ workspaceId: scope, externalId: { oneOf: [] } })).toBe(0);
    await expect(store.users.find({ workspaceId: scope, externalId: { oneOf: [{ $ne: null }] } } as never)).rejects.toThrow(TypeError);
  });

  test('matches _id among a list (oneOf) with the other fields, each document once, in _id order', async () => {
    const scope = newId();
    const docs = ['ada', 'grace', 'alan'].map((externalId) => user({ workspaceId: scope, externalId }));
    const elsewhere = user({ workspaceId: newId(), externalId: 'ada' });
    await store.users.insertMany([...docs, elsewhere]);
    const ids = [docs[2]!._id, docs[0]!._id, docs[2]!._id, elsewhere._id, newId()];
    const found = await store.users.find({ workspaceId: scope, _id: { oneOf: ids } });
    expect(found.map((doc) => doc._id)).toEqual([docs[0]!._id, docs[2]!._id].sort());
    expect(await store.users.count({ workspaceId: scope, _id: { oneOf: [] } })).toBe(0);
    const sorted = await store.users.find({ _id: { oneOf: ids } }, { sort: { externalId: -1, _id: 1 }, limit: 2 });
    expect(sorted.map((doc) => doc.externalId)).toEqual(['alan', 'ada']);
  });

  test('inserts a document only if its _id is absent, leaving an existing one untouched, also under a race', async () => {
    const doc = user({ name: 'first' });
    expect(await store.users.insertIfAbsent(doc)).toBe(true);
    expect(await store.users.insertIfAbsent({ ...doc, name: 'second', externalId: newId() })).toBe(false);
    expect((await store.users.findOne({ _id: doc._id }))!.name).toBe('first');
    const raced = user();
    const results = await Promise.all(Array.from({ length: 5 }, () => store.users.insertIfAbsent({ ...raced, externalId: newId() })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.users.count({ _id: raced._id })).toBe(1);
  });

  test('takes a document once: of callers racing for it exactly one gets it, and it is gone', async () => {
    const ticket = (): ExportTicketDoc => ({
      _id: newId(),
      workspaceId: 'ws-take',
      embedId: newId(),
      widgetId: 'w1',
      format: 'csv',
      sealedToken: 'sealed',
      sealedViewerToken: null,
      choices: '{}',
      viewerId: null,
      addressDigest: '',
      expiresAt: new Date(Date.now() + 60_000),
    });
    const doc = ticket();
    await store.exportTickets.insertOne(doc);
    const taken = await Promise.all(Array.from({ length: 5 }, () => store.exportTickets.takeOne({ _id: doc._id })));
    expect(taken.filter((found) => found !== null).map((found) => found!._id)).toEqual([doc._id]);
    expect(taken.find((found) => found !== null)).toEqual(doc);
    expect(await store.exportTickets.findOne({ _id: doc._id })).toBeNull();
    expect(await store.exportTickets.takeOne({ _id: newId() })).toBeNull();
    const other = ticket();
    await store.exportTickets.insertOne(other);
    expect(await store.exportTickets.takeOne({ _id: other._id, workspaceId: 'another' })).toBeNull();
    expect(await store.exportTickets.findOne({ _id: other._id })).not.toBeNull();
  });

  test('audit events: one per (workspace, seq), the newest by seq, and found by actor (dotted) and by any target id', async () => {
    const workspaceId = `ws-audit-${newId()}`;
    const event = (seq: number): AuditEventDoc => ({
      _id: `${workspaceId}:${String(1e13 - seq).padStart(14, '0')}`,
      workspaceId,
      seq,
      at: new Date(Date.UTC(2026, 11, 1, 0, seq)),
      action: 'embed.mint',
      actor: { kind: 'principal', id: `p${seq % 2}`, addressDigest: null },
      targets: { pageId: 'page-1', embedId: `e${seq}` },
      targetIds: ['page-1', `e${seq}`],
      jti: null,
      kid: null,
      origin: null,
      outcome: 'success',
      detail: {},
      prevHash: 'x',
      prevExpiresAt: null,
      hash: `h${seq}`,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    for (const seq of [1, 2, 3]) await store.auditEvents.insertOne(event(seq));
    // The same place under another _id (a second instance appending at once) is refused by the unique key.
    await expect(store.auditEvents.insertOne({ ...event(3), _id: `${workspaceId}:other` })).rejects.toBeInstanceOf(DuplicateKeyError);
    const [head] = await store.auditEvents.find({ workspaceId }, { sort: { seq: -1 }, limit: 1 });
    expect(head!.seq).toBe(3);
    const newestFirst = await store.auditEvents.find({ workspaceId }, { sort: { _id: 1 }, limit: 2 });
    expect(newestFirst.map((found) => found.seq)).toEqual([3, 2]);
    const next = await store.auditEvents.find({ workspaceId }, { sort: { _id: 1 }, afterId: newestFirst[1]!._id });
    expect(next.map((found) => found.seq)).toEqual([1]);
    expect((await store.auditEvents.find({ workspaceId, 'actor.id': 'p1' } as never)).map((found) => found.seq)).toEqual([3, 1]);
    expect((await store.auditEvents.find({ workspaceId, targetIds: 'e2' })).map((found) => found.seq)).toEqual([2]);
    expect(await store.auditEvents.count({ workspaceId, targetIds: 'page-1' })).toBe(3);
  });

  const principal = (overrides: Partial<PrincipalDoc> = {}): PrincipalDoc => ({
    _id: newId(),
    workspaceId,
    name: 'p',
    kind: 'MEMBER',
    role: 'MEMBER',
    dataAccess: { all: false, owners: [], rules: [] },
    createdAt: new Date(),
    ...overrides,
  });

  test('a unique-if-present index: principals without an email never collide, with one they do, per workspace', async () => {
    const scope = newId();
    // Missing and null emails, several of each, in one workspace: none is in the index.
    await store.principals.insertMany([principal({ workspaceId: scope }), principal({ workspaceId: scope }), principal({ workspaceId: scope, email: null })]);
    await expect(store.principals.insertOne(principal({ workspaceId: scope, email: null }))).resolves.toBeUndefined();
    await store.principals.insertOne(principal({ workspaceId: scope, email: 'ada@example.com' }));
    await expect(store.principals.insertOne(principal({ workspaceId: scope, email: 'ada@example.com' }))).rejects.toBeInstanceOf(DuplicateKeyError);
    await expect(store.principals.insertOne(principal({ workspaceId: newId(), email: 'ada@example.com' }))).resolves.toBeUndefined();
    // An update into a taken email is refused as well; out of it (to null), allowed.
    const grace = principal({ workspaceId: scope, email: 'grace@example.com' });
    await store.principals.insertOne(grace);
    await expect(store.principals.updateOne({ _id: grace._id }, { set: { email: 'ada@example.com' } })).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await store.principals.updateOne({ _id: grace._id }, { set: { email: null } })).toMatchObject({ email: null });
    expect(await store.principals.count({ workspaceId: scope, email: 'ada@example.com' })).toBe(1);
  });

  test('deleteOne decides a race: of many callers removing one document, exactly one is told it did', async () => {
    const invitation: InvitationDoc = {
      _id: newId(),
      workspaceId,
      principalId: newId(),
      createdBy: newId(),
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 60_000),
    };
    await store.invitations.insertOne(invitation);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.invitations.deleteOne({ _id: invitation._id })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.invitations.findOne({ _id: invitation._id })).toBeNull();
  });

  test("people's sign-in collections round-trip, and a passkey's credential id is unique", async () => {
    const principalId = newId();
    const password: PasswordDoc = { _id: principalId, workspaceId, hash: '$scrypt$ln=16,r=8,p=1$salt$key', updatedAt: new Date() };
    await store.passwords.insertOne(password);
    expect(await store.passwords.findOne({ _id: principalId, workspaceId })).toEqual(password);
    await expect(store.passwords.insertOne(password)).rejects.toBeInstanceOf(DuplicateKeyError);
    const passkey = (credentialId: string): PasskeyDoc => ({
      _id: newId(),
      workspaceId,
      principalId,
      credentialId,
      publicKey: 'pk',
      counter: 0,
      transports: ['internal'],
      name: 'Laptop',
      createdAt: new Date(),
      lastUsedAt: null,
    });
    const first = passkey(`cred-${newId()}`);
    await store.passkeys.insertOne(first);
    await expect(store.passkeys.insertOne(passkey(first.credentialId))).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await store.passkeys.findOne({ credentialId: first.credentialId })).toEqual(first);
    // A counter compare-and-set: the second writer that read the same counter finds nothing to update.
    expect(await store.passkeys.updateOne({ _id: first._id, counter: 0 }, { set: { counter: 5 } })).toMatchObject({ counter: 5 });
    expect(await store.passkeys.updateOne({ _id: first._id, counter: 0 }, { set: { counter: 6 } })).toBeNull();
    const challenge: WebAuthnChallengeDoc = { _id: `challenge-${newId()}`, purpose: 'register', principalId, expiresAt: new Date(Date.now() + 60_000) };
    await store.webauthnChallenges.insertOne(challenge);
    expect(await store.webauthnChallenges.findOne({ _id: challenge._id })).toEqual(challenge);
    const session: ConsoleSessionDoc = {
      _id: newId(),
      workspaceId,
      principalId,
      method: 'password',
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 60_000),
    };
    await store.consoleSessions.insertOne(session);
    expect(await store.consoleSessions.findOne({ _id: session._id })).toEqual(session);
    expect(await store.consoleSessions.deleteMany({ principalId, workspaceId })).toBe(1);
  });

  test('deletes one or many', async () => {
    const scope = newId();
    await store.users.insertMany([user({ workspaceId: scope }), user({ workspaceId: scope }), user({ workspaceId: scope })]);
    const [first] = await store.users.find({ workspaceId: scope });
    expect(await store.users.deleteOne({ _id: first!._id })).toBe(true);
    expect(await store.users.deleteOne({ _id: first!._id })).toBe(false);
    expect(await store.users.deleteMany({ workspaceId: scope })).toBe(2);
  });

  /** Ids in descending order, inserted first-to-last, so insertion order is never the `_id` order. */
  const descendingIds = (count: number): string[] =>
    Array.from({ length: count }, () => newId())
      .sort()
      .reverse();

  test('breaks ties in every sort by _id ascending, whatever the insertion order', async () => {
    const scope = newId();
    const createdAt = new Date('2026-11-01T00:00:00Z');
    const ids = descendingIds(5);
    await store.users.insertMany(ids.map((_id) => user({ _id, workspaceId: scope, name: 'same', createdAt })));
    const ascending = [...ids].sort();
    expect((await store.users.find({ workspaceId: scope }, { sort: { name: 1 } })).map((doc) => doc._id)).toEqual(ascending);
    expect((await store.users.find({ workspaceId: scope }, { sort: { createdAt: -1 } })).map((doc) => doc._id)).toEqual(ascending);
    expect((await store.users.find({ workspaceId: scope }, { sort: { createdAt: -1 }, limit: 1 })).map((doc) => doc._id)).toEqual([ascending[0]]);
    // A sort that names _id itself is kept as given.
    expect((await store.users.find({ workspaceId: scope }, { sort: { _id: -1 } })).map((doc) => doc._id)).toEqual(ids);
  });

  test('refuses a second document with the same _id and keeps the first; an ordered insert stops there', async () => {
    const first = user({ name: 'first' });
    await store.users.insertOne(first);
    await expect(store.users.insertOne({ ...first, externalId: newId(), name: 'second' })).rejects.toBeInstanceOf(DuplicateKeyError);
    expect((await store.users.findOne({ _id: first._id }))!.name).toBe('first');

    const before = user();
    const after = user();
    await expect(store.users.insertMany([before, { ...first, externalId: newId() }, after])).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await store.users.findOne({ _id: before._id })).not.toBeNull();
    expect(await store.users.findOne({ _id: after._id })).toBeNull();
  });

  test(`a NUL character in search text is matched literally, not an error${onPeer(adapter, 'regex')}`, async () => {
    const scope = newId();
    await store.users.insertMany([user({ workspaceId: scope, name: 'nul\u0000inside' }), user({ workspaceId: scope, name: 'nulinside' })]);
    const search = { fields: ['name'], text: 'l\u0000i' };
    expect((await store.users.find({ workspaceId: scope }, { search })).map((doc) => doc.name)).toEqual(['nul\u0000inside']);
    expect(await store.users.count({ workspaceId: scope }, { search })).toBe(1);
  });

  const run = async (widgetQuery: WidgetQuery, scope: Scope = all) => toWidgetData(widgetQuery, await store.aggregateRecords(compileQuery(widgetQuery, scope)));

  describe(`compiled pipelines${onPeer(adapter, 'evaluation')}`, () => {
    const scopes: Array<[string, Scope]> = [
      ['the whole workspace', all],
      ['two owners', { workspaceId, owners: ['ada', 'grace'], rules: [] }],
      ['an owner and a rule', { workspaceId, owners: ['alan'], rules: [{ field: 'channel', op: 'NE', value: 'chat' }] }],
    ];

    test.each(scopes)('NUMBER metrics agree with the reference over %s', async (_, scope) => {
      const rows = reference(records, scope, query({}));
      const minutes = rows.map((record) => record.data['minutes'] as number);
      expect((await run(query({ metric: { fn: 'COUNT', field: null } }), scope)).rows).toEqual([[rows.length]]);
      expect((await run(query({ metric: { fn: 'SUM', field: 'minutes' } }), scope)).rows).toEqual([[minutes.reduce((a, b) => a + b, 0)]]);
      expect((await run(query({ metric: { fn: 'MIN', field: 'minutes' } }), scope)).rows).toEqual([[Math.min(...minutes)]]);
      expect((await run(query({ metric: { fn: 'MAX', field: 'minutes' } }), scope)).rows).toEqual([[Math.max(...minutes)]]);
      const avg = (await run(query({ metric: { fn: 'AVG', field: 'minutes' } }), scope)).rows[0]![0] as number;
      expect(avg).toBeCloseTo(minutes.reduce((a, b) => a + b, 0) / minutes.length, 9);
    });

    test.each(scopes)('BAR groups agree with the reference over %s', async (_, scope) => {
      const counts = new Map<unknown, number>();
      for (const record of reference(records, scope, query({}))) counts.set(record.data['channel'], (counts.get(record.data['channel']) ?? 0) + 1);
      const expected = [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
      const data = await run(query({ groupBy: 'channel', metric: { fn: 'COUNT', field: null } }), scope);
      expect(data.columns).toEqual(['channel', 'count']);
      expect(data.rows).toEqual(expected);
    });

    const HOUR = 3600 * 1000;
    const next = (step: (date: Date) => number) => (key: number) => step(new Date(key));
    test.each([
      ['HOUR', (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours()), next((d) => d.getTime() + HOUR)],
      ['DAY', (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()), next((d) => d.getTime() + DAY)],
      // Weeks start on Monday (a page's default weekStart).
      [
        'WEEK',
        (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - ((date.getUTCDay() + 6) % 7)),
        next((d) => d.getTime() + 7 * DAY),
      ],
      ['MONTH', (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), next((d) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))],
    ] as const)('LINE %s buckets agree with the reference, every bucket from the first to the last present', async (bucket, truncate, step) => {
      const sums = new Map<number, number>();
      for (const record of reference(records, all, query({}))) {
        const key = truncate(record.at);
        sums.set(key, (sums.get(key) ?? 0) + (record.data['minutes'] as number));
      }
      const keys = [...sums.keys()].sort((a, b) => a - b);
      const expected: Array<[string, number]> = [];
      for (let key = keys[0]!; key <= keys[keys.length - 1]! && expected.length < 1000; key = step(key))
        expected.push([new Date(key).toISOString(), sums.get(key) ?? 0]);
      expect(expected.some(([, sum]) => sum === 0)).toBe(bucket !== 'MONTH' && bucket !== 'WEEK');
      expect((await run(query({ bucket, metric: { fn: 'SUM', field: 'minutes' } }))).rows).toEqual(expected);
    });

    describe('$dateTrunc in IANA zones, against Intl.DateTimeFormat', () => {
      /**
       * An independent reference: the start of the local day (or hour) an instant falls in is the
       * earliest instant, scanning back a minute at a time, whose local date (or date and hour) as
       * Intl.DateTimeFormat writes it is still the same.
       */
      const startOf = (instant: number, zone: string, unit: 'day' | 'hour'): number => {
        const format = new Intl.DateTimeFormat('en-CA', {
          timeZone: zone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          // The offset tells apart the two 1 a.m. hours of a clocks-back night: they are two buckets.
          ...(unit === 'hour' && { hour: '2-digit', hourCycle: 'h23' as const, timeZoneName: 'shortOffset' as const }),
        });
        const label = format.format(instant);
        let start = Math.floor(instant / 60_000) * 60_000;
        while (format.format(start - 60_000) === label) start -= 60_000;
        return start;
      };
      const zonedWorkspace = newId();
      const instants = [
        // New York, around midnight and the clocks-back night of 2026-11-01 (a 25-hour day).
        '2026-10-31T03:59:00Z',
        '2026-10-31T04:00:00Z',
        '2026-11-01T03:30:00Z',
        '2026-11-01T05:30:00Z',
        '2026-11-01T06:30:00Z',
        '2026-11-02T04:59:00Z',
        '2026-11-02T05:00:00Z',
        // New York's clocks-forward night of 2026-03-08 (a 23-hour day).
        '2026-03-08T04:59:00Z',
        '2026-03-08T06:59:00Z',
        '2026-03-08T07:00:00Z',
        '2026-03-09T03:59:00Z',
        '2026-03-09T04:00:00Z',
        // Kolkata is UTC+5:30: its hours start at :30 UTC.
        '2026-11-01T03:40:00Z',
        '2026-11-01T18:29:00Z',
        '2026-11-01T18:30:00Z',
      ].map((iso) => new Date(iso));
      beforeAll(async () => {
        await store.records.insertMany(instants.map((at) => ({ _id: newId(), workspaceId: zonedWorkspace, dataset: 'calls', owner: null, at, data: {} })));
      });

      test.each([
        ['America/New_York', 'day'],
        ['America/New_York', 'hour'],
        ['Asia/Kolkata', 'day'],
        ['Asia/Kolkata', 'hour'],
        ['UTC', 'day'],
      ] as const)('%s %s buckets start where the local day or hour does', async (timezone, unit) => {
        const rows = await store.aggregateRecords([
          { $match: { $and: [{ workspaceId: { $eq: zonedWorkspace } }, { dataset: { $eq: 'calls' } }] } },
          { $project: { at: 1, bucket: { $dateTrunc: { date: '$at', unit, timezone } } } },
          { $sort: { at: 1 } },
        ]);
        expect(rows.map((row) => (row['bucket'] as Date).toISOString())).toEqual(
          instants
            .map((at) => at.getTime())
            .sort((a, b) => a - b)
            .map((at) => new Date(startOf(at, timezone, unit)).toISOString()),
        );
      });

      test('a New York week starts on the given startOfWeek', async () => {
        const rows = await store.aggregateRecords([
          { $match: { $and: [{ workspaceId: { $eq: zonedWorkspace } }, { at: { $eq: new Date('2026-11-01T05:30:00Z') } }] } },
          {
            $project: {
              monday: { $dateTrunc: { date: '$at', unit: 'week', timezone: 'America/New_York', startOfWeek: 'monday' } },
              sunday: { $dateTrunc: { date: '$at', unit: 'week', timezone: 'America/New_York', startOfWeek: 'sunday' } },
            },
          },
        ]);
        // 2026-11-01 01:30 EDT is a Sunday.
        expect(rows).toEqual([{ _id: expect.any(String), monday: new Date('2026-10-26T04:00:00Z'), sunday: new Date('2026-11-01T04:00:00Z') }]);
      });

      test('a compiled DAY series in New York has one 25-hour bucket for 2026-11-01, and filled gaps', async () => {
        const view = {
          timezone: 'America/New_York',
          weekStart: 'MONDAY' as const,
          from: new Date('2026-10-30T04:00:00Z'),
          to: new Date('2026-11-04T05:00:00Z'),
        };
        const widget = query({ bucket: 'DAY', metric: { fn: 'COUNT', field: null } });
        const scope = { workspaceId: zonedWorkspace, owners: null, rules: [] };
        const data = toWidgetData(widget, await store.aggregateRecords(compileQuery(widget, scope, view)), view);
        expect(data.rows).toEqual([
          ['2026-10-30T04:00:00.000Z', 1],
          // 23:30 and 23:40 on Oct 31 in New York are 03:30Z and 03:40Z on Nov 1.
          ['2026-10-31T04:00:00.000Z', 3],
          ['2026-11-01T04:00:00.000Z', 5],
          ['2026-11-02T05:00:00.000Z', 1],
          ['2026-11-03T05:00:00.000Z', 0],
        ]);
      });
    });

    test('TABLE selects, sorts and limits', async () => {
      const expected = reference(records, all, query({}))
        .sort((a, b) => (b.data['minutes'] as number) - (a.data['minutes'] as number) || a._id.localeCompare(b._id))
        .slice(0, 7)
        .map((record) => [record.owner, record.data['channel'], record.data['minutes']]);
      const data = await run(query({ select: ['owner', 'channel', 'minutes'], sort: { field: 'minutes', direction: 'DESC' }, limit: 7 }));
      expect(data).toEqual({ columns: ['owner', 'channel', 'minutes'], rows: expected });
    });

    test('filters on at, IN and NIN agree with the reference', async () => {
      const filters: WidgetQuery['filters'] = [
        { field: 'at', op: 'GTE', value: '2026-10-20T00:00:00.000Z' },
        { field: 'at', op: 'LT', value: '2026-11-20T00:00:00.000Z' },
        { field: 'channel', op: 'IN', value: ['phone', 'email'] },
        { field: 'owner', op: 'NIN', value: ['ada'] },
      ];
      const expected = reference(records, all, query({ filters })).length;
      expect(expected).toBeGreaterThan(0);
      expect((await run(query({ filters, metric: { fn: 'COUNT', field: null } }))).rows).toEqual([[expected]]);
    });

    test('TABLE rows with equal sort keys come in _id order', async () => {
      const at = new Date('2026-12-01T00:00:00Z');
      const ids = descendingIds(6);
      await store.records.insertMany(ids.map((_id, index) => ({ _id, workspaceId, dataset: 'ties', owner: 'ada', at, data: { n: index, minutes: 1 } })));
      const byDefault = await run(query({ dataset: 'ties', select: ['n'] }));
      const expected = [...ids].sort().map((id) => [ids.indexOf(id)]);
      expect(byDefault.rows).toEqual(expected);
      const byMinutes = await run(query({ dataset: 'ties', select: ['n'], sort: { field: 'minutes', direction: 'DESC' }, limit: 3 }));
      expect(byMinutes.rows).toEqual(expected.slice(0, 3));
    });

    test('null comparisons agree with MongoDB: EQ/IN null match a missing field, ordering operators refuse null', async () => {
      const docs: RecordDoc[] = [{ x: null }, {}, { x: 1 }].map((data) => ({
        _id: newId(),
        workspaceId,
        dataset: 'nulls',
        owner: 'ada',
        at: new Date(),
        data,
      }));
      await store.records.insertMany(docs);
      const count = async (filters: WidgetQuery['filters']) => (await run(query({ dataset: 'nulls', filters, metric: { fn: 'COUNT', field: null } }))).rows;
      expect(await count([{ field: 'x', op: 'EQ', value: null }])).toEqual([[2]]);
      expect(await count([{ field: 'x', op: 'IN', value: [null] }])).toEqual([[2]]);
      expect(await count([{ field: 'x', op: 'NE', value: null }])).toEqual([[1]]);
      expect(await count([{ field: 'x', op: 'NIN', value: [null] }])).toEqual([[1]]);
      for (const op of ['GT', 'GTE', 'LT', 'LTE'] as const) {
        expect(() => compileQuery(query({ dataset: 'nulls', filters: [{ field: 'x', op, value: null }] }), all)).toThrow(AppError);
      }
    });

    test('a scope never reaches another workspace or dataset', async () => {
      const foreign = (await run(query({ metric: { fn: 'COUNT', field: null } }), { workspaceId: newId(), owners: null, rules: [] })).rows;
      expect(foreign).toEqual([[0]]);
      expect((await run(query({ dataset: 'other', metric: { fn: 'COUNT', field: null } }))).rows).toEqual([[12]]);
    });

    test('the first stage matches workspace, dataset and scope', () => {
      const [first] = compileQuery(query({ metric: { fn: 'COUNT', field: null }, filters: [{ field: 'channel', op: 'EQ', value: 'phone' }] }), {
        workspaceId,
        owners: ['ada'],
        rules: [{ field: 'resolved', op: 'EQ', value: true }],
      });
      expect(first).toEqual({
        $match: {
          $and: [{ workspaceId: { $eq: workspaceId } }, { dataset: { $eq: 'calls' } }, { owner: { $in: ['ada'] } }, { 'data.resolved': { $eq: true } }],
        },
      });
    });
  });

  describe(`rollups${onPeer(adapter, 'evaluation')}`, () => {
    const HOUR = 3_600_000;
    /** What rollupRecords must answer, worked out here record by record. */
    function expectedCells(docs: readonly RecordDoc[], grainMs: number) {
      const cells = new Map<
        string,
        { o: string | null; t: number; d: unknown; c: number; s: number; n: number; x: number; mn: number | null; mx: number | null }
      >();
      for (const doc of docs) {
        const t = Math.floor(doc.at.getTime() / grainMs) * grainMs;
        const key = `${doc.owner}|${t}|${JSON.stringify(doc.data['channel'])}`;
        const cell = cells.get(key) ?? { o: doc.owner, t, d: doc.data['channel'], c: 0, s: 0, n: 0, x: 0, mn: null, mx: null };
        const value = doc.data['minutes'];
        cell.c += 1;
        if (typeof value === 'number') {
          cell.s += value;
          cell.n += 1;
          cell.mn = cell.mn === null ? value : Math.min(cell.mn, value);
          cell.mx = cell.mx === null ? value : Math.max(cell.mx, value);
        } else if (value !== undefined && value !== null) cell.x += 1;
        cells.set(key, cell);
      }
      return [...cells.values()]
        .map((cell) => ({ ...cell, t: new Date(cell.t) }))
        .sort((a, b) => a.t.getTime() - b.t.getTime() || String(a.o).localeCompare(String(b.o)) || String(a.d).localeCompare(String(b.d)));
    }
    const sorted = <T extends { t: Date; o: string | null; d?: unknown }>(cells: T[]) =>
      cells
        .map((cell) => ({ ...cell }))
        .sort((a, b) => a.t.getTime() - b.t.getTime() || String(a.o).localeCompare(String(b.o)) || String(a.d).localeCompare(String(b.d)));

    test('rollupRecords groups a dataset by owner, UTC cell and dimension, with count, numeric sum, numeric count, non-numbers, min and max', async () => {
      const calls = records.filter((record) => record.dataset === 'calls');
      const source = { workspaceId, dataset: 'calls', ids: null, filters: [], groupPath: 'data.channel', seriesPath: null, fieldPath: 'data.minutes' };
      expect(sorted(await store.rollupRecords({ ...source, grainMs: HOUR }))).toEqual(expectedCells(calls, HOUR));
      expect(sorted(await store.rollupRecords({ ...source, grainMs: HOUR / 4 }))).toEqual(expectedCells(calls, HOUR / 4));
      // Only the given records, and only those the filters let through.
      const some = calls.slice(0, 30);
      const chosen = await store.rollupRecords({
        ...source,
        ids: [...some.map((record) => record._id), 'no-such-id'],
        filters: [{ 'data.channel': { $ne: 'email' } }],
        grainMs: HOUR,
      });
      expect(sorted(chosen)).toEqual(
        expectedCells(
          some.filter((record) => record.data['channel'] !== 'email'),
          HOUR,
        ),
      );
    });

    test('rollupRecords keeps a missing dimension apart from null, sums numbers only and counts the other values', async () => {
      const ws = newId();
      const at = new Date(Date.UTC(2026, 9, 1, 10, 20));
      const doc = (data: Record<string, unknown>): RecordDoc => ({ _id: newId(), workspaceId: ws, dataset: 'd', owner: 'ada', at, data });
      await store.records.insertMany([doc({ channel: null, minutes: 2 }), doc({ minutes: 3 }), doc({ minutes: 'ten' }), doc({ channel: null, minutes: null })]);
      const cells = await store.rollupRecords({
        workspaceId: ws,
        dataset: 'd',
        ids: null,
        filters: [],
        groupPath: 'data.channel',
        seriesPath: null,
        fieldPath: 'data.minutes',
        grainMs: HOUR,
      });
      const byPresence = cells.map((cell) => ({
        hasD: 'd' in cell && cell.d !== undefined,
        d: cell.d ?? null,
        c: cell.c,
        s: cell.s,
        n: cell.n,
        x: cell.x,
        mn: cell.mn,
        mx: cell.mx,
      }));
      expect(byPresence.sort((a, b) => Number(a.hasD) - Number(b.hasD))).toEqual([
        { hasD: false, d: null, c: 2, s: 3, n: 1, x: 1, mn: 3, mx: 3 },
        { hasD: true, d: null, c: 2, s: 2, n: 1, x: 0, mn: 2, mx: 2 },
      ]);
      expect(cells.every((cell) => cell.t.getTime() === Date.UTC(2026, 9, 1, 10))).toBe(true);
    });

    test('mergeRollups stores new rows and merges existing ones: counts and sums add, min and max keep the extremes, nulls are ignored', async () => {
      const specId = newId();
      const row = (overrides: Partial<RollupRowDoc>): RollupRowDoc => ({
        _id: `${specId}-a`,
        workspaceId,
        specId,
        generation: 1,
        level: 'cell',
        a: false,
        o: 'ada',
        t: new Date(Date.UTC(2026, 9, 1)),
        d: 'phone',
        c: 2,
        s: 10,
        n: 2,
        x: 0,
        mn: 4,
        mx: 6,
        ...overrides,
      });
      await store.mergeRollups([row({}), row({ _id: `${specId}-b`, mn: null, mx: null, n: 0, s: 0 })]);
      await store.mergeRollups([
        row({ c: 3, s: 1, n: 1, x: 2, mn: 1, mx: 1 }),
        row({ _id: `${specId}-b`, c: 1, s: 5, n: 1, mn: 5, mx: 5 }),
        row({ c: 1, s: 0, n: 0, mn: null, mx: 9 }),
      ]);
      const stored = await store.rollups.find({ specId });
      expect(stored.map((doc) => ({ _id: doc._id, c: doc.c, s: doc.s, n: doc.n, x: doc.x, mn: doc.mn ?? null, mx: doc.mx ?? null, d: doc.d }))).toEqual([
        { _id: `${specId}-a`, c: 6, s: 11, n: 3, x: 2, mn: 1, mx: 9, d: 'phone' },
        { _id: `${specId}-b`, c: 3, s: 5, n: 1, x: 0, mn: 5, mx: 5, d: 'phone' },
      ]);
    });

    test("a spec's bookkeeping: an ingest's inc answers the generation it merges into; a lease is taken only while free (null or missing) and held by its token", async () => {
      const spec = {
        _id: newId(),
        workspaceId,
        dataset: 'calls',
        filters: [],
        groupBy: null,
        seriesBy: null,
        field: null,
        grainMs: HOUR,
        generation: 3,
        status: 'ready' as const,
        updatedAt: new Date(),
      };
      await store.rollupSpecs.insertOne(spec);
      // `writes` is missing at first: the inc creates it and answers the generation in the same step.
      expect(await store.rollupSpecs.updateOne({ _id: spec._id }, { inc: { writes: 1 } })).toMatchObject({ writes: 1, generation: 3 });
      const lease = { leaseToken: 'mine', leaseUntil: new Date(Date.now() + 60_000) };
      // A free lease is a missing field: matching it as null takes it, exactly once.
      expect(await store.rollupSpecs.updateOne({ _id: spec._id, leaseToken: null }, { set: lease })).toMatchObject(lease);
      expect(await store.rollupSpecs.updateOne({ _id: spec._id, leaseToken: null }, { set: { leaseToken: 'theirs' } })).toBeNull();
      // A switch names the writes it scanned after: an ingest since then refuses it.
      await store.rollupSpecs.updateOne({ _id: spec._id }, { inc: { writes: 1 } });
      expect(await store.rollupSpecs.updateOne({ _id: spec._id, leaseToken: 'mine', writes: 1 }, { set: { generation: 4 } })).toBeNull();
      const switched = await store.rollupSpecs.updateOne(
        { _id: spec._id, leaseToken: 'mine', writes: 2 },
        { set: { generation: 4, leaseToken: null, leaseUntil: null, retired: [{ generation: 3, at: new Date(0) }] } },
      );
      expect(switched).toMatchObject({ generation: 4, leaseToken: null, retired: [{ generation: 3, at: new Date(0) }] });
      expect(await store.rollupSpecs.updateOne({ _id: spec._id, leaseToken: null }, { set: { leaseToken: 'next' } })).toMatchObject({ leaseToken: 'next' });
    });

    test('rollupMarks: a write in flight is marked, found by workspace, flagged left behind, and removed', async () => {
      const now = new Date();
      const mark = { _id: newId(), workspaceId, dataset: 'calls', kind: 'ingest' as const, createdAt: now, expiresAt: new Date(now.getTime() + 60_000) };
      const everywhere = { ...mark, _id: newId(), dataset: null, kind: 'erase' as const };
      await store.rollupMarks.insertOne(mark);
      await store.rollupMarks.insertOne(everywhere);
      expect(await store.rollupMarks.find({ workspaceId })).toEqual([mark, everywhere].sort((a, b) => (a._id < b._id ? -1 : 1)));
      expect(await store.rollupMarks.updateOne({ _id: mark._id }, { set: { expiresAt: new Date(0) } })).toMatchObject({ expiresAt: new Date(0) });
      expect(await store.rollupMarks.deleteOne({ _id: mark._id })).toBe(true);
      expect(await store.rollupMarks.deleteOne({ _id: mark._id })).toBe(false);
      expect(await store.rollupMarks.find({ workspaceId, dataset: null })).toEqual([everywhere]);
    });

    test('aggregateRollups runs a pipeline over the rows of one spec, generation, level and owner kind', async () => {
      const specId = newId();
      const base = { workspaceId, specId, level: 'day' as const, a: true, o: null, t: new Date(Date.UTC(2026, 9, 1)), s: 0, n: 0, x: 0, mn: null, mx: null };
      await store.mergeRollups([
        { ...base, _id: `${specId}-1`, generation: 1, d: 'phone', c: 4 },
        { ...base, _id: `${specId}-2`, generation: 1, d: 'chat', c: 1 },
        { ...base, _id: `${specId}-3`, generation: 1, d: 'phone', c: 2, t: new Date(Date.UTC(2026, 9, 2)) },
        { ...base, _id: `${specId}-4`, generation: 2, d: 'phone', c: 100 },
        { ...base, _id: `${specId}-5`, generation: 1, d: 'phone', c: 100, a: false, o: 'ada' },
      ]);
      const partition = [
        { specId: { $eq: specId } },
        { generation: { $eq: 1 } },
        { level: { $eq: 'day' } },
        { a: { $eq: true } },
        { workspaceId: { $eq: workspaceId } },
      ];
      const rows = await store.aggregateRollups([
        { $match: { $and: partition } },
        { $group: { _id: '$d', value: { $sum: '$c' } } },
        { $sort: { value: -1, _id: 1 } },
      ]);
      expect(rows).toEqual([
        { _id: 'phone', value: 6 },
        { _id: 'chat', value: 1 },
      ]);
    });
  });

  describe(`several reads or pipelines in one round trip${onPeer(adapter, 'evaluation')}`, () => {
    test('token issuers: a load finds the one live issuer of a workspace by iss; revoked ones, and other workspaces, are not found', async () => {
      const workspaceId = newId();
      const issuer = (overrides: Partial<TokenIssuerDoc>): TokenIssuerDoc => ({
        _id: newId(),
        workspaceId,
        name: 'IdP',
        issuer: 'https://idp.example',
        audience: 'porthole:embed',
        jwksUrl: 'https://idp.example/jwks.json',
        publicKeyPem: null,
        algorithms: ['ES256', 'EdDSA'],
        createdBy: 'p1',
        createdAt: new Date(Date.UTC(2026, 0, 1)),
        lastUsedAt: null,
        revokedAt: null,
        ...overrides,
      });
      const revoked = issuer({ revokedAt: new Date(Date.UTC(2026, 0, 2)) });
      const live = issuer({ createdAt: new Date(Date.UTC(2026, 0, 3)) });
      const elsewhere = issuer({ workspaceId: newId() });
      await store.tokenIssuers.insertMany([revoked, live, elsewhere]);
      const read = { from: 'tokenIssuers', match: { workspaceId, issuer: 'https://idp.example', revokedAt: null }, limit: 1 } as const;
      expect((await store.readBatch({ issuer: read }))['issuer']!.docs).toEqual([live]);
      expect((await store.tokenIssuers.find({ workspaceId }, { sort: { createdAt: -1, _id: 1 } })).map((doc) => doc._id)).toEqual([live._id, revoked._id]);
      const at = new Date(Date.UTC(2026, 0, 4));
      expect((await store.tokenIssuers.updateOne({ _id: live._id, workspaceId }, { set: { revokedAt: at } }))?.revokedAt).toEqual(at);
      expect((await store.readBatch({ issuer: read }))['issuer']!.docs).toEqual([]);
    });

    test('readBatch answers each read as find would, in _id order and within its limit, with the documents each join names', async () => {
      const scope = newId();
      const [a, b, c] = [user({ workspaceId: scope, name: 'a' }), user({ workspaceId: scope, name: 'b' }), user({ workspaceId: scope, name: 'c' })];
      await store.users.insertMany([c, a, b]);
      const principal = (overrides: Partial<PrincipalDoc>): PrincipalDoc => ({
        _id: newId(),
        workspaceId: scope,
        kind: 'MEMBER',
        role: 'MEMBER',
        name: 'p',
        dataAccess: { all: true, owners: [], rules: [] },
        createdAt: new Date(),
        ...overrides,
      });
      const author = principal({ name: 'author' });
      const elsewhere = principal({ workspaceId: newId(), name: 'another workspace' });
      await store.principals.insertMany([author, elsewhere]);
      // Users naming principals: one by a single id, one by a list (one id of another workspace, one of no one).
      await store.users.updateOne({ _id: a._id }, { set: { name: author._id } });
      await store.users.updateOne({ _id: b._id }, { set: { email: 'b@example.com', externalId: 'x', status: 'ACTIVE' } });
      const sessions: ConsoleSessionDoc[] = [
        { _id: newId(), workspaceId: scope, principalId: author._id, createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) },
      ];
      await store.consoleSessions.insertMany(sessions);
      const found = await store.readBatch({
        users: { from: 'users', match: { workspaceId: scope }, joins: { named: { from: 'principals', field: 'name', match: { workspaceId: scope } } } },
        firstTwo: { from: 'users', match: { workspaceId: scope }, limit: 2 },
        one: { from: 'users', match: { _id: b._id, workspaceId: scope } },
        none: { from: 'pages', match: { _id: newId() }, joins: { author: { from: 'principals', field: 'authorId', match: { workspaceId: scope } } } },
        sessions: {
          from: 'consoleSessions',
          match: { workspaceId: scope },
          joins: { people: { from: 'principals', field: 'principalId', match: { workspaceId: scope } } },
        },
      });
      const ids = (docs: Array<Record<string, unknown>>) => docs.map((doc) => doc['_id']);
      const byId = [a, b, c].map((doc) => doc._id).sort();
      expect(ids(found['users']!.docs)).toEqual(byId);
      expect(found['users']!.docs).toEqual(await store.users.find({ workspaceId: scope }));
      expect(ids(found['users']!.joined['named']!)).toEqual([author._id]);
      expect(ids(found['firstTwo']!.docs)).toEqual(byId.slice(0, 2));
      expect(found['one']).toEqual({ docs: [await store.users.findOne({ _id: b._id })], joined: {} });
      expect(found['none']).toEqual({ docs: [], joined: { author: [] } });
      expect(found['sessions']!.docs).toEqual(sessions);
      expect(found['sessions']!.joined['people']).toEqual([author]);

      // A join whose match leaves the named document out finds nothing; a list names each of its ids once.
      await store.users.updateOne({ _id: c._id }, { set: { name: elsewhere._id } });
      const listed = await store.readBatch({
        named: { from: 'users', match: { workspaceId: scope }, joins: { p: { from: 'principals', field: 'name', match: { workspaceId: scope } } } },
      });
      expect(ids(listed['named']!.joined['p']!)).toEqual([author._id]);
      const pageId = newId();
      await store.pages.insertOne({
        _id: pageId,
        workspaceId: scope,
        title: 't',
        description: null,
        dashboard: false,
        refreshSeconds: null,
        freshnessSeconds: 0,
        widgets: [],
        createdBy: author._id,
        rollupSpecIds: [author._id, 'nobody', author._id, elsewhere._id],
        createdAt: new Date(),
        updatedAt: new Date(),
      } as never);
      const page = await store.readBatch({
        page: { from: 'pages', match: { _id: pageId }, joins: { specs: { from: 'principals', field: 'rollupSpecIds', match: { workspaceId: scope } } } },
      });
      expect(ids(page['page']!.joined['specs']!)).toEqual([author._id]);
      expect(page['page']!.docs[0]).not.toHaveProperty('__porthole_joined_specs');
    });

    test('aggregateAll answers each pipeline as aggregateRecords or aggregateRollups would, in order, empty ones included', async () => {
      const specId = newId();
      await store.mergeRollups([
        { _id: `${specId}-1`, workspaceId, specId, generation: 1, level: 'total', a: true, o: null, t: null, c: 7, s: 0, n: 0, x: 0, mn: null, mx: null },
      ]);
      const widget = (overrides: Partial<WidgetQuery>): WidgetQuery => ({
        dataset: 'calls',
        filters: [],
        groupBy: null,
        bucket: null,
        metric: null,
        select: null,
        sort: null,
        limit: null,
        ...overrides,
      });
      const widgets = [
        widget({ groupBy: 'channel', metric: { fn: 'COUNT', field: null } }),
        widget({ select: ['owner', 'minutes'], limit: 150 }),
        widget({ dataset: 'nothing here', metric: { fn: 'SUM', field: 'minutes' } }),
        widget({ bucket: 'DAY', metric: { fn: 'SUM', field: 'minutes' } }),
      ];
      const rollup = [{ $match: { $and: [{ specId: { $eq: specId } }, { generation: { $eq: 1 } }] } }, { $group: { _id: null, value: { $sum: '$c' } } }];
      const runs = [
        { over: 'rollups' as const, pipeline: rollup },
        ...widgets.map((widget) => ({ over: 'records' as const, pipeline: compileQuery(widget, all) })),
        { over: 'rollups' as const, pipeline: [{ $match: { specId: { $eq: newId() } } }] },
      ];
      const outputs = await store.aggregateAll(runs);
      expect(outputs).toHaveLength(runs.length);
      expect(outputs[0]).toEqual([{ _id: null, value: 7 }]);
      for (const [index, query] of widgets.entries()) {
        expect(outputs[index + 1]).toEqual(await store.aggregateRecords(compileQuery(query, all)));
      }
      // More rows than a first batch holds (101), in the pipeline's own order.
      expect(outputs[2]!.length).toBeGreaterThan(101);
      expect(outputs[3]).toEqual([]);
      expect(outputs[5]).toEqual([]);
      await expect(store.aggregateAll([])).resolves.toEqual([]);
    });
  });
});
