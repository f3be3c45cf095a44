import { EmbedUnavailableError, SignInRequiredError, ViewerForbiddenError } from '../api/graphql';
import type { HostChannel } from './host';

/** What an embed shows while it has no data to show ('sign-in' and 'forbidden': who is viewing). */
export type EmbedNotice = 'loading' | 'error' | 'unavailable' | 'sign-in' | 'forbidden';

/** Never poll faster than this, whatever a page declares. */
const MIN_REFRESH_MS = 5_000;
/** After a transient failure (network, 5xx, timeout), try again after this long. */
const RETRY_MS = 30_000;
/** A load that has not answered by then is abandoned (and retried), so refreshing never stalls. */
const LOAD_TIMEOUT_MS = 20_000;

/**
 * The lifecycle shared by every embed: load, re-load on a timer, tell the host page what happened.
 * Data stays on screen across reloads and transient errors, and disappears for good once the
 * credential is refused (an embed never shows a number it can no longer vouch for).
 *
 * This is the embeds' resource helper (lib/resource.svelte.ts is the console's): loads never
 * overlap, since the next one is only scheduled once the last has settled.
 */
export class LiveEmbed<T> {
  // Raw: the data is replaced whole, never mutated, so it needs no deep proxy.
  #data = $state.raw<T>();
  #notice = $state<EmbedNotice>('loading');
  readonly #load: (signal: AbortSignal) => Promise<T>;
  readonly #nextDelayMs: (data: T) => number | null;
  readonly #host: HostChannel;
  readonly #loaded: ((data: T, first: boolean) => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param load loads the data; throws EmbedUnavailableError when the credential is refused
   * @param nextDelayMs when to load again after a success (null: not automatically)
   * @param loaded called after each successful load; it then posts `porthole:ready` itself
   */
  constructor(
    load: (signal: AbortSignal) => Promise<T>,
    nextDelayMs: (data: T) => number | null,
    host: HostChannel,
    loaded?: (data: T, first: boolean) => void,
  ) {
    this.#load = load;
    this.#nextDelayMs = nextDelayMs;
    this.#host = host;
    this.#loaded = loaded;
  }

  /** The data to show, or undefined: never anything once the embed is unavailable. */
  get data(): T | undefined {
    return this.#data;
  }

  /** What to show instead while `data` is undefined. */
  get notice(): EmbedNotice {
    return this.#notice;
  }

  async refresh(): Promise<void> {
    clearTimeout(this.#timer);
    let delay: number | null = RETRY_MS;
    try {
      const data = await this.#load(AbortSignal.timeout(LOAD_TIMEOUT_MS));
      const first = this.#data === undefined;
      this.#data = data;
      if (this.#loaded) this.#loaded(data, first);
      else if (first) this.#host.post({ type: 'porthole:ready' });
      delay = this.#nextDelayMs(data);
    } catch (error) {
      if (error instanceof EmbedUnavailableError) {
        this.#host.post({
          type: this.#data === undefined ? 'porthole:unavailable' : 'porthole:expired',
        });
        this.#data = undefined;
        this.#notice = 'unavailable';
        return;
      }
      // The viewer, not the embed, is the problem: show nothing, and wait for a sign-in (which loads again).
      if (error instanceof SignInRequiredError || error instanceof ViewerForbiddenError) {
        this.#data = undefined;
        this.#notice = error instanceof SignInRequiredError ? 'sign-in' : 'forbidden';
        return;
      }
      this.#notice = 'error';
    }
    if (delay !== null) this.#timer = setTimeout(() => void this.refresh(), Math.max(MIN_REFRESH_MS, delay));
  }
}

/** A page's `refreshSeconds` as a delay, or null when it does not refresh. */
export function refreshDelayMs(refreshSeconds: number | null | undefined): number | null {
  return refreshSeconds && refreshSeconds > 0 ? refreshSeconds * 1000 : null;
}
