import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { loadConfig } from '../../server/src/config.js';
import { newId } from '../../server/src/crypto/random.js';
import type { RecordDoc, UserDoc, WidgetQuery } from '../../server/src/domain/types.js';
import { compileQuery, toWidgetData, type Scope } from '../../server/src/query/compiler.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { MongoStore } from '../../server/src/store/mongo/mongo-store.js';
import { startEmbeddedMongo } from '../../server/src/store/open-store.js';
import { DuplicateKeyError, type Store } from '../../server/src/store/port.js';

/**
 * One contract, run against every storage adapter that can start here. The mongo adapter
 * runs against MONGODB_URI, or a mongod that mongodb-memory-server can find or fetch
 * (MONGOMS_SYSTEM_BINARY); where none can be had it is reported as skipped, with the reason.
 */

interface Adapter {
  name: string;
  open: () => Promise<Store>;
  stop?: () => Promise<void>;
}

async function mongoAdapter(): Promise<Adapter | string> {
  const uri = loadConfig({ ...process.env, PORTHOLE_MASTER_KEY: 'x'.repeat(44) }).store.mongoUri;
  if (uri) return { name: 'mongo (MONGODB_URI)', open: () => MongoStore.connect(uri) };
  try {
    const embedded = await startEmbeddedMongo(20_000);
    return { name: 'mongo (mongodb-memory-server)', open: () => MongoStore.connect(embedded.uri), stop: embedded.stop };
  } catch (error) {
    return `no mongod could be obtained (no MONGODB_URI; mongodb-memory-server: ${(error as Error).message.split('\n')[0]})`;
  }
}

const mongo = await mongoAdapter();
const adapters: Adapter[] = [{ name: 'memory', open: async () => new MemoryStore() }];
if (typeof mongo === 'string') {
  console.warn(`[contract] mongo adapter SKIPPED: ${mongo}. Only the memory adapter was exercised.`);
  describe.skip(`mongo adapter — skipped: ${mongo}`, () => {
    test('the storage contract', () => undefined);
  });
} else {
  adapters.push(mongo);
}

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

  test('inserts while ignoring duplicates: stored or repeated ids and unique keys are skipped and not counted', async () => {
    const first = user({ externalId: `dup-${newId()}` });
    const second = user();
    expect(await store.users.insertManyIgnoringDuplicates([first, second])).toBe(2);
    const third = user();
    const sameKey = user({ externalId: first.externalId });
    // A stored _id, a stored unique key, a new one, and the new one again in the same call.
    expect(await store.users.insertManyIgnoringDuplicates([{ ...first, name: 'changed' }, sameKey, third, { ...third, name: 'again' }])).toBe(1);
    expect((await store.users.findOne({ _id: first._id }))!.name).toBeNull();
    expect((await store.users.findOne({ _id: third._id }))!.name).toBeNull();
    expect(await store.users.findOne({ _id: sameKey._id })).toBeNull();
    expect(await store.users.insertManyIgnoringDuplicates([])).toBe(0);
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
    const dataset = (at: string) => ({
      id: datasetId,
      setOnInsert: { workspaceId, name: 'calls', createdAt: new Date('2026-01-01T00:00:00Z') },
      inc: { recordCount: 1 },
      max: { lastRecordAt: new Date(at) },
    });
    await store.datasets.accumulate([dataset('2026-11-02T00:00:00Z')]);
    await store.datasets.accumulate([dataset('2026-11-01T00:00:00Z')]);
    expect(await store.datasets.findOne({ _id: datasetId })).toMatchObject({ recordCount: 2, lastRecordAt: new Date('2026-11-02T00:00:00Z') });
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

  test('deletes one or many', async () => {
    const scope = newId();
    await store.users.insertMany([user({ workspaceId: scope }), user({ workspaceId: scope }), user({ workspaceId: scope })]);
    const [first] = await store.users.find({ workspaceId: scope });
    expect(await store.users.deleteOne({ _id: first!._id })).toBe(true);
    expect(await store.users.deleteOne({ _id: first!._id })).toBe(false);
    expect(await store.users.deleteMany({ workspaceId: scope })).toBe(2);
  });

  const run = async (widgetQuery: WidgetQuery, scope: Scope = all) => toWidgetData(widgetQuery, await store.aggregateRecords(compileQuery(widgetQuery, scope)));

  describe('compiled pipelines', () => {
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

    test.each([
      ['HOUR', (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours())],
      ['DAY', (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())],
      ['WEEK', (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - date.getUTCDay())],
      ['MONTH', (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)],
    ] as const)('LINE %s buckets agree with the reference', async (bucket, truncate) => {
      const sums = new Map<number, number>();
      for (const record of reference(records, all, query({}))) {
        const key = truncate(record.at);
        sums.set(key, (sums.get(key) ?? 0) + (record.data['minutes'] as number));
      }
      const expected = [...sums].sort((a, b) => a[0] - b[0]).map(([key, sum]) => [new Date(key).toISOString(), sum]);
      expect((await run(query({ bucket, metric: { fn: 'SUM', field: 'minutes' } }))).rows).toEqual(expected);
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
});
