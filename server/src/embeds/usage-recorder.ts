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

  /** Writes what has accumulated; safe to call at any time, and on shutdown. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      const embeds = [...this.#embeds];
      const secrets = [...this.#secrets];
      this.#embeds.clear();
      this.#secrets.clear();
      try {
        await Promise.all([
          ...embeds.map(([id, { loads, lastUsedAt }]) => this.store.pageEmbeds.updateOne({ _id: id }, { set: { lastUsedAt }, inc: { loadCount: loads } })),
          ...secrets.map(([id, lastUsedAt]) => this.store.signingSecrets.updateOne({ _id: id }, { set: { lastUsedAt } })),
        ]);
      } catch (error) {
        this.onError(error);
      }
    });
    return this.#flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}
