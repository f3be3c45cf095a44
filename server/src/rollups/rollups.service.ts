import type { PageDoc, RollupSpecDoc, WidgetQuery } from '../domain/types.js';
import type { Clock } from '../domain/viewer.js';
import { fieldPath, ruleToMatch, type Scope } from '../query/compiler.js';
import type { Pipeline, RollupSource, Store } from '../store/port.js';
import { planRollup, type RollupRange } from './rollup-planner.js';
import { grainForPage, rowsOf, shapeFor, shapesOfPage, specIdOf, type RollupShape } from './rollup-spec.js';

/**
 * Pre-aggregated rollups (after Cube's pre-aggregations): for every widget query a page declares,
 * rows of mergeable partials (count, sum, numeric count, min, max) per owner, per UTC cell of an
 * hour (or a quarter hour where the page's zone needs it) and per groupBy/seriesBy value, plus the
 * same per UTC day and for all time, each also summed over every owner.
 *
 * - Ingest adds exactly the records it stored (a retried record is not stored, so not counted).
 * - Erasure and a change of the pages' widgets rebuild from the records, into the next generation,
 *   which renders switch to only once it is complete.
 * - A render answers from the rows whenever the scope and range can be (see `planRollup`), and
 *   from the records otherwise. Every rule on data access still applies: the rows are filtered by
 *   the same scope the records would have been.
 *
 * Within one process, ingests, erasures and builds of a workspace run one at a time, so a build
 * never misses or double-counts an ingest made meanwhile. (Across instances an ingest racing a
 * rebuild on another instance could; the next rebuild corrects it.)
 */
export class RollupsService {
  readonly #chains = new Map<string, Promise<unknown>>();
  /** Workspaces whose missing rollups a render has asked to build (once per process: pages saved before rollups existed). */
  readonly #catchingUp = new Set<string>();
  /** Widget renders answered from rollups / from records, for the bench and tests. */
  answered = 0;
  fellBack = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Runs `work` after every earlier rollup job of the workspace (whatever their outcome). */
  #serialize<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#chains.get(workspaceId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#chains.set(workspaceId, settled);
    void settled.then(() => {
      if (this.#chains.get(workspaceId) === settled) this.#chains.delete(workspaceId);
    });
    return next;
  }

  /** Resolves once every rollup job queued so far has finished. */
  async idle(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all([...this.#chains.values()]);
  }

  #source(spec: RollupShape, ids: readonly string[] | null): RollupSource {
    return {
      workspaceId: spec.workspaceId,
      dataset: spec.dataset,
      ids,
      filters: spec.filters.map(ruleToMatch),
      groupPath: spec.groupBy ? fieldPath(spec.groupBy) : null,
      seriesPath: spec.seriesBy ? fieldPath(spec.seriesBy) : null,
      fieldPath: spec.field ? fieldPath(spec.field) : null,
      grainMs: spec.grainMs,
    };
  }

  /**
   * Stores records through `insert` (which answers the ids it stored) and adds those records,
   * and only those, to every rollup of the dataset.
   */
  ingest(workspaceId: string, dataset: string, insert: () => Promise<string[]>): Promise<string[]> {
    return this.#serialize(workspaceId, async () => {
      const ids = await insert();
      if (ids.length === 0) return ids;
      const specs = await this.store.rollupSpecs.find({ workspaceId, dataset });
      for (const spec of specs) {
        const cells = await this.store.rollupRecords(this.#source(spec, ids));
        await this.store.mergeRollups(rowsOf(spec, spec.generation, cells));
      }
      return ids;
    });
  }

