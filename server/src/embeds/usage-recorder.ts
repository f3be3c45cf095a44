import type { Clock } from '../domain/viewer.js';
import type { Store } from '../store/port.js';

const FLUSH_INTERVAL_MS = 5000;

/**
 * Counts embed loads and last-used times in memory and writes them in batches, so a
 * busy embed costs one write per interval instead of one per view.
 */
export class UsageRecorder {
  readonly #embeds = new Map<string, { loads: number; lastUsedAt: Date }>();
  readonly #secrets = new Map<string, Date>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  recordLoad(embedId: string | null, secretId: string | null): void {
    const now = this.clock.now();
    if (embedId) {
      const entry = this.#embeds.get(embedId);
      this.#embeds.set(embedId, { loads: (entry?.loads ?? 0) + 1, lastUsedAt: now });
    }
    if (secretId) this.#secrets.set(secretId, now);
  }

  /**
   * Writes what has accumulated; safe to call at any time, and on shutdown. A write that
   * fails (the store is down) puts its counts back, merged with whatever arrived meanwhile,
   * so the next flush writes them: no load is lost to an outage, and none is counted twice.
   */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      const embeds = [...this.#embeds];
      const secrets = [...this.#secrets];
      this.#embeds.clear();
      this.#secrets.clear();
      const results = await Promise.allSettled([
        // Loads add up and `lastUsedAt` only moves forward, so instances flushing in any order agree.
        ...embeds.map(([id, { loads, lastUsedAt }]) => this.store.pageEmbeds.updateOne({ _id: id }, { max: { lastUsedAt }, inc: { loadCount: loads } })),
        ...secrets.map(([id, lastUsedAt]) => this.store.signingSecrets.updateOne({ _id: id }, { max: { lastUsedAt } })),
      ]);
      const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      embeds.forEach(([id, entry], index) => {
        if (results[index]!.status === 'rejected') this.#putBackLoads(id, entry);
      });
      secrets.forEach(([id, lastUsedAt], index) => {
        if (results[embeds.length + index]!.status === 'rejected') this.#putBackSecret(id, lastUsedAt);
      });
      if (failures.length > 0) this.onError(failures[0]);
    });
    return this.#flushing;
  }

  /** Loads that were not written: added to any counted since, keeping the latest time. */
  #putBackLoads(id: string, unwritten: { loads: number; lastUsedAt: Date }): void {
    const since = this.#embeds.get(id);
    this.#embeds.set(id, {
      loads: unwritten.loads + (since?.loads ?? 0),
      lastUsedAt: since && since.lastUsedAt > unwritten.lastUsedAt ? since.lastUsedAt : unwritten.lastUsedAt,
    });
  }

  #putBackSecret(id: string, unwritten: Date): void {
    const since = this.#secrets.get(id);
    if (!since || since < unwritten) this.#secrets.set(id, unwritten);
  }

  /** Loads counted but not yet written, for tests and shutdown logs. */
  get pendingLoads(): number {
    let total = 0;
    for (const { loads } of this.#embeds.values()) total += loads;
    return total;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}
