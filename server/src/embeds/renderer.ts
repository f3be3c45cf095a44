import type { Bucket, ColumnFormat, PageDoc, WidgetFormat } from '../domain/types.js';
import type { Clock } from '../domain/viewer.js';
import { badInput } from '../errors.js';
import { compileQuery, MAX_RESPONSE_CELLS, pagesCells, UTC_VIEW, type Scope, type View } from '../query/compiler.js';
import type { RollupsService } from '../rollups/rollups.service.js';
import { showWidgets, widgetFields, type ShownData } from '../query/shown-series.js';
import type { Store } from '../store/port.js';
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

/**
 * Every widget's pipeline output for one render: from its rollup where that can answer the scope,
 * from the records otherwise. One read of the page's rollup specs, then one query per widget.
 * The bench's baseline calls this too, so both sides do the same store work.
 */
export async function widgetOutputs(
  store: Store,
  rollups: RollupsService,
  page: PageDoc,
  scope: Scope,
  view: View = UTC_VIEW,
): Promise<Array<Array<Record<string, unknown>>>> {
  const specs = await rollups.readyFor(page);
  return Promise.all(
    page.widgets.map(async (widget) => {
      const compiled = compileQuery(widget.query, scope, view);
      return (await rollups.answer(specs, page, widget.query, scope, view, compiled)) ?? (await store.aggregateRecords(compiled));
    }),
  );
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

  render(page: PageDoc, scope: Scope, viewing: ResolvedViewing): Promise<EmbeddedPage> {
    this.rendersRequested += 1;
    return this.#render(page, scope, viewing);
  }

  async #render(page: PageDoc, scope: Scope, viewing: ResolvedViewing): Promise<EmbeddedPage> {
    const dataVersion = await this.rollups.dataVersion(page.workspaceId);
    const key = `${renderKey(page, scope, viewing)}\u0000${dataVersion}`;
    const now = this.clock.now().getTime();
    const cached = this.#fresh.get(key);
    if (cached && page.freshnessSeconds > 0 && now - cached.at <= page.freshnessSeconds * 1000) return cached.page;
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const work = this.#run(page, scope, viewing)
      .then((result) => {
        if (page.freshnessSeconds > 0) this.#remember(key, now, result);
        return result;
      })
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, work);
    return work;
  }

  async #run(page: PageDoc, scope: Scope, viewing: ResolvedViewing): Promise<EmbeddedPage> {
    const { view, ...viewed } = viewing;
    // Every widget as shown (query/shown-series.ts): by a coarser bucket where its range holds too many, cut and counted.
    const shown = await showWidgets(
      page.widgets.map((widget) => ({ widget, query: widget.query, scope, view })),
      this.clock.now(),
      (asked) => widgetOutputs(this.store, this.rollups, { ...page, widgets: asked.map((one) => ({ ...one.widget, query: one.query })) }, scope, view),
      (pipelines) => Promise.all(pipelines.map((pipeline) => this.store.aggregateRecords(pipeline))),
    );
    this.queriesIssued += page.widgets.length;
    const widgets = page.widgets.map((widget, index) => ({ ...widgetFields(widget), columnFormats: widget.columnFormats ?? null, ...shown[index]! }));
    return { id: page._id, title: page.title, description: page.description, refreshSeconds: page.refreshSeconds, ...viewed, widgets };
  }

  #remember(key: string, at: number, page: EmbeddedPage): void {
    if (this.#fresh.size >= MAX_CACHED) this.#fresh.delete(this.#fresh.keys().next().value!);
    this.#fresh.set(key, { at, page });
  }
}
