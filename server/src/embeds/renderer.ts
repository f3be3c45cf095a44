import type { Bucket, ColumnFormat, PageDoc, RollupMarkDoc, RollupSpecDoc, WidgetDoc, WidgetFormat, WidgetQuery, WorkspaceDoc } from '../domain/types.js';
import type { Clock } from '../domain/viewer.js';
import { badInput } from '../errors.js';
import { compileForm, MAX_RESPONSE_CELLS, pagesCells, UTC_VIEW, type Scope, type View } from '../query/compiler.js';
import { formOf } from '../query/query-form.js';
import type { RollupsService } from '../rollups/rollups.service.js';
import { showWidgets, widgetFields, type ShownData } from '../query/shown-series.js';
import type { AggregationRun, Store } from '../store/port.js';
import type { ResolvedViewing } from './viewing.js';

export interface EmbeddedWidget extends ShownData {
  id: string;
  title: string;
  kind: PageDoc['widgets'][number]['kind'];
  label: string | null;
  columnLabels: string[] | null;
  format: WidgetFormat | null;
  columnFormats: ColumnFormat[] | null;
  seriesBy: string | null;
  bucket: Bucket | null;
  clickEvents: boolean;
}

/** A rendered page: its own fields, its widgets, and how it is being viewed (the resolved viewing without its view). */
export interface EmbeddedPage extends Omit<ResolvedViewing, 'view'> {
  id: string;
  title: string;
  description: string | null;
  refreshSeconds: number | null;
  widgets: EmbeddedWidget[];
}

const MAX_CACHED = 500;

const time = (date: Date | null): string => (date ? String(date.getTime()) : '');
/** JSON only where a list is not empty (it rarely is): `null` and `[]` stay apart. */
const list = (values: readonly unknown[] | null): string => (values === null ? '-' : values.length === 0 ? '' : JSON.stringify(values));

/**
 * Everything a render's answer depends on, as one string: renders with equal keys may share.
 * Every field of the viewing and its view is named (the types insist), so a new one cannot be
 * left out; the parts are joined by a character none of them holds (ids, zones, locales, enums,
 * numbers, and JSON, which escapes control characters).
 */
function renderKey(page: PageDoc, scope: Scope, viewing: ResolvedViewing): string {
  const { view, range } = viewing;
  const viewParts: Record<keyof View, string> = { timezone: view.timezone, weekStart: view.weekStart, from: time(view.from), to: time(view.to) };
  const rangeParts: Record<keyof ResolvedViewing['range'], string> = { preset: range.preset ?? '', from: time(range.from), to: time(range.to) };
  const parts: Record<keyof ResolvedViewing, string> = {
    view: Object.values(viewParts).join('\u0001'),
    timezone: viewing.timezone,
    weekStart: viewing.weekStart,
    locale: viewing.locale ?? '-',
    theme: viewing.theme,
    range: Object.values(rangeParts).join('\u0001'),
    rangeLocked: String(viewing.rangeLocked),
    presets: viewing.presets.join(','),
    maxDays: String(viewing.maxDays),
  };
  return [page._id, time(page.updatedAt), scope.workspaceId, list(scope.owners), list(scope.rules), ...Object.values(parts)].join('\u0000');
}

/**
 * Refuses, before any store work, pages that one response would render together (a user dashboard) when
 * their widgets could return more than MAX_RESPONSE_CELLS cells (limit × columns). Publishing such a
 * dashboard is refused already (`PagesService`); this holds for pages published at the same moment.
 */
export function assertRenderCells(pages: readonly PageDoc[]): void {
  const cells = pagesCells(pages);
  if (cells > MAX_RESPONSE_CELLS) {
    throw badInput(
      `The dashboard's ${pages.length} pages could return ${cells} cells together (limit × columns); one render returns at most ${MAX_RESPONSE_CELLS}. Take a page off the dashboard or lower its widgets' limits.`,
    );
  }
}

/** What a render was handed by the round trip that opened its credential, so that only its widgets are left to read. */
export interface PreparedRender {
  /** The workspace's data version (`WorkspaceDoc.dataVersion`), read with the credential. */
  dataVersion: number;
  /** The page's usable rollups (`RollupsService.readyFrom`), or null: read them first. */
  rollups: ReadonlyMap<string, RollupSpecDoc> | null;
}

/** One page of pages rendered together, with its rollups if they were read already. */
export interface PageRun {
  page: PageDoc;
  scope: Scope;
  view: View;
  rollups: ReadonlyMap<string, RollupSpecDoc> | null;
}

/**
 * Every widget's pipeline output for pages rendered together: from its rollup where that can
 * answer the scope, from the records otherwise, every widget of every page in one round trip
 * (`aggregateAll`); the rollups of a page not handed them are read first (one round trip more).
 * Rollup rows that cannot vouch for a MIN or MAX (non-numbers among the values) send that widget
 * to the records afterwards: one more round trip, then only. The bench's baseline calls this too,
 * so both sides do the same store work.
 */
