import { newId } from '../crypto/random.js';
import type { PageDoc, RollupMarkDoc, RollupSpecDoc } from '../domain/types.js';
import type { Clock } from '../domain/viewer.js';
import { fieldPath, ruleToMatch } from '../query/compiler.js';
import type { QueryForm } from '../query/query-form.js';
import type { RollupSource, Store } from '../store/port.js';
import { planRollup, type FallBackReason, type RollupDecision, type RollupPlan } from './rollup-planner.js';
import { rollupShapeOf, rowsOf, shapesOfPage, specIdOf, type RollupShape } from './rollup-spec.js';

/** How long a write's mark may stand before it counts as left behind (its write failed, or its process stopped). */
export const MARK_TTL_MS = 60_000;
/** How long a builder's lease lasts: as long as the longest build may take (the mongo adapter's build deadline). */
export const LEASE_MS = 10 * 60_000;
/** How long a replaced generation's rows stay: far longer than any render, whose reads each end within 2 s. */
export const RETIRED_ROWS_MS = 60_000;
/** How often the reconcile runs (and once at start). */
export const RECONCILE_INTERVAL_MS = 5 * 60_000;
/** A build that finds its dataset busy (an ingest in flight, a lease held) tries again this many times, this far apart (× attempt). */
const BUILD_ATTEMPTS = 6;
const BUILD_RETRY_MS = 100;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Whether a mark covers a dataset (a mark or a question about every dataset covers them all). */
const covers = (mark: RollupMarkDoc, dataset: string | null): boolean => mark.dataset === null || dataset === null || mark.dataset === dataset;

/** Derived numbers other than rollups that a repair must count again (the dataset catalog). */
export interface Recount {
  (workspaceId: string, dataset: string | null): Promise<void>;
}

/**
 * Pre-aggregated rollups (after Cube's pre-aggregations): for every widget query a page declares,
 * rows of mergeable partials (count, sum, numeric count, min, max) per owner, per UTC quarter hour
 * (every zone's periods begin on one) and per groupBy/seriesBy value, plus the same per UTC hour,
 * per UTC day and for all time, each also summed over every owner. Which rows answer a widget is
 * decided from its query form (`planRollup`), never from its compiled pipeline.
 *
 * A rollup answers only when it provably equals the records (docs/numbers.md has the argument):
 *
 * - Every write that rollups must follow (ingest, erasure) stores a mark before it begins and
 *   removes it when its rollup work is complete; while a dataset has a mark, renders of it read
 *   records. A mark left behind (the write failed, or its process stopped) asks for a repair: the
 *   dataset's rollups are rebuilt from the records and its catalog recounted, then the mark goes.
 *   A retried ingest or erasure repairs what its failed attempt left, so a retry finishes the job.
 * - An ingest moves each spec's `writes` before storing, reading the generation its merge goes
 *   into; a build switches generations only if `writes` did not move since its scan, so a merge
 *   lands in exactly one generation's count, on any instance.
 * - One builder per spec across instances: a lease in the spec, with an expiry. Each build writes
 *   a generation no one wrote before; the old generation's rows stay `RETIRED_ROWS_MS` after the
 *   switch, so a render that read the old generation still finds its rows.
 * - A reconcile (at start and every `RECONCILE_INTERVAL_MS`) repairs marks left behind, builds
 *   specs no one finished, and compares each spec's total count with the records': on drift it
 *   rebuilds.
 *
 * Within one process, the writes and builds of a workspace also run one at a time.
 */
export class RollupsService {
  readonly #chains = new Map<string, Promise<unknown>>();
  /** Workspaces whose missing rollups a render has asked to build (once per process: pages saved before rollups existed). */
  readonly #catchingUp = new Set<string>();
  /** Marks of writes that failed in this process: left behind now, without waiting for them to expire. */
  readonly #abandoned = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  /** Sweeps due once a switch's retired rows may go (an erasure's old rows should not wait for the next reconcile). */
  readonly #sweeps = new Set<NodeJS.Timeout>();
  #reconciling: Promise<void> | null = null;
  /** Widget renders answered from rollups / from records, for the bench and tests; the latter by reason. */
  answered = 0;
  fellBack = 0;
  readonly fellBackFor = new Map<FallBackReason, number>();
  /** Generations this process built and switched to; repairs of left-behind marks; rebuilds a reconcile started on drift. */
  builds = 0;
  repairs = 0;
  drifts = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
    private readonly recount: Recount = async () => undefined,
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

