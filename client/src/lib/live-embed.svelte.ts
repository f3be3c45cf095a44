import { EmbedUnavailableError, SignInRequiredError, ViewerForbiddenError } from '../api/graphql';
import type { HostChannel } from './host';

/**
 * What an embed shows while it has no data to show ('sign-in' and 'forbidden': who is viewing;
 * 'ended': the credential was refused after data had been shown, or once its `exp` had passed, and no new one has come).
 */
export type EmbedNotice = 'loading' | 'error' | 'unavailable' | 'ended' | 'sign-in' | 'forbidden';

/** Never poll faster than this, whatever a page declares. */
const MIN_REFRESH_MS = 5_000;
/** After a transient failure (network, 5xx, timeout), try again after this long. */
const RETRY_MS = 30_000;
/** A load that has not answered by then is abandoned (and retried), so refreshing never stalls. */
const LOAD_TIMEOUT_MS = 20_000;
/** How long an ended view keeps its height, for a new token to arrive without the host page's layout jumping. */
const HOLD_MS = 5_000;

/**
 * The lifecycle shared by every embed: load, re-load on a timer, tell the host page what happened.
 * Data stays on screen across reloads and transient errors, and disappears once the credential is
 * refused (an embed never shows a number it can no longer vouch for), until a new credential loads.
 *
 * This is the embeds' resource helper (lib/resource.svelte.ts is the console's): timed loads never
 * overlap, since the next one is only scheduled once the last has settled; a load a command starts
 * meanwhile (a range, a new token) supersedes the one in flight, whose answer is then ignored.
 */
export class LiveEmbed<T> {
  // Raw: the data is replaced whole, never mutated, so it needs no deep proxy.
  #data = $state.raw<T>();
  #notice = $state<EmbedNotice>('loading');
  readonly #load: (signal: AbortSignal) => Promise<T>;
  readonly #nextDelayMs: (data: T) => number | null;
  readonly #host: HostChannel;
  readonly #loaded: ((data: T, first: boolean) => void) | undefined;
  readonly #refused: (() => boolean | void) | undefined;
  readonly #hold: HTMLElement | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The latest load: an older one that settles later (a command started a newer) is ignored. */
  #latest = 0;
  #holdTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param load loads the data; throws EmbedUnavailableError when the credential is refused
   * @param nextDelayMs when to load again after a success (null: not automatically)
   * @param loaded called after each successful load; it then posts `porthole:ready` itself
   * @param refused called when the credential is refused (the embed then asks its host for another);
   *   true when the credential is known to have ended (its `exp` passed), so the view says it ended
   * @param hold the element whose height the host sizes the frame by: kept for a moment when a view ends
   */
  constructor(
    load: (signal: AbortSignal) => Promise<T>,
    nextDelayMs: (data: T) => number | null,
    host: HostChannel,
    loaded?: (data: T, first: boolean) => void,
    refused?: () => boolean | void,
    hold?: HTMLElement,
  ) {
    this.#load = load;
    this.#nextDelayMs = nextDelayMs;
    this.#host = host;
    this.#loaded = loaded;
    this.#refused = refused;
    this.#hold = hold;
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
    const load = ++this.#latest;
    let delay: number | null = RETRY_MS;
    try {
      const data = await this.#load(AbortSignal.timeout(LOAD_TIMEOUT_MS));
      if (load !== this.#latest) return;
      const first = this.#data === undefined;
      this.#data = data;
      this.#release();
      if (this.#loaded) this.#loaded(data, first);
      else if (first) this.#host.post({ type: 'porthole:ready' });
      delay = this.#nextDelayMs(data);
    } catch (error) {
      // A refusal of the token that was replaced meanwhile says nothing about the new one.
      if (load !== this.#latest) return;
      if (error instanceof EmbedUnavailableError) {
        const shown = this.#data !== undefined;
        this.#host.post({ type: shown ? 'porthole:expired' : 'porthole:unavailable' });
        if (shown && this.#hold) {
          this.#hold.style.minHeight = `${this.#hold.offsetHeight}px`;
          this.#holdTimer = setTimeout(() => this.#release(), HOLD_MS);
        }
        this.#data = undefined;
        // Once the view has been seen, or its credential's time is up, say that it ended, not that it never was.
        const ended = this.#refused?.() === true;
        if (this.#notice !== 'ended') this.#notice = shown || ended ? 'ended' : 'unavailable';
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

  #release(): void {
    clearTimeout(this.#holdTimer);
    if (this.#hold) this.#hold.style.minHeight = '';
  }
}

/** A page's `refreshSeconds` as a delay, or null when it does not refresh. */
export function refreshDelayMs(refreshSeconds: number | null | undefined): number | null {
  return refreshSeconds && refreshSeconds > 0 ? refreshSeconds * 1000 : null;
}