export async function widgetOutputsAll(
  store: Pick<Store, 'aggregateAll'>,
  rollups: RollupsService,
  runs: readonly PageRun[],
): Promise<Array<Array<Array<Record<string, unknown>>>>> {
  const specs = await Promise.all(runs.map((run) => run.rollups ?? rollups.readyFor(run.page)));
  const jobs = runs.flatMap((run, pageIndex) =>
    run.page.widgets.map((widget) => {
      // The widget's form, made once: the records pipeline and the rollup plan are both made from it.
      const form = formOf(widget.query, run.scope, run.view);
      return { pageIndex, compiled: compileForm(form), plan: rollups.planFor(specs[pageIndex]!, run.page, form) };
    }),
  );
  const rows = await store.aggregateAll(
    jobs.map((job): AggregationRun => (job.plan ? { over: 'rollups', pipeline: job.plan.pipeline } : { over: 'records', pipeline: job.compiled })),
  );
  const outputs = jobs.map((job, index) => (job.plan ? rollups.outputOf(job.plan, rows[index]!) : rows[index]!));
  const refused = jobs.flatMap((_job, index) => (outputs[index] === null ? [index] : []));
  if (refused.length > 0) {
    const records = await store.aggregateAll(refused.map((index): AggregationRun => ({ over: 'records', pipeline: jobs[index]!.compiled })));
    refused.forEach((index, at) => (outputs[index] = records[at]!));
  }
  const byPage = runs.map((): Array<Array<Record<string, unknown>>> => []);
  jobs.forEach((job, index) => byPage[job.pageIndex]!.push(outputs[index]!));
  return byPage;
}

/**
 * `aggregateAll` for the calls one render makes together (its widgets' outputs and the row counts
 * of its lists are asked for at once): those made before the promise jobs running now have all
 * settled (`process.nextTick` runs after them) are sent as one command, each call answered with its
 * own part. Not `setImmediate`: every render would wait a turn of the event loop for it.
 */
function coalesced(store: Pick<Store, 'aggregateAll'>): Pick<Store, 'aggregateAll'> {
  type Call = { runs: readonly AggregationRun[]; resolve: (rows: Array<Array<Record<string, unknown>>>) => void; reject: (error: unknown) => void };
  let waiting: Call[] = [];
  const send = () => {
    const calls = waiting;
    waiting = [];
    store.aggregateAll(calls.flatMap((call) => call.runs)).then(
      (rows) => {
        let at = 0;
        for (const call of calls) {
          call.resolve(rows.slice(at, at + call.runs.length));
          at += call.runs.length;
        }
      },
      (error: unknown) => calls.forEach((call) => call.reject(error)),
    );
  };
  return {
    aggregateAll: (runs) =>
      new Promise((resolve, reject) => {
        if (waiting.length === 0) process.nextTick(send);
        waiting.push({ runs, resolve, reject });
      }),
  };
}

/** `widgetOutputsAll` for one page whose rollups are read here. */
export async function widgetOutputs(
  store: Store,
  rollups: RollupsService,
  page: PageDoc,
  scope: Scope,
  view: View = UTC_VIEW,
): Promise<Array<Array<Record<string, unknown>>>> {
  return (await widgetOutputsAll(store, rollups, [{ page, scope, view, rollups: null }]))[0]!;
}

/** One page of `renderAll`: the page, its scope and viewing, and its rollups if they were read already. */
export interface RenderItem {
  page: PageDoc;
  scope: Scope;
  viewing: ResolvedViewing;
  rollups?: ReadonlyMap<string, RollupSpecDoc> | null;
}

/**
 * Runs a page's declared queries in a scope. Concurrent renders of the same page version
 * at the same scope share one in-flight set of store queries; a page with
 * `freshnessSeconds > 0` may also serve a result at most that old. Both are keyed by the
 * workspace's data version, read from the store on every render before either is consulted:
 * once an erasure has returned, no instance serves (or joins) a render made before it.
 */