  /** Reconciles now (in the background) and every `RECONCILE_INTERVAL_MS`. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.reconcile().catch(this.onError), RECONCILE_INTERVAL_MS).unref();
    void this.reconcile().catch(this.onError);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const sweep of this.#sweeps) clearTimeout(sweep);
    this.#sweeps.clear();
    await this.#reconciling?.catch(() => undefined);
    await this.idle();
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

  async #mark(workspaceId: string, dataset: string | null, kind: RollupMarkDoc['kind']): Promise<RollupMarkDoc> {
    const now = this.clock.now();
    const mark: RollupMarkDoc = { _id: newId(), workspaceId, dataset, kind, createdAt: now, expiresAt: new Date(now.getTime() + MARK_TTL_MS) };
    await this.store.rollupMarks.insertOne(mark);
    return mark;
  }

  /**
   * A write failed after its mark was stored: the mark now asks for a repair. This process knows
   * at once; other instances know when the store says so (an expiry of now), or when it expires.
   */
  #abandon(mark: RollupMarkDoc): void {
    this.#abandoned.add(mark._id);
    this.store.rollupMarks.updateOne({ _id: mark._id }, { set: { expiresAt: new Date(0) } }).catch(() => undefined);
  }

  #leftBehind(mark: RollupMarkDoc, now: Date): boolean {
    return this.#abandoned.has(mark._id) || mark.expiresAt.getTime() <= now.getTime();
  }

  /**
   * Stores records through `insert` (which answers the ids it stored), adds those records, and
   * only those, to every ready rollup of the dataset, and hands them to `observe` (the catalog),
   * all under one mark. Then repairs whatever an earlier failed write on the dataset left.
   */
  ingest(
    workspaceId: string,
    dataset: string,
    insert: () => Promise<string[]>,
    observe: (ids: string[]) => Promise<void> = async () => undefined,
  ): Promise<string[]> {
    return this.#serialize(workspaceId, async () => {
      const mark = await this.#mark(workspaceId, dataset, 'ingest');
      let ids: string[];
      try {
        // Before any record is stored, each spec's `writes` moves, reading the generation this batch goes into.
        const targets: RollupSpecDoc[] = [];
        for (const spec of await this.store.rollupSpecs.find({ workspaceId, dataset })) {
          const current = await this.store.rollupSpecs.updateOne({ _id: spec._id }, { inc: { writes: 1 } });
          // A spec being built is not merged into: its build, which must see this batch, starts again.
          if (current?.status === 'ready') targets.push(current);
        }
        ids = await insert();
        if (ids.length > 0) {
          for (const spec of targets) {
            const cells = await this.store.rollupRecords(this.#source(spec, ids));
            await this.store.mergeRollups(rowsOf(spec, spec.generation, cells));
          }
          await observe(ids);
        }
        await this.store.rollupMarks.deleteOne({ _id: mark._id });
      } catch (error) {
        this.#abandon(mark);
        throw error;
      }
      // The records are stored and counted; a failed repair is left to the next write or the reconcile.
      await this.#repairLeftBehind(workspaceId, dataset).catch(this.onError);
      return ids;
    });
  }

  /**
   * Erases records through `erase`, then rebuilds the rollups and recounts the catalog of the
   * datasets concerned (null: all), under one mark. Idempotent: a retry after a failure rebuilds
   * even when nothing is left to erase, because the failed attempt's mark is still there. The
   * workspace's data version moves after the records go and again when all is rebuilt, so no
   * instance's cache serves a render made before.
   */
  erase(workspaceId: string, dataset: string | null, erase: () => Promise<number>): Promise<number> {
    return this.#serialize(workspaceId, async () => {
      const mark = await this.#mark(workspaceId, dataset, 'erase');
      try {
        const erased = await erase();
        await this.#bumpDataVersion(workspaceId);
        const now = this.clock.now();
        const marks = await this.store.rollupMarks.find({ workspaceId });
        const earlier = marks.filter((other) => other._id !== mark._id && covers(other, dataset) && (other.kind === 'erase' || this.#leftBehind(other, now)));
        if (erased > 0 || earlier.length > 0) {
          const rebuilt = await this.#rebuild(workspaceId, dataset);
          await this.recount(workspaceId, dataset);
          await this.#bumpDataVersion(workspaceId);
          if (!rebuilt) {
            // The dataset stayed busy: renders keep reading records under this mark until a repair rebuilds.
            this.#abandon(mark);
            return erased;
          }
          await this.#forget(earlier.filter((other) => this.#leftBehind(other, now)));
        }
        await this.store.rollupMarks.deleteOne({ _id: mark._id });
        return erased;
      } catch (error) {
        this.#abandon(mark);
        throw error;
      }
    });
  }

  async #bumpDataVersion(workspaceId: string): Promise<void> {
    await this.store.workspaces.updateOne({ _id: workspaceId }, { inc: { dataVersion: 1 } });
  }

  async #forget(marks: readonly RollupMarkDoc[]): Promise<void> {
    for (const mark of marks) {
      await this.store.rollupMarks.deleteOne({ _id: mark._id });
      this.#abandoned.delete(mark._id);
    }
  }

  /** Rebuilds every spec of a dataset (null: of the workspace) after a write; false when one could not be (its dataset stayed busy). */
  async #rebuild(workspaceId: string, dataset: string | null): Promise<boolean> {
    const specs = await this.store.rollupSpecs.find({ workspaceId, ...(dataset !== null ? { dataset } : {}) });
    let all = true;
    for (const spec of specs) if (!(await this.#build(spec._id, 'after-write'))) all = false;
    return all;
  }

  /**
   * Repairs the marks left behind on a dataset (null: any): rebuilds the rollups and recounts the
   * catalog they cover, then removes them. A mark still in flight elsewhere is left alone.
   */
  async #repairLeftBehind(workspaceId: string, dataset: string | null): Promise<void> {
    const now = this.clock.now();
    const marks = await this.store.rollupMarks.find({ workspaceId });
    const left = marks.filter((mark) => covers(mark, dataset) && this.#leftBehind(mark, now));
    if (left.length === 0) return;
    const datasets: Array<string | null> = left.some((mark) => mark.dataset === null) ? [null] : [...new Set(left.map((mark) => mark.dataset))];
    let rebuilt = true;
    for (const one of datasets) {
      if (!(await this.#rebuild(workspaceId, one))) rebuilt = false;
      await this.recount(workspaceId, one);
    }
    if (!rebuilt) return;
    await this.#bumpDataVersion(workspaceId);
    await this.#forget(left);
    this.repairs += left.length;
  }

  /**
   * Brings the workspace's rollups in line with its pages' widgets: builds the missing ones from
   * the records and drops those no widget needs any more. Queued; `idle()` waits for it.
   */
  syncWorkspace(workspaceId: string): Promise<void> {
    return this.#serialize(workspaceId, () => this.#sync(workspaceId));
  }

  async #sync(workspaceId: string): Promise<void> {
    const pages = await this.store.pages.find({ workspaceId });
    const wanted = new Map<string, RollupShape>();
    for (const page of pages) {
      const shapes = shapesOfPage(page);
      for (const [id, shape] of shapes) wanted.set(id, shape);
      // Kept on the page so a render reads its specs with it; only for the version of the page read here (a save since wins).
      const ids = [...shapes.keys()];
      if (ids.length !== (page.rollupSpecIds?.length ?? -1) || ids.some((id, index) => page.rollupSpecIds![index] !== id)) {
        await this.store.pages.updateOne({ _id: page._id, updatedAt: page.updatedAt }, { set: { rollupSpecIds: ids } });
      }
    }
    const existing = await this.store.rollupSpecs.find({ workspaceId });
    for (const spec of existing) {
      if (!wanted.has(spec._id)) {
        await this.store.rollups.deleteMany({ specId: spec._id });
        await this.store.rollupSpecs.deleteOne({ _id: spec._id });
      }
    }
    for (const [id, shape] of wanted) {
      const current = existing.find((spec) => spec._id === id);
      if (current?.status === 'ready') continue;
      if (!current) await this.store.rollupSpecs.insertIfAbsent({ _id: id, ...shape, generation: 0, status: 'building', updatedAt: this.clock.now() });
      await this.#build(id, 'missing');
    }
  }

  /** Same as `syncWorkspace`, for callers that must not wait (a page save); failures are logged. */
  scheduleSync(workspaceId: string): void {
    this.syncWorkspace(workspaceId).catch(this.onError);
  }

  /**
   * Builds a spec from the records into a generation no one wrote before, and switches to it.
   *
   * - `missing`: the spec has never been built; if it is ready, or another instance holds its
   *   lease, that is someone else's build: nothing to do.
   * - `after-write`: records changed under it (an erasure, a repair): it must be built from a scan
   *   that starts now, so a lease held by another builder is waited for, then built again.
   *
   * The build holds the spec's lease, waits while an ingest of the dataset is in flight, scans,
   * writes its rows, and switches only if no ingest began since (`writes` unchanged); otherwise it
   * drops its rows and tries again. False when it gave up (the dataset stayed busy).
   */
  async #build(specId: string, mode: 'missing' | 'after-write'): Promise<boolean> {
    for (let attempt = 0; attempt < BUILD_ATTEMPTS; attempt += 1) {
      if (attempt > 0) await pause(BUILD_RETRY_MS * attempt);
      const spec = await this.store.rollupSpecs.findOne({ _id: specId });
      if (!spec) return false;
      if (mode === 'missing' && spec.status === 'ready') return true;
      const now = this.clock.now();
      if (spec.leaseToken && spec.leaseUntil && spec.leaseUntil.getTime() > now.getTime()) {
        if (mode === 'missing') return false;
        continue;
      }
      const token = newId();
      const generation = Math.max(spec.generation, spec.building ?? 0, ...(spec.retired ?? []).map((old) => old.generation)) + 1;
      // A builder that stopped (its lease expired) left the rows of the generation it was writing: retire them.
      const retired = [...(spec.retired ?? []), ...(spec.building != null ? [{ generation: spec.building, at: now }] : [])];
      const leased = await this.store.rollupSpecs.updateOne(
        { _id: specId, leaseToken: spec.leaseToken ?? null },
        { set: { leaseToken: token, leaseUntil: new Date(now.getTime() + LEASE_MS), building: generation, retired } },
      );
      if (!leased) continue;
      let switched = false;
      try {
        const kept = await this.#sweepRetired(leased, token);
        const marks = await this.store.rollupMarks.find({ workspaceId: spec.workspaceId });
        const checked = this.clock.now();
        if (marks.some((mark) => mark.kind === 'ingest' && covers(mark, spec.dataset) && !this.#leftBehind(mark, checked))) continue;
        const cells = await this.store.rollupRecords(this.#source(spec, null));
        await this.store.rollups.deleteMany({ specId, generation });
        await this.store.mergeRollups(rowsOf(spec, generation, cells));
        const done = await this.store.rollupSpecs.updateOne(
          { _id: specId, leaseToken: token, writes: leased.writes ?? null },
          {
            set: {
              generation,
              status: 'ready',
              building: null,
              leaseToken: null,
              leaseUntil: null,
              retired: [...kept, { generation: leased.generation, at: this.clock.now() }],
              updatedAt: this.clock.now(),
            },
          },
        );
        if (!done) {
          // An ingest began during the scan (or the spec went): these rows may miss it.
          await this.store.rollups.deleteMany({ specId, generation });
          continue;
        }
        switched = true;
        this.builds += 1;
        this.#sweepSoon(spec.workspaceId, specId);
        return true;
      } finally {
        if (!switched) await this.#release(specId, token);
      }
    }
    return false;
  }

  /** Gives the lease back (best effort: an outage leaves it to expire). */
  async #release(specId: string, token: string): Promise<void> {
    await this.store.rollupSpecs.updateOne({ _id: specId, leaseToken: token }, { set: { leaseToken: null, leaseUntil: null } }).catch(() => undefined);
  }

  /** Deletes the rows of generations retired long enough ago that no render can still read them (under the lease); answers those kept. */
  async #sweepRetired(spec: RollupSpecDoc, token: string): Promise<Array<{ generation: number; at: Date }>> {
    const now = this.clock.now().getTime();
    const retired = spec.retired ?? [];
    const due = retired.filter((old) => old.generation !== spec.generation && now - old.at.getTime() >= RETIRED_ROWS_MS);
    if (due.length === 0) return retired;
    for (const old of due) await this.store.rollups.deleteMany({ specId: spec._id, generation: old.generation });
    const kept = retired.filter((old) => !due.includes(old));
    await this.store.rollupSpecs.updateOne({ _id: spec._id, leaseToken: token }, { set: { retired: kept } });
    return kept;
  }

  /**
   * Checks every workspace's rollups against its records, cheaply: repairs marks left behind,
   * builds specs its pages need that no one stored or finished, compares each ready spec's count with the records' and rebuilds
   * on drift, and drops retired rows. Runs at start and every `RECONCILE_INTERVAL_MS`; one at a time.
   */
  reconcile(): Promise<void> {
    this.#reconciling ??= (async () => {
      try {
        // Every workspace: one whose pages' specs were never all stored (their saver stopped) has none to show for it.
        const workspaces = await this.store.workspaces.find({});
        for (const { _id: workspaceId } of workspaces) await this.#serialize(workspaceId, () => this.#reconcileWorkspace(workspaceId));
      } finally {
        this.#reconciling = null;
      }
    })();
    return this.#reconciling;
  }

  async #reconcileWorkspace(workspaceId: string): Promise<void> {
    await this.#repairLeftBehind(workspaceId, null);
    await this.#sync(workspaceId);
    const specs = await this.store.rollupSpecs.find({ workspaceId });
    const marks = await this.store.rollupMarks.find({ workspaceId });
    for (const spec of specs) {
      // A write in flight settles its own dataset (or leaves a mark for the next reconcile).
      if (marks.some((mark) => covers(mark, spec.dataset))) continue;
      if (spec.status !== 'ready') {
        await this.#build(spec._id, 'missing');
        continue;
      }
      if (await this.#drifted(spec)) {
        // Renders read records from here until the rebuild switches.
        const flagged = await this.store.rollupSpecs.updateOne(
          { _id: spec._id, writes: spec.writes ?? null, generation: spec.generation },
          { set: { status: 'building', updatedAt: this.clock.now() } },
        );
        if (flagged) {
          this.drifts += 1;
          await this.#build(spec._id, 'after-write');
        }
        continue;
      }
      await this.#sweepUnbuilt(spec);
    }
  }

  /** Drops the spec's retired rows once no render can read them any more (here, or by the reconcile if this process stops). */
  #sweepSoon(workspaceId: string, specId: string): void {
    const sweep = setTimeout(() => {
      this.#sweeps.delete(sweep);
      this.#serialize(workspaceId, async () => {
        const spec = await this.store.rollupSpecs.findOne({ _id: specId });
        if (spec) await this.#sweepUnbuilt(spec);
      }).catch(this.onError);
    }, RETIRED_ROWS_MS + 1000).unref();
    this.#sweeps.add(sweep);
  }

  /** Drops a spec's retired rows when no build comes to do it: takes the lease if free, sweeps, gives it back. */
  async #sweepUnbuilt(spec: RollupSpecDoc): Promise<void> {
    const now = this.clock.now().getTime();
    if (!(spec.retired ?? []).some((old) => now - old.at.getTime() >= RETIRED_ROWS_MS)) return;
    if (spec.leaseToken && spec.leaseUntil && spec.leaseUntil.getTime() > now) return;
    const token = newId();
    const leased = await this.store.rollupSpecs.updateOne(
      { _id: spec._id, leaseToken: spec.leaseToken ?? null },
      { set: { leaseToken: token, leaseUntil: new Date(now + LEASE_MS) } },
    );
    if (!leased) return;
    try {
      await this.#sweepRetired(leased, token);
    } finally {
      await this.#release(spec._id, token);
    }
  }

  /**
   * Whether a ready spec's count differs from its records' (its filters applied), read twice
   * around nothing moving: if an ingest began or a build switched meanwhile, there is no verdict.
   */
  async #drifted(spec: RollupSpecDoc): Promise<boolean> {
    const [records] = await this.store.aggregateRecords([
      { $match: { $and: [{ workspaceId: { $eq: spec.workspaceId } }, { dataset: { $eq: spec.dataset } }, ...spec.filters.map(ruleToMatch)] } },
      { $group: { _id: null, c: { $sum: 1 } } },
    ]);
    const [rows] = await this.store.aggregateRollups([
      {
        $match: {
          $and: [
            { specId: { $eq: spec._id } },
            { generation: { $eq: spec.generation } },
            { level: { $eq: 'total' } },
            { a: { $eq: true } },
            { workspaceId: { $eq: spec.workspaceId } },
          ],
        },
      },
      { $group: { _id: null, c: { $sum: '$c' } } },
    ]);
    const again = await this.store.rollupSpecs.findOne({ _id: spec._id });
    if (!again || (again.writes ?? 0) !== (spec.writes ?? 0) || again.generation !== spec.generation) return false;
    return Number(records?.['c'] ?? 0) !== Number(rows?.['c'] ?? 0);
  }

  /**
   * The workspace's data version (see `WorkspaceDoc.dataVersion`): per-process caches of rendered
   * data key their entries by it. Read on every render, before any cache is consulted.
   */
  async dataVersion(workspaceId: string): Promise<number> {
    const workspace = await this.store.workspaces.findOne({ _id: workspaceId });
    return workspace?.dataVersion ?? 0;
  }

  /**
   * The rollups a page's widgets may be answered from now, in one round trip: ready, and with no
   * write marked on their dataset (then the records answer).
   */
  async readyFor(page: PageDoc): Promise<Map<string, RollupSpecDoc>> {
    const ids = [...shapesOfPage(page).keys()];
    if (ids.length === 0) return new Map();
    const [specs, marks] = await Promise.all([
      this.store.rollupSpecs.find({ workspaceId: page.workspaceId, _id: { oneOf: ids } }),
      this.store.rollupMarks.find({ workspaceId: page.workspaceId }),
    ]);
    return this.#usable(page, ids, specs, marks);
  }

  /**
   * `readyFor` from documents a render read with its page, in the same round trip: the specs the
   * page's `rollupSpecIds` name and the workspace's marks. Null when those ids are not the ones its
   * widgets need now (the sync has not seen this version of the page): then `readyFor` reads them.
   */
  readyFrom(page: PageDoc, named: readonly RollupSpecDoc[], marks: readonly RollupMarkDoc[]): Map<string, RollupSpecDoc> | null {
    const ids = [...shapesOfPage(page).keys()];
    if (ids.length === 0) return new Map();
    const stored = new Set(page.rollupSpecIds ?? []);
    if (!ids.every((id) => stored.has(id))) return null;
    return this.#usable(
      page,
      ids,
      named.filter((spec) => ids.includes(spec._id)),
      marks,
    );
  }

  #usable(page: PageDoc, ids: readonly string[], specs: readonly RollupSpecDoc[], marks: readonly RollupMarkDoc[]): Map<string, RollupSpecDoc> {
    if (specs.length < ids.length && !this.#catchingUp.has(page.workspaceId) && !this.#chains.has(page.workspaceId)) {
      // A page stored before its rollups existed (or by another version): build them in the background; this render reads the records.
      this.#catchingUp.add(page.workspaceId);
      this.scheduleSync(page.workspaceId);
    }
    const usable = specs.filter((spec) => spec.status === 'ready' && !marks.some((mark) => covers(mark, spec.dataset)));
    return new Map(usable.map((spec) => [spec._id, spec]));
  }

  /**
   * A widget's pipeline output read from its rollup, or null when the rollup cannot answer this
   * form (or is not built): the caller then runs the form's records pipeline.
   */
  async answer(specs: ReadonlyMap<string, RollupSpecDoc>, page: PageDoc, form: QueryForm): Promise<Array<Record<string, unknown>> | null> {
    const plan = this.planFor(specs, page, form);
    return plan ? this.outputOf(plan, await this.store.aggregateRollups(plan.pipeline)) : null;
  }

  /**
   * The planner's decision for a widget's form on a page: the spec its shape names (if ready and
   * unmarked), planned over. Counts nothing (`planFor` does).
   */
  decide(specs: ReadonlyMap<string, RollupSpecDoc>, page: PageDoc, form: QueryForm): RollupDecision {
    const shape = rollupShapeOf(page.workspaceId, form);
    if (!shape) return { fallBack: form.metric ? 'dimension on at' : 'record list' };
    const spec = specs.get(specIdOf(shape));
    return spec ? planRollup(spec, form) : { fallBack: 'no ready rollup' };
  }

  /**
   * `answer` in two steps, so a render can run every widget's pipeline in one round trip: the
   * rollup pipeline that can answer the widget, or null (the records answer)…
   */
  planFor(specs: ReadonlyMap<string, RollupSpecDoc>, page: PageDoc, form: QueryForm): RollupPlan | null {
    const decision = this.decide(specs, page, form);
    return decision.plan ?? this.#fallBack(decision.fallBack);
  }

  /** …then its rows as the widget's output, or null when they cannot be trusted (the records answer). */
  outputOf(plan: RollupPlan, rows: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> | null {
    if (rows.some((row) => Number(row['bad'] ?? 0) > 0)) return this.#fallBack('cell split by the zone');
    if (plan.numericOnly && rows.some((row) => Number(row['x'] ?? 0) > 0)) return this.#fallBack('values that are not numbers');
    this.answered += 1;
    const output = rows.map((row) => ({ _id: row['_id'] ?? null, value: row['value'] ?? null }));
    return plan.limit === null ? output : output.slice(0, plan.limit);
  }

  #fallBack(reason: FallBackReason): null {
    this.fellBack += 1;
    this.fellBackFor.set(reason, (this.fellBackFor.get(reason) ?? 0) + 1);
    return null;
  }
}
