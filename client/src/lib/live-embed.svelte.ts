import { EmbedUnavailableError } from "../api/graphql";
import type { HostChannel } from "./host";
import { Resource } from "./resource.svelte";

export type EmbedStatus = "loading" | "ready" | "error" | "unavailable";

/** Never poll faster than this, whatever a page declares. */
const MIN_REFRESH_MS = 5_000;
/** After a transient failure (network, 5xx), try again after this long. */
const RETRY_MS = 30_000;

/**
 * The lifecycle shared by every embed: load, re-load on a timer, tell the host page what happened.
 * Data stays on screen across reloads and transient errors, and disappears for good once the
 * credential is refused (an embed never shows a number it can no longer vouch for).
 */
export class LiveEmbed<T> {
  readonly #resource: Resource<T>;
  readonly #host: HostChannel;
  readonly #nextDelayMs: (data: T) => number | null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wasReady = false;

  /**
   * @param fetcher loads the data; throws EmbedUnavailableError when the credential is refused
   * @param nextDelayMs when to load again after a success (null: not automatically)
   */
  constructor(
    fetcher: (signal: AbortSignal) => Promise<T>,
    nextDelayMs: (data: T) => number | null,
    host: HostChannel,
  ) {
    this.#resource = new Resource(fetcher);
    this.#nextDelayMs = nextDelayMs;
    this.#host = host;
  }

  get status(): EmbedStatus {
    const { data, error } = this.#resource;
    if (error instanceof EmbedUnavailableError) return "unavailable";
    if (data !== undefined) return "ready";
    return error ? "error" : "loading";
  }

  /** The data to show, or undefined: never anything once the embed is unavailable. */
  get data(): T | undefined {
    return this.status === "unavailable" ? undefined : this.#resource.data;
  }

  get refreshing(): boolean {
    return this.#resource.loading && this.#resource.data !== undefined;
  }

  async refresh(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#resource.load();
    const { data, error } = this.#resource;
    if (error instanceof EmbedUnavailableError) {
      this.#resource.clear();
      this.#host.post({
        type: this.#wasReady ? "porthole:expired" : "porthole:unavailable",
      });
      return;
    }
    if (error) {
      this.#schedule(RETRY_MS);
      return;
    }
    if (data === undefined) return;
    if (!this.#wasReady) this.#host.post({ type: "porthole:ready" });
    this.#wasReady = true;
    const delay = this.#nextDelayMs(data);
    if (delay !== null) this.#schedule(delay);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#resource.abort();
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(
      () => void this.refresh(),
      Math.max(MIN_REFRESH_MS, delayMs),
    );
  }
}

/** A page's `refreshSeconds` as a delay, or null when it does not refresh. */
export function refreshDelayMs(
  refreshSeconds: number | null | undefined,
): number | null {
  return refreshSeconds && refreshSeconds > 0 ? refreshSeconds * 1000 : null;
}
