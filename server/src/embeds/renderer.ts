import type { PageDoc } from '../domain/types.js';
import type { Clock } from '../domain/viewer.js';
import { compileQuery, toWidgetData, type Scope, type WidgetData } from '../query/compiler.js';
import type { RollupsService } from '../rollups/rollups.service.js';
import type { Store } from '../store/port.js';

export interface EmbeddedWidget {
  id: string;
  title: string;
  kind: PageDoc['widgets'][number]['kind'];
  data: WidgetData;
}

export interface EmbeddedPage {
  id: string;
  title: string;
  description: string | null;
  refreshSeconds: number | null;
  widgets: EmbeddedWidget[];
}

const MAX_CACHED = 500;

/**
 * Every widget's pipeline output for one render: from its rollup where that can answer the scope,
 * from the records otherwise. One read of the page's rollup specs, then one query per widget.
 * The bench's baseline calls this too, so both sides do the same store work.
 */
export async function widgetOutputs(store: Store, rollups: RollupsService, page: PageDoc, scope: Scope): Promise<Array<Array<Record<string, unknown>>>> {
  const specs = await rollups.readyFor(page);
  const range = { from: null, to: null };
  return Promise.all(
    page.widgets.map(async (widget) => {
      const compiled = compileQuery(widget.query, scope);
      return (await rollups.answer(specs, page, widget.query, scope, range, compiled)) ?? (await store.aggregateRecords(compiled));
    }),
  );
}

/**
 * Runs a page's declared queries in a scope. Concurrent renders of the same page version
 * at the same scope share one in-flight set of store queries; a page with
 * `freshnessSeconds > 0` may also serve a result at most that old.
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

  render(page: PageDoc, scope: Scope): Promise<EmbeddedPage> {
    this.rendersRequested += 1;
    const key = JSON.stringify([page._id, page.updatedAt, scope.workspaceId, scope.owners, scope.rules]);
    const now = this.clock.now().getTime();
    const cached = this.#fresh.get(key);
    if (cached && page.freshnessSeconds > 0 && now - cached.at <= page.freshnessSeconds * 1000) return Promise.resolve(cached.page);
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const work = this.#run(page, scope)
      .then((result) => {
        if (page.freshnessSeconds > 0) this.#remember(key, now, result);
        return result;
      })
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, work);
    return work;
  }

  async #run(page: PageDoc, scope: Scope): Promise<EmbeddedPage> {
    const outputs = await widgetOutputs(this.store, this.rollups, page, scope);
    this.queriesIssued += page.widgets.length;
    const widgets = page.widgets.map((widget, index) => ({
      id: widget.id,
      title: widget.title,
      kind: widget.kind,
      data: toWidgetData(widget.query, outputs[index]!),
    }));
    return { id: page._id, title: page.title, description: page.description, refreshSeconds: page.refreshSeconds, widgets };
  }

  #remember(key: string, at: number, page: EmbeddedPage): void {
    if (this.#fresh.size >= MAX_CACHED) this.#fresh.delete(this.#fresh.keys().next().value!);
    this.#fresh.set(key, { at, page });
  }
}
