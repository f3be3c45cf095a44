import { expect } from '@jest/globals';
import pino from 'pino';
import type { PageDoc } from '../../server/src/domain/types.js';
import type { Clock, Viewer } from '../../server/src/domain/viewer.js';
import { NO_TOKEN_VIEWING, resolveViewing } from '../../server/src/embeds/viewing.js';
import { compileQuery, toWidgetData, type Scope } from '../../server/src/query/compiler.js';
import { createServices, type Services } from '../../server/src/services.js';
import type { Store } from '../../server/src/store/port.js';
import { bothWays } from './support.js';

/** What the tests of "numbers you can trust" share: services over any store, a page, and the checks. */

export const ADMIN_KEY = 'acme-admin-key-0123456789abcdef';

/** A clock a test moves by hand (marks expire, leases lapse, retired rows come due). */
export class ManualClock implements Clock {
  #at: number;
  constructor(at = Date.UTC(2026, 10, 20, 12)) {
    this.#at = at;
  }
  now(): Date {
    return new Date(this.#at);
  }
  advance(ms: number): void {
    this.#at += ms;
  }
}

export interface Instance {
  services: Services;
  viewer: Viewer;
}

/** One instance of Porthole's services over `store` (several over one store are several instances). */
export async function instance(store: Store, clock: Clock = new ManualClock(), errors: unknown[] = []): Promise<Instance> {
  const services = createServices({
    store,
    masterKey: new Uint8Array(32).fill(7),
    sessionTtlSeconds: 3600,
    maxEmbedTtlSeconds: 86_400,
    clock,
    logger: pino({ level: 'silent' }),
    publicUrl: () => 'http://localhost',
  });
  // Failures of background work are kept for the test to look at (a rollup build a fault stopped, say).
  (services.rollups as unknown as { onError: (error: unknown) => void }).onError = (error) => errors.push(error);
  await services.principals.bootstrapWorkspace('acme', ADMIN_KEY);
  const viewer = (await services.principals.authenticate(ADMIN_KEY))!;
  return { services, viewer };
}

export const CHANNELS = ['phone', 'chat', 'email'];

/** Calls with ids, spread over owners, an hour and a bit apart; `extra` adds fields to each. */
export function calls(from: number, count: number, owners: readonly string[], extra: (index: number) => Record<string, unknown> = () => ({})) {
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    return {
      id: `call-${index}`,
      owner: owners[index % owners.length],
      at: new Date(Date.UTC(2026, 9, 24) + index * 3_977_000).toISOString(),
      channel: CHANNELS[index % 3],
      minutes: (index * 7) % 61,
      ...extra(index),
    };
  });
}

export const WIDGETS = [
  { title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } },
  { title: 'Minutes', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'SUM', field: 'minutes' } } },
  { title: 'Longest', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'MAX', field: 'minutes' } } },
  { title: 'By channel', kind: 'BAR', query: { dataset: 'calls', groupBy: 'channel', metric: { fn: 'AVG', field: 'minutes' } } },
  { title: 'By owner', kind: 'BAR', query: { dataset: 'calls', groupBy: 'owner', metric: { fn: 'COUNT' } } },
  { title: 'Per day', kind: 'LINE', query: { dataset: 'calls', bucket: 'DAY', seriesBy: 'channel', metric: { fn: 'SUM', field: 'minutes' } } },
];

const SCOPES: Array<Omit<Scope, 'workspaceId'>> = [
  { owners: null, rules: [] },
  { owners: ['cust-1', 'cust-2'], rules: [] },
];

/** Every widget of the page, rendered as an embed renders it (caches included), equals the records, at every scope. */
export async function everyRenderEqualsTheRecords(store: Store, services: Services, page: PageDoc): Promise<void> {
  const viewing = resolveViewing(page, NO_TOKEN_VIEWING, {}, new Date());
  for (const partial of SCOPES) {
    const scope: Scope = { workspaceId: page.workspaceId, ...partial };
    const rendered = await services.renderer.render(page, scope, viewing);
    for (const [index, widget] of page.widgets.entries()) {
      const records = toWidgetData(widget.query, await store.aggregateRecords(compileQuery(widget.query, scope, viewing.view)), viewing.view);
      expect({ widget: widget.title, scope: partial, data: rendered.widgets[index]!.data }).toEqual({ widget: widget.title, scope: partial, data: records });
    }
  }
}

/** The rollups answer every widget of the page (not the records in their place), and equal the records. */
export async function rollupsAnswerAndEqualTheRecords(store: Store, services: Services, page: PageDoc): Promise<void> {
  for (const widget of page.widgets) {
    const { raw, rollup } = await bothWays(
      store,
      services.rollups,
      page,
      widget.query,
      { workspaceId: page.workspaceId, owners: null, rules: [] },
      {
        timezone: 'UTC',
        weekStart: 'MONDAY',
        from: null,
        to: null,
      },
    );
    expect({ widget: widget.title, rollup }).toEqual({ widget: widget.title, rollup: raw });
  }
}

/** How many of an owner's records the store holds. */
export const recordsOf = (store: Store, workspaceId: string, owner: string) => store.records.count({ workspaceId, owner });

/** The rows the served generations of the workspace's rollups hold for an owner. */
export async function servedRollupRowsOf(store: Store, workspaceId: string, owner: string): Promise<number> {
  let rows = 0;
  for (const spec of await store.rollupSpecs.find({ workspaceId }))
    rows += await store.rollups.count({ specId: spec._id, generation: spec.generation, o: owner });
  return rows;
}
