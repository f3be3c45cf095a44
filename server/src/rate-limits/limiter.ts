import { createHash } from 'node:crypto';
import type { RateLimitConfig } from '../config.js';
import type { Clock } from '../domain/viewer.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/port.js';

/**
 * The core of every rate limit: fixed windows counted in the store's `counters` collection,
 * so that every server instance behind a load balancer shares one count (MongoDB in
 * production; the memory store keeps them in process). Subjects — addresses, tokens, API
 * keys — are hashed before they become counter ids, so no credential is ever written to
 * the store. Nothing here knows about HTTP: `express.ts` and `graphql.ts` adapt it, and
 * `rate-limits.ts` says which limit covers which surface.
 */

export type RateLimitName =
  | 'exchange-address'
  | 'exchange-token'
  | 'render-viewer'
  | 'render-token'
  | 'render-end-user'
  | 'api-key'
  | 'api-workspace'
  | 'sign-in-address'
  | 'auth-failures-address'
  | 'auth-failures-credential'
  | 'sign-in-account';

/**
 * Password guesses against one account are counted over a longer window than the rest: spread
 * across many addresses, they would otherwise go on at the per-minute pace of every window.
 */
export const ACCOUNT_WINDOW_SECONDS = 15 * 60;

export interface RateLimitPolicy {
  name: RateLimitName;
  /** Operations allowed per window. */
  limit: number;
  windowSeconds: number;
}

/** Where a subject stands in its current window. */
export interface RateLimitState {
  policy: RateLimitPolicy;
  remaining: number;
  /** Seconds until the window ends (at least 1). */
  resetSeconds: number;
}

/** One operation counted by `RateLimiter.count`: its counter, where it stands, and whether it went over. */
export interface Counted {
  id: string;
  over: boolean;
  state: RateLimitState;
}

/** An operation over its limit: served as 429 with Retry-After and the RateLimit fields. */
export class RateLimitedError extends AppError {
  constructor(readonly state: RateLimitState) {
    super(
      'RATE_LIMITED',
      `Too many requests: the limit is ${state.policy.limit} per ${state.policy.windowSeconds} s (${state.policy.name}). Retry in ${state.resetSeconds} s.`,
    );
  }
}

/** A stable, non-reversible name for a subject (a token or key never becomes a counter id). */
export const subjectDigest = (subject: string): string => createHash('sha256').update(subject).digest('base64url').slice(0, 32);

/**
 * The response fields for a limited answer, following draft-ietf-httpapi-ratelimit-headers
 * (`RateLimit-Policy: "name";q=…;w=…` and `RateLimit: "name";r=…;t=…`) plus Retry-After.
 */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  const { name, limit, windowSeconds } = state.policy;
  return {
    'Retry-After': String(state.resetSeconds),
    'RateLimit-Policy': `"${name}";q=${limit};w=${windowSeconds}`,
    RateLimit: `"${name}";r=${state.remaining};t=${state.resetSeconds}`,
  };
}

/** Of several limited answers, the one to report: the one that lasts longest. */
export const longestWait = (states: readonly RateLimitState[]): RateLimitState | undefined =>
  states.reduce<RateLimitState | undefined>((worst, state) => (!worst || state.resetSeconds > worst.resetSeconds ? state : worst), undefined);

/** `subjectDigest`, remembered for at most 10 000 subjects (the oldest dropped first). */
export class DigestMemo {
  readonly #digests = new Map<string, string>();

  /** The digest of a subject seen before, without remembering a new one (for credentials not yet verified). */
  known(subject: string): string | undefined {
    return this.#digests.get(subject);
  }

  of(subject: string): string {
    let digest = this.#digests.get(subject);
    if (digest === undefined) {
      if (this.#digests.size >= 10_000) this.#digests.delete(this.#digests.keys().next().value!);
      this.#digests.set(subject, (digest = subjectDigest(subject)));
    }
    return digest;
  }
}

/**
 * Digests of embed credentials that opened (a valid page embed token or dashboard session):
 * a viewer's next load presents the same one. Only credentials that verified get here.
 */
export const openedCredentialDigests = new DigestMemo();

export class RateLimiter {
  readonly policies: Readonly<Record<RateLimitName, RateLimitPolicy>>;
  readonly #digests = new DigestMemo();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    config: RateLimitConfig,
  ) {
    const policy = (name: RateLimitName, limit: number): RateLimitPolicy => ({ name, limit, windowSeconds: config.windowSeconds });
    this.policies = {
      'exchange-address': policy('exchange-address', config.exchangePerAddress),
      'exchange-token': policy('exchange-token', config.exchangePerToken),
      'render-viewer': policy('render-viewer', config.renderPerViewer),
      'render-token': policy('render-token', config.renderPerToken),
      'render-end-user': policy('render-end-user', config.renderPerEndUser),
      'api-key': policy('api-key', config.apiPerKey),
      'api-workspace': policy('api-workspace', config.apiPerWorkspace),
      'sign-in-address': policy('sign-in-address', config.signInPerAddress),
      'auth-failures-address': policy('auth-failures-address', config.authFailuresPerAddress),
      'auth-failures-credential': policy('auth-failures-credential', config.authFailuresPerCredential),
      'sign-in-account': { name: 'sign-in-account', limit: config.signInFailuresPerAccount, windowSeconds: ACCOUNT_WINDOW_SECONDS },
    };
  }