  /** Erases records through `erase`, then rebuilds the rollups of the datasets concerned (null: all). */
  erase(workspaceId: string, dataset: string | null, erase: () => Promise<number>): Promise<number> {
    return this.#serialize(workspaceId, async () => {
      const erased = await erase();
      if (erased > 0) {
        const specs = await this.store.rollupSpecs.find({ workspaceId, ...(dataset !== null ? { dataset } : {}) });
        for (const spec of specs) await this.#build(spec);
      }
      return erased;
    });
  }

  /**
   * Brings the workspace's rollups in line with its pages' widgets: builds the missing ones from
   * the records and drops those no widget needs any more. Queued; `idle()` waits for it.
   */
  syncWorkspace(workspaceId: string): Promise<void> {
    return this.#serialize(workspaceId, async () => {
      const pages = await this.store.pages.find({ workspaceId });
      const wanted = new Map<string, RollupShape>();
      for (const page of pages) for (const [id, shape] of shapesOfPage(page)) wanted.set(id, shape);
      const existing = await this.store.rollupSpecs.find({ workspaceId });
      for (const spec of existing) {
        if (wanted.has(spec._id) && spec.status === 'ready') continue;
        if (!wanted.has(spec._id)) {
          await this.store.rollups.deleteMany({ specId: spec._id });
          await this.store.rollupSpecs.deleteOne({ _id: spec._id });
        }
      }
      for (const [id, shape] of wanted) {
        const current = existing.find((spec) => spec._id === id);
        if (current?.status === 'ready') continue;
        const spec: RollupSpecDoc = current ?? { _id: id, ...shape, generation: 0, status: 'building', updatedAt: this.clock.now() };
        if (!current) await this.store.rollupSpecs.insertIfAbsent(spec);
        await this.#build(spec);
      }
    });
  }

  /** Same as `syncWorkspace`, for callers that must not wait (a page save); failures are logged. */
  scheduleSync(workspaceId: string): void {
    this.syncWorkspace(workspaceId).catch(this.onError);
  }

  /** Rebuilds a spec from the records into its next generation, switches to it, and drops the old rows. */
  async #build(spec: RollupSpecDoc): Promise<void> {
    const generation = spec.generation + 1;
    const cells = await this.store.rollupRecords(this.#source(spec, null));
    await this.store.rollups.deleteMany({ specId: spec._id, generation });
    await this.store.mergeRollups(rowsOf(spec, generation, cells));
    await this.store.rollupSpecs.updateOne({ _id: spec._id }, { set: { generation, status: 'ready', updatedAt: this.clock.now() } });
    await this.store.rollups.deleteMany({ specId: spec._id, generation: spec.generation });
  }

  /** The ready rollups of a page's widgets, in one read: what `answer` needs for one render. */
  async readyFor(page: PageDoc): Promise<Map<string, RollupSpecDoc>> {
    const ids = [...shapesOfPage(page).keys()];
    if (ids.length === 0) return new Map();
    const specs = await this.store.rollupSpecs.find({ workspaceId: page.workspaceId, _id: { oneOf: ids } });
    if (specs.length < ids.length && !this.#catchingUp.has(page.workspaceId) && !this.#chains.has(page.workspaceId)) {
      // A page stored before its rollups existed (or by another version): build them in the background; this render reads the records.
      this.#catchingUp.add(page.workspaceId);
      this.scheduleSync(page.workspaceId);
    }
    return new Map(specs.filter((spec) => spec.status === 'ready').map((spec) => [spec._id, spec]));
  }

  /**
   * A widget's pipeline output read from its rollup, or null when the rollup cannot answer this
   * scope and range (or is not built): the caller then runs `compiled` over the records.
   */
  async answer(
    specs: ReadonlyMap<string, RollupSpecDoc>,
    page: PageDoc,
    query: WidgetQuery,
    scope: Scope,
    range: RollupRange,
    compiled: Pipeline,
  ): Promise<Array<Record<string, unknown>> | null> {
    const shape = shapeFor(page.workspaceId, query, grainForPage(page));
    const spec = shape ? specs.get(specIdOf(shape)) : undefined;
    const plan = spec ? planRollup(spec, query, scope, range, compiled) : null;
    if (!plan) return this.#fallBack();
    const rows = await this.store.aggregateRollups(plan.pipeline);
    if (rows.some((row) => Number(row['bad'] ?? 0) > 0 || (plan.numericOnly && Number(row['x'] ?? 0) > 0))) return this.#fallBack();
    this.answered += 1;
    const output = rows.map((row) => ({ _id: row['_id'] ?? null, value: row['value'] ?? null }));
    return plan.limit === null ? output : output.slice(0, plan.limit);
  }

  #fallBack(): null {
    this.fellBack += 1;
    return null;
  }
}