export class PageRenderer {
  readonly #inFlight = new Map<string, Promise<EmbeddedPage>>();
  readonly #fresh = new Map<string, { at: number; page: EmbeddedPage }>();
  /** Store aggregations issued, for the benchmark's coalescing figure. */
  queriesIssued = 0;
  /** Renders asked for, shared or not: with `queriesIssued`, how much sharing saved. */
  rendersRequested = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly rollups: RollupsService,
  ) {}

  /**
   * A render's `PreparedRender` from documents read with its credential, in the same round trip:
   * the page's workspace (its data version), the rollup specs the page's stored ids named, and the
   * workspace's rollup marks.
   */
  prepare(page: PageDoc, workspace: WorkspaceDoc, specs: readonly RollupSpecDoc[], marks: readonly RollupMarkDoc[]): PreparedRender {
    return { dataVersion: workspace.dataVersion ?? 0, rollups: this.rollups.readyFrom(page, specs, marks) };
  }

  /** Renders one page; `prepared` spares the reads the credential's round trip made already. */
  async render(page: PageDoc, scope: Scope, viewing: ResolvedViewing, prepared?: PreparedRender): Promise<EmbeddedPage> {
    const [rendered] = await this.renderAll([{ page, scope, viewing, rollups: prepared?.rollups ?? null }], prepared?.dataVersion);
    return rendered!;
  }

  /**
   * Renders pages together (a user dashboard): each is served from the freshness cache or joins a
   * render in flight as `render` would, and the widgets of all the others are read in one round
   * trip. `dataVersion`: the workspace's, if read already (with the credential); else read here.
   */
  async renderAll(items: readonly RenderItem[], dataVersion?: number): Promise<EmbeddedPage[]> {
    this.rendersRequested += items.length;
    if (items.length === 0) return [];
    const version = dataVersion ?? (await this.rollups.dataVersion(items[0]!.page.workspaceId));
    const now = this.clock.now().getTime();
    const answers: Array<EmbeddedPage | Promise<EmbeddedPage>> = [];
    const toRun: Array<{ index: number; key: string; item: RenderItem }> = [];
    items.forEach((item, index) => {
      const key = `${renderKey(item.page, item.scope, item.viewing)}\u0000${version}`;
      const cached = this.#fresh.get(key);
      if (cached && item.page.freshnessSeconds > 0 && now - cached.at <= item.page.freshnessSeconds * 1000) answers[index] = cached.page;
      else toRun.push({ index, key, item });
    });
    const running = toRun.filter(({ index, key }) => {
      const pending = this.#inFlight.get(key);
      if (pending) answers[index] = pending;
      return !pending;
    });
    if (running.length > 0) {
      const batch = this.#run(running.map(({ item }) => item));
      running.forEach(({ index, key, item }, at) => {
        const work =
          this.#inFlight.get(key) ??
          batch
            .then((pages) => {
              if (item.page.freshnessSeconds > 0) this.#remember(key, now, pages[at]!);
              return pages[at]!;
            })
            .finally(() => this.#inFlight.delete(key));
        this.#inFlight.set(key, work);
        answers[index] = work;
      });
    }
    return Promise.all(answers);
  }

  async #run(items: readonly RenderItem[]): Promise<EmbeddedPage[]> {
    const store = coalesced(this.store);
    // Every widget as shown (query/shown-series.ts): by a coarser bucket where its range holds too many, cut and counted.
    const widgets = items.flatMap(({ page, scope, viewing }, pageIndex) =>
      page.widgets.map((widget) => ({ pageIndex, widget, query: widget.query, scope, view: viewing.view })),
    );
    const shown = await showWidgets(
      widgets,
      this.clock.now(),
      (asked) => this.#outputs(store, items, asked),
      (pipelines) => store.aggregateAll(pipelines.map((pipeline): AggregationRun => ({ over: 'records', pipeline }))),
    );
    let next = 0;
    return items.map(({ page, viewing }) => {
      const { view: _view, ...viewed } = viewing;
      this.queriesIssued += page.widgets.length;
      const rendered = page.widgets.map((widget) => ({ ...widgetFields(widget), columnFormats: widget.columnFormats ?? null, ...shown[next++]! }));
      return { id: page._id, title: page.title, description: page.description, refreshSeconds: page.refreshSeconds, ...viewed, widgets: rendered };
    });
  }

  /** The outputs of some widgets of `items`' pages, each by the query asked (`showWidgets` may ask again, coarser). */
  async #outputs(
    store: Pick<Store, 'aggregateAll'>,
    items: readonly RenderItem[],
    asked: ReadonlyArray<{ pageIndex: number; widget: WidgetDoc; query: WidgetQuery }>,
  ): Promise<Array<Array<Record<string, unknown>>>> {
    const pages = [...new Set(asked.map((one) => one.pageIndex))];
    const outputs = await widgetOutputsAll(
      store,
      this.rollups,
      pages.map((pageIndex) => {
        const { page, scope, viewing, rollups } = items[pageIndex]!;
        const widgets = asked.filter((one) => one.pageIndex === pageIndex).map((one) => ({ ...one.widget, query: one.query }));
        return { page: { ...page, widgets }, scope, view: viewing.view, rollups: rollups ?? null };
      }),
    );
    const taken = pages.map(() => 0);
    return asked.map((one) => {
      const at = pages.indexOf(one.pageIndex);
      return outputs[at]![taken[at]!++]!;
    });
  }

  #remember(key: string, at: number, page: EmbeddedPage): void {
    if (this.#fresh.size >= MAX_CACHED) this.#fresh.delete(this.#fresh.keys().next().value!);
    this.#fresh.set(key, { at, page });
  }
}