  /**
   * Counts one operation of `subject` under the named policy; throws `RateLimitedError`
   * once the window's count passes the limit. A store outage surfaces as itself (503).
   */
  async take(name: RateLimitName, subject: string): Promise<RateLimitState> {
    const { policy, id, endsAt, expiresAt, now } = this.#window(name, subject);
    const counter = await this.store.counters.upsertIncrement(id, 'count', 1, { expiresAt });
    const state = this.#state(policy, counter.count, endsAt, now);
    if (counter.count > policy.limit) throw new RateLimitedError(state);
    return state;
  }

  /**
   * Counts one operation under each named policy at once (their upserts in flight together: one
   * round trip), refusing none: where each subject stands now, and whether it is over its limit.
   */
  count(takes: ReadonlyArray<readonly [RateLimitName, string]>): Promise<Counted[]> {
    return Promise.all(
      takes.map(async ([name, subject]) => {
        const { policy, id, endsAt, expiresAt, now } = this.#window(name, subject);
        const counter = await this.store.counters.upsertIncrement(id, 'count', 1, { expiresAt });
        return { id, over: counter.count > policy.limit, state: this.#state(policy, counter.count, endsAt, now) };
      }),
    );
  }

  /**
   * Takes back one count of an operation refused before it would have been counted, had the
   * limits been taken one after another. In the background and best effort: an outage leaves the
   * count in place, which only errs on the side of limiting.
   */
  giveBack(counted: Counted): void {
    this.store.counters.updateOne({ _id: counted.id }, { inc: { count: -1 } }).catch(() => undefined);
  }

  /**
   * Throws `RateLimitedError` when `subject` has already used its whole window, without
   * counting anything: for limits on failures, checked before the attempt and taken only
   * when it fails (so that a right guess past the limit is refused like a wrong one).
   */
  async check(name: RateLimitName, subject: string): Promise<void> {
    const { policy, id, endsAt, now } = this.#window(name, subject);
    const counter = await this.store.counters.findOne({ _id: id });
    if (counter && counter.count >= policy.limit) throw new RateLimitedError(this.#state(policy, counter.count, endsAt, now));
  }

  /**
   * Where each subject stands under its limit on failures, counting nothing, read in one command (a
   * render's budget of store commands is small): `over` once a subject has used its whole window.
   */
  async standings(subjects: ReadonlyArray<readonly [RateLimitName, string]>): Promise<Array<{ over: boolean; state: RateLimitState }>> {
    const windows = subjects.map(([name, subject]) => this.#window(name, subject));
    const found = await this.store.counters.find({ _id: { oneOf: windows.map((window) => window.id) } });
    const counts = new Map(found.map((counter) => [counter._id, counter.count]));
    return windows.map(({ policy, id, endsAt, now }) => {
      const count = counts.get(id) ?? 0;
      return { over: count >= policy.limit, state: this.#state(policy, count, endsAt, now) };
    });
  }

  #window(name: RateLimitName, subject: string) {
    const policy = this.policies[name];
    const windowMs = policy.windowSeconds * 1000;
    const now = this.clock.now().getTime();
    const window = Math.floor(now / windowMs);
    const endsAt = (window + 1) * windowMs;
    // Kept one extra window so the TTL sweep never races a window still being counted.
    return { policy, id: `rl:${name}:${window}:${this.#digestOf(name, subject)}`, endsAt, expiresAt: new Date(endsAt + windowMs), now };
  }

  /**
   * A subject's digest. Every subject but an exchanged embed token and a credential that failed is an
   * address or already a digest, not a credential, and one viewer's requests repeat it: those digests
   * are remembered (the others are not, so guesses cannot fill the memo).
   */
  #digestOf(name: RateLimitName, subject: string): string {
    return name === 'exchange-token' || name === 'auth-failures-credential' ? subjectDigest(subject) : this.#digests.of(subject);
  }

  #state(policy: RateLimitPolicy, count: number, endsAt: number, now: number): RateLimitState {
    return { policy, remaining: Math.max(0, policy.limit - count), resetSeconds: Math.max(1, Math.ceil((endsAt - now) / 1000)) };
  }
}
