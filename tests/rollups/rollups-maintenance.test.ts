import { describe, expect, test } from '@jest/globals';
import pino from 'pino';
import { systemClock, type Viewer } from '../../server/src/domain/viewer.js';
import type { PageDoc } from '../../server/src/domain/types.js';
import type { Scope, View } from '../../server/src/query/compiler.js';
import { createServices, type Services } from '../../server/src/services.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { bothWays } from './support.js';

/**
 * Rollups stay equal to the records through everything that changes either: ingest (retried
 * records included), erasure of an owner, and a page's widgets being redefined.
 */

const WIDGETS = [
  { title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } },
  { title: 'Longest', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'MAX', field: 'minutes' } } },
  { title: 'By channel', kind: 'BAR', query: { dataset: 'calls', groupBy: 'channel', metric: { fn: 'AVG', field: 'minutes' } } },
  { title: 'Per hour', kind: 'LINE', query: { dataset: 'calls', bucket: 'HOUR', seriesBy: 'channel', metric: { fn: 'SUM', field: 'minutes' } } },
  {
    title: 'Shortest per day',
    kind: 'LINE',
    query: { dataset: 'calls', bucket: 'DAY', filters: [{ field: 'channel', op: 'NE', value: 'email' }], metric: { fn: 'MIN', field: 'minutes' } },
  },
];

const CHANNELS = ['phone', 'chat', 'email'];
const calls = (from: number, count: number, owners: readonly string[]) =>
  Array.from({ length: count }, (_, index) => ({
    id: `call-${from + index}`,
    owner: owners[(from + index) % owners.length],
    at: new Date(Date.UTC(2026, 9, 24) + (from + index) * 977_000).toISOString(),
    channel: CHANNELS[(from + index) % 3],
    minutes: ((from + index) * 7) % 61,
  }));

const SCOPES: Array<Omit<Scope, 'workspaceId'>> = [
  { owners: null, rules: [] },
  { owners: ['cust-1', 'cust-2'], rules: [] },
  { owners: null, rules: [{ field: 'channel', op: 'IN', value: ['phone', 'chat'] }] },
];
const VIEWS: View[] = [
  { timezone: 'UTC', weekStart: 'MONDAY', from: null, to: null },
  { timezone: 'America/New_York', weekStart: 'SUNDAY', from: new Date('2026-10-25T04:00:00Z'), to: new Date('2026-11-05T05:00:00Z') },
  { timezone: 'Asia/Kolkata', weekStart: 'MONDAY', from: null, to: null },
];

async function start(): Promise<{ services: Services; store: MemoryStore; viewer: Viewer }> {
  const store = new MemoryStore();
  const services = createServices({
    store,
    masterKey: new Uint8Array(32).fill(7),
    sessionTtlSeconds: 3600,
    maxEmbedTtlSeconds: 86_400,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    publicUrl: () => 'http://localhost',
  });
  await services.principals.bootstrapWorkspace('acme', 'acme-admin-key-0123456789abcdef');
  const viewer = (await services.principals.authenticate('acme-admin-key-0123456789abcdef'))!;
  return { services, store, viewer };
}

/**
 * Every widget of the page, every scope and view: the rollup answers what the records say. It
 * must answer unless a scope rule is on a field the widget does not keep (Kolkata's half-hour
 * offset included: the 15-minute cells serve it).
 */
async function expectRollupsEqualRecords(context: { services: Services; store: MemoryStore }, page: PageDoc): Promise<number> {
  await context.services.rollups.idle();
  let compared = 0;
  for (const widget of page.widgets) {
    for (const scope of SCOPES) {
      for (const view of VIEWS) {
        const { raw, rollup } = await bothWays(context.store, context.services.rollups, page, widget.query, { workspaceId: page.workspaceId, ...scope }, view);
        const kept = (field: string) => field === 'owner' || field === widget.query.groupBy || field === widget.query.seriesBy;
        const mustAnswer = scope.rules.every((rule) => kept(rule.field));
        const data = rollup === null && !mustAnswer ? raw : rollup;
        expect({ widget: widget.title, scope, view, data }).toEqual({ widget: widget.title, scope, view, data: raw });
        if (rollup !== null) compared += 1;
      }
    }
  }
  return compared;
}

describe('rollups follow the records', () => {
  test('ingesting (with retried records), erasing an owner and redefining the page keep every rollup answer equal to the records', async () => {
    const context = await start();
    const { services, viewer } = context;
    const owners = ['cust-1', 'cust-2', 'cust-3'];
    await services.records.ingest(viewer, 'calls', calls(0, 400, owners));
    const page = await services.pages.create(viewer, { title: 'Support', widgets: WIDGETS as never });
    expect(await expectRollupsEqualRecords(context, page)).toBeGreaterThanOrEqual(30);

    // New records and a retry of records already stored: the retried ones count once.
    const retried = await services.records.ingest(viewer, 'calls', [...calls(350, 100, owners), ...calls(0, 20, owners)]);
    expect(retried).toEqual({ inserted: 50, duplicates: 70 });
    await expectRollupsEqualRecords(context, page);

    // Records without an id, a record that the page's filter leaves out, another dataset.
    await services.records.ingest(viewer, 'calls', [
      { owner: 'cust-2', at: '2026-10-26T06:30:00Z', channel: 'email', minutes: 60 },
      { owner: 'cust-3', channel: 'fax' },
    ]);
    await services.records.ingest(viewer, 'visits', [{ owner: 'cust-1', minutes: 1000 }]);
    await expectRollupsEqualRecords(context, page);

    expect(await services.records.eraseOwner(viewer, 'cust-2', 'calls')).toBeGreaterThan(100);
    await expectRollupsEqualRecords(context, page);

    const redefined = await services.pages.update(viewer, page._id, {
      widgets: [
        ...(WIDGETS as never[]),
        { title: 'Per week', kind: 'BAR', query: { dataset: 'calls', bucket: 'WEEK', metric: { fn: 'COUNT' } } },
        { title: 'By owner', kind: 'BAR', query: { dataset: 'calls', groupBy: 'owner', seriesBy: 'channel', metric: { fn: 'SUM', field: 'minutes' } } },
      ] as never,
    });
    await expectRollupsEqualRecords(context, redefined);

    await services.records.ingest(viewer, 'calls', calls(1000, 60, ['cust-2', 'cust-4']));
    await expectRollupsEqualRecords(context, redefined);
  }, 180_000);

  test("deleting a user with its records takes them out of every rollup, and a deleted page's rollups go with it", async () => {
    const context = await start();
    const { services, store, viewer } = context;
    await services.records.ingest(viewer, 'calls', calls(0, 120, ['cust-1', 'cust-2']));
    const user = await services.users.create(viewer, { externalId: 'cust-1' });
    const page = await services.pages.create(viewer, { title: 'Support', widgets: WIDGETS as never });
    await expectRollupsEqualRecords(context, page);
    await services.users.delete(viewer, user.user._id, { eraseRecords: true });
    await expectRollupsEqualRecords(context, page);
    const { raw } = await bothWays(
      store,
      services.rollups,
      page,
      page.widgets[0]!.query,
      { workspaceId: page.workspaceId, owners: null, rules: [] },
      VIEWS[0]!,
    );
    expect(raw.rows).toEqual([[60]]);

    await services.pages.delete(viewer, page._id);
    await services.rollups.idle();
    expect(await store.rollupSpecs.count({ workspaceId: page.workspaceId })).toBe(0);
    expect(await store.rollups.count({ workspaceId: page.workspaceId })).toBe(0);
  });
});
