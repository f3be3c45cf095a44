import type { Clock } from '../domain/viewer.js';
import type { Store } from '../store/port.js';

const FLUSH_INTERVAL_MS = 5000;

/** Who viewed an embed, as usage counts them: a signed-in person's principal id, else `anonymous`. */
export const ANONYMOUS_VIEWER = 'anonymous';
/** Principal ids are generated hex; anything else (never expected) is counted as anonymous rather than used as a field name. */
const viewerKey = (viewerId: string | null): string => (viewerId && /^[a-z0-9]{1,40}$/.test(viewerId) ? viewerId : ANONYMOUS_VIEWER);

interface ViewerCounts {
  embedId: string;
  viewer: string;
  loads: number;
  exports: number;
  lastUsedAt: Date;
}

/**
 * Counts embed loads, exports and last-used times (per embed, and per embed and viewer) in memory
 * and writes them in batches, so a busy embed costs one write per interval instead of one per view,
 * and a render waits for no write.
 */
export class UsageRecorder {
  readonly #embeds = new Map<string, { loads: number; lastUsedAt: Date }>();
  readonly #viewers = new Map<string, ViewerCounts>();
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

  recordLoad(embedId: string | null, secretId: string | null, viewerId: string | null = null): void {
    const now = this.clock.now();
    if (embedId) {
      const entry = this.#embeds.get(embedId);
      this.#embeds.set(embedId, { loads: (entry?.loads ?? 0) + 1, lastUsedAt: now });
      this.#countViewer(embedId, viewerId, { loads: 1, exports: 0, lastUsedAt: now });
    }
    if (secretId) this.#secrets.set(secretId, now);
  }

  /** One file downloaded from an embed, by a viewer. */
  recordExport(embedId: string, viewerId: string | null): void {
    this.#countViewer(embedId, viewerId, { loads: 0, exports: 1, lastUsedAt: this.clock.now() });
  }

  #countViewer(embedId: string, viewerId: string | null, add: Omit<ViewerCounts, 'embedId' | 'viewer'>): void {
    const viewer = viewerKey(viewerId);
    const key = `${embedId}\u0000${viewer}`;
    const entry = this.#viewers.get(key);
    this.#viewers.set(key, {
      embedId,
      viewer,
      loads: (entry?.loads ?? 0) + add.loads,
      exports: (entry?.exports ?? 0) + add.exports,
      lastUsedAt: entry && entry.lastUsedAt > add.lastUsedAt ? entry.lastUsedAt : add.lastUsedAt,
    });
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
      const viewers = [...this.#viewers.values()];
      this.#embeds.clear();
      this.#secrets.clear();
      this.#viewers.clear();
      const results = await Promise.allSettled([
        // Loads add up and `lastUsedAt` only moves forward, so instances flushing in any order agree.
        ...embeds.map(([id, { loads, lastUsedAt }]) => this.store.pageEmbeds.updateOne({ _id: id }, { max: { lastUsedAt }, inc: { loadCount: loads } })),
        ...secrets.map(([id, lastUsedAt]) => this.store.signingSecrets.updateOne({ _id: id }, { max: { lastUsedAt } })),
        this.#writeViewers(viewers),
      ]);
      const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      embeds.forEach(([id, entry], index) => {
        if (results[index]!.status === 'rejected') this.#putBackLoads(id, entry);
      });
      secrets.forEach(([id, lastUsedAt], index) => {
        if (results[embeds.length + index]!.status === 'rejected') this.#putBackSecret(id, lastUsedAt);
      });
      if (results[embeds.length + secrets.length]!.status === 'rejected') viewers.forEach((entry) => this.#countViewer(entry.embedId, entry.viewer, entry));
      if (failures.length > 0) this.onError(failures[0]);
    });
    return this.#flushing;
  }

  /**
   * Per-viewer counts as accumulating upserts on the embed record (`viewers.<viewer>.loads`, …; the
   * viewer key is a generated id or `anonymous`, never client text), plus each embed's export count.
   * An embed record that expired meanwhile would be created again as a stub: it is given an
   * `expiresAt` of now, so the TTL takes it straight away, and no list shows it (no workspace).
   */
  #writeViewers(viewers: readonly ViewerCounts[]): Promise<void> {
    if (viewers.length === 0) return Promise.resolve();
    const now = this.clock.now();
    return this.store.pageEmbeds.accumulate(
      viewers.map(({ embedId, viewer, loads, exports, lastUsedAt }) => ({
        id: embedId,
        setOnInsert: { expiresAt: now },
        inc: { [`viewers.${viewer}.loads`]: loads, [`viewers.${viewer}.exports`]: exports, exportCount: exports },
        max: { [`viewers.${viewer}.lastUsedAt`]: lastUsedAt },
      })),
    );
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
