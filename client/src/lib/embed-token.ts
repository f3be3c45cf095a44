import type { HostChannel } from './host';
import { claimsOf } from './route-guard';

/** `porthole:token-expiring` goes out this long before the token's `exp`. */
const WARN_AHEAD_MS = 60_000;
/** Load again this long after `exp` (by this browser's clock), so a view that ended says so. */
const AFTER_EXPIRY_MS = 1_000;
/** Once `exp` has passed here but the server still answers (its clock is behind), ask it again this often. */
const PAST_EXPIRY_CHECK_MS = 30_000;
/** setTimeout's longest delay is 2^31 − 1 ms (24.8 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The credential an embed sends: a page embed token (`?t=`) or a user's embed token (`?token=`).
 *
 * The host page may hand the embed a new one (`porthole:set-token`), before the old one ends (the
 * embed says `porthole:token-expiring` 60 s before its `exp`) or after a refusal (expired, revoked,
 * regenerated: the embed cannot tell which, and says `porthole:token-expiring` then too). Only the
 * token changes: the range, zone, theme and the content on screen stay as they are until the next
 * load replaces the numbers. The new token is the one sent from then on, the frame's own URL
 * included, so a reload of the frame opens with it.
 */
export class EmbedToken {
  #value: string;
  #expiresAt: number | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the host handed this token over, and whether it has loaded anything since. */
  #handedOver = false;
  #worked = false;
  #warnedAhead = false;
  #warnedRefused = false;
  readonly #param: 't' | 'token';
  readonly #host: HostChannel;

  constructor(value: string, param: 't' | 'token', host: HostChannel) {
    this.#value = value;
    this.#param = param;
    this.#host = host;
    this.#start();
  }

  get value(): string {
    return this.#value;
  }

  /**
   * When to load next: after `refreshMs` (the page's own refresh; null: none), and no later than
   * just past the token's `exp`, so the view never outlives its token unnoticed.
   */
  nextDelayMs(refreshMs: number | null): number | null {
    if (this.#expiresAt === null) return refreshMs;
    const untilEnd = this.#expiresAt - Date.now();
    const check = Math.min(MAX_TIMER_MS, untilEnd > -AFTER_EXPIRY_MS ? untilEnd + AFTER_EXPIRY_MS : PAST_EXPIRY_CHECK_MS);
    return refreshMs === null ? check : Math.min(refreshMs, check);
  }

  /** The token loaded the view. */
  worked(): void {
    this.#worked = true;
  }

  /**
   * The server refused the token: ask the host for another, once per token. Not for a token the
   * host handed over that never worked — asking again would only repeat whatever went wrong.
   * Returns whether the token's `exp` has passed by this browser's clock: then the view has ended,
   * even if it never loaded (a page opened with a token already expired).
   */
  refused(): boolean {
    if (!this.#warnedRefused && !(this.#handedOver && !this.#worked)) {
      this.#warnedRefused = true;
      this.#warn();
    }
    return this.#expiresAt !== null && this.#expiresAt <= Date.now();
  }

  /** Takes the host's new token; the caller loads again with it. */
  replace(value: string): void {
    this.#value = value;
    this.#handedOver = true;
    this.#worked = this.#warnedAhead = this.#warnedRefused = false;
    const url = new URL(location.href);
    url.searchParams.set(this.#param, value);
    history.replaceState(history.state, '', url);
    this.#start();
  }

  /** Reads `exp` (unverified: only to know when to warn; the server decides) and sets the warning's timer. */
  #start(): void {
    const exp = claimsOf(this.#value)?.exp;
    this.#expiresAt = typeof exp === 'number' && exp > 0 && exp < 8.64e12 ? exp * 1000 : null;
    clearTimeout(this.#timer);
    this.#arm();
  }

  #arm(): void {
    if (this.#expiresAt === null) return;
    const delay = this.#expiresAt - WARN_AHEAD_MS - Date.now();
    this.#timer = delay > MAX_TIMER_MS ? setTimeout(() => this.#arm(), MAX_TIMER_MS) : setTimeout(() => this.#warnAhead(), Math.max(0, delay));
  }

  #warnAhead(): void {
    if (this.#warnedAhead) return;
    this.#warnedAhead = true;
    this.#warn();
  }

  #warn(): void {
    this.#host.post({ type: 'porthole:token-expiring', expiresAt: this.#expiresAt === null ? null : new Date(this.#expiresAt).toISOString() });
  }
}
