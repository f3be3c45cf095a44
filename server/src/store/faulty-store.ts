import { StoreUnavailableError } from '../errors.js';
import {
  collectionNames,
  type AggregationRun,
  type BatchRead,
  type BatchResult,
  type CollectionName,
  type Pipeline,
  type RollupCell,
  type RollupSource,
  type Store,
} from './port.js';
import type { RollupRowDoc } from '../domain/types.js';

/**
 * How the wrapped store misbehaves:
 * - `up`: every call goes through;
 * - `down`: every call fails at once, as a refused connection does;
 * - `stalled`: every call waits `stallMs`, then fails, as the mongo adapter's server-selection
 *   and operation timeouts do when the database stops answering mid-connection.
 */
export type FaultMode = 'up' | 'down' | 'stalled';

/**
 * A fault-injecting wrapper around any storage port, for tests: it turns the store off
 * and on under a running server, so that outages and recovery can be observed over HTTP.
 * Calls already under way when the mode changes finish as they started.
 */
export class FaultyStore implements Store {
  readonly kind: Store['kind'];
  #mode: FaultMode = 'up';
  #stallMs = 0;
  #held: Promise<void> | null = null;
  #release: (() => void) | null = null;
  /** Calls refused since the last `recover()`. */
  refused = 0;
  /**
   * Called before every call with its name (`records.insertNew`, `rollupSpecs.updateOne`,
   * `mergeRollups`, …) and arguments: a test may throw here (a fault on exactly that call) or wait
   * (to run other work between two steps of a write). Null: calls go straight through.
   */
  intercept: ((call: string, args: readonly unknown[]) => void | Promise<void>) | null = null;

  declare readonly workspaces: Store['workspaces'];
  declare readonly principals: Store['principals'];
  declare readonly apiKeys: Store['apiKeys'];
  declare readonly users: Store['users'];
  declare readonly records: Store['records'];
  declare readonly pages: Store['pages'];
  declare readonly signingSecrets: Store['signingSecrets'];
  declare readonly pageEmbeds: Store['pageEmbeds'];
  declare readonly tokenIssuers: Store['tokenIssuers'];
  declare readonly counters: Store['counters'];
  declare readonly consoleSessions: Store['consoleSessions'];
  declare readonly invitations: Store['invitations'];
  declare readonly passwords: Store['passwords'];
  declare readonly passkeys: Store['passkeys'];
  declare readonly webauthnChallenges: Store['webauthnChallenges'];
  declare readonly rollupSpecs: Store['rollupSpecs'];
  declare readonly rollups: Store['rollups'];
  declare readonly rollupMarks: Store['rollupMarks'];
  declare readonly exportTickets: Store['exportTickets'];
  declare readonly auditEvents: Store['auditEvents'];
  declare readonly datasets: Store['datasets'];
  declare readonly datasetFields: Store['datasetFields'];

  constructor(private readonly inner: Store) {
    this.kind = inner.kind;
    for (const name of collectionNames) {
      Object.defineProperty(this, name, {
        value: this.#wrap(name),
        enumerable: true,
      });
    }
  }

  /** Every call fails at once until `recover()`. */
  breakDown(): void {
    this.#mode = 'down';
  }

  /** Every call waits `ms` and then fails, until `recover()`. */
  stall(ms: number): void {
    this.#mode = 'stalled';
    this.#stallMs = ms;
  }

  /** The store answers again. */
  recover(): void {
    this.#mode = 'up';
    this.refused = 0;
  }

  get mode(): FaultMode {
    return this.#mode;
  }

  /**
   * Holds every aggregation until `releaseAggregations()`, as a database holds a slow query:
   * renders stay in flight, so tests can gather concurrent viewers around one of them.
   */
  holdAggregations(): void {
    this.#held ??= new Promise<void>((resolve) => (this.#release = resolve));
  }

  releaseAggregations(): void {
    this.#release?.();
    this.#held = null;
    this.#release = null;
  }

  async #gate(call: string, args: readonly unknown[]): Promise<void> {
    if (this.#mode === 'up') {
      await this.intercept?.(call, args);
      return;
    }
    const mode = this.#mode;
    this.refused += 1;
    if (mode === 'stalled') await new Promise((resolve) => setTimeout(resolve, this.#stallMs));
    throw new StoreUnavailableError(new Error(`fault injected: ${mode}`));
  }

  /** Every method of the collection, present and future, passes the gate first. */
  #wrap(name: CollectionName): unknown {
    const target = this.inner[name] as unknown as Record<string | symbol, unknown>;
    return new Proxy(target, {
      get: (collection, property) => {
        const value = Reflect.get(collection, property, collection);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await this.#gate(`${name}.${String(property)}`, args);
          return (value as (...inner: unknown[]) => Promise<unknown>).apply(collection, args);
        };
      },
    });
  }

  async aggregateRecords(pipeline: Pipeline): Promise<Array<Record<string, unknown>>> {
    await this.#gate('aggregateRecords', [pipeline]);
    if (this.#held) await this.#held;
    return this.inner.aggregateRecords(pipeline);
  }

  async rollupRecords(source: RollupSource): Promise<RollupCell[]> {
    await this.#gate('rollupRecords', [source]);
    return this.inner.rollupRecords(source);
  }

  async mergeRollups(rows: readonly RollupRowDoc[]): Promise<void> {
    await this.#gate('mergeRollups', [rows]);
    return this.inner.mergeRollups(rows);
  }

  async aggregateRollups(pipeline: Pipeline): Promise<Array<Record<string, unknown>>> {
    await this.#gate('aggregateRollups', [pipeline]);
    if (this.#held) await this.#held;
    return this.inner.aggregateRollups(pipeline);
  }

  async readBatch(reads: Readonly<Record<string, BatchRead>>): Promise<Record<string, BatchResult>> {
    await this.#gate('readBatch', [reads]);
    return this.inner.readBatch(reads);
  }

  /** Each pipeline passes the gate (and the hold) under the name it has on its own, so a test can stop at one of them. */
  async aggregateAll(runs: readonly AggregationRun[]): Promise<Array<Array<Record<string, unknown>>>> {
    await Promise.all(runs.map((run) => this.#gate(run.over === 'records' ? 'aggregateRecords' : 'aggregateRollups', [run.pipeline])));
    if (this.#held) await this.#held;
    return this.inner.aggregateAll(runs);
  }

  async ping(): Promise<void> {
    await this.#gate('ping', []);
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
