import type { RateLimitConfig } from '../config.js';
import type { Clock } from '../domain/viewer.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/port.js';
import { RateLimitedError, RateLimiter, type Counted, type RateLimitName } from './limiter.js';

/** A failure that means "that credential is not valid" (as opposed to an outage or a bad request). */
const isAuthenticationFailure = (error: unknown): boolean =>
  error instanceof AppError && (error.code === 'EMBED_UNAVAILABLE' || error.code === 'UNAUTHENTICATED');

/**
 * Which limits cover which surface, in one place. The Express routes (`express.ts`) and the
 * GraphQL endpoints (`graphql.ts`) only call these methods; the numbers are settings
 * (`PORTHOLE_RATE_*`, listed in the README).
 */
export class RateLimits {
  readonly limiter: RateLimiter;

  constructor(store: Store, clock: Clock, config: RateLimitConfig) {
    this.limiter = new RateLimiter(store, clock, config);
  }

  /**
   * A token exchange (GraphQL `validateEmbedToken`, REST `/api/validate-embed-token`) and its
   * credential check, in one round trip: the exchange counted per
   * address and per embed token, the address's failed authentications checked, and `attempt`
   * run, all at once. The answer is the one the steps in turn would give: 429 per address, then
   * per token, then for the address's failures, then the attempt's own (a failure counted against
   * the address). An address over its share gives its count of the token back, as the steps in
   * turn never made it.
   */
  async exchangeAndAuthenticate<T>(address: string, embedToken: unknown, attempt: () => Promise<T>): Promise<T> {
    const takes: Array<[RateLimitName, string]> = [['exchange-address', address]];
    if (typeof embedToken === 'string') takes.push(['exchange-token', embedToken]);
    const [counted, failures, attempted] = await Promise.allSettled([
      this.limiter.count(takes),
      this.limiter.check('auth-failures-address', address),
      attempt(),
    ]);
    if (counted.status === 'rejected') throw counted.reason;
    const [perAddress, perToken] = counted.value as [Counted, Counted | undefined];
    if (perAddress.over) {
      if (perToken) this.limiter.giveBack(perToken);
      throw new RateLimitedError(perAddress.state);
    }
    if (perToken?.over) throw new RateLimitedError(perToken.state);
    if (failures.status === 'rejected') throw failures.reason;
    return this.#settle(address, attempted);
  }

  /**
   * Opens an embed credential for a render (`/embed/graphql`: `page`, `dashboard`) in one round
   * trip: the address's failed authentications checked, the credential opened, and the render
   * counted per viewer (the credential from this address) and per credential from every address
   * (a much higher ceiling), all at once. The answer is the one the steps in turn would give: 429
   * for the address's failures, then the credential's own refusal (a failure counted against the
   * address), then 429 per viewer, then per credential. A valid credential's count that the steps
   * in turn would not have made (the request refused before it) is given back, so one address
   * that exhausts its share leaves the same public link working for everyone else. (A credential
   * refused as invalid opens for no one: its count is left.)
   */
  async openRender<T>(address: string, credentialDigest: string, open: () => Promise<T>): Promise<T> {
    const [failures, opened, counted] = await Promise.allSettled([
      this.limiter.check('auth-failures-address', address),
      open(),
      this.limiter.count([
        ['render-viewer', `${credentialDigest}|${address}`],
        ['render-token', credentialDigest],
      ]),
    ]);
    const credential = counted.status === 'fulfilled' ? counted.value[1] : undefined;
    const invalid = opened.status === 'rejected' && isAuthenticationFailure(opened.reason);
    const refuse = (reason: unknown): never => {
      if (credential && !invalid) this.limiter.giveBack(credential);
      throw reason;
    };
    if (failures.status === 'rejected') return refuse(failures.reason);
    if (opened.status === 'rejected') {
      await this.#settle(address, opened).catch(refuse);
    }
    if (counted.status === 'rejected') throw counted.reason;
    const [perViewer, perCredential] = counted.value as [Counted, Counted];
    if (perViewer.over) return refuse(new RateLimitedError(perViewer.state));
    if (perCredential.over) throw new RateLimitedError(perCredential.state);
    return (opened as PromiseFulfilledResult<T>).value;
  }

  /** An attempt's outcome under the failed-authentication limit: a failure is counted against the address, then rethrown. */
  async #settle<T>(address: string, attempted: PromiseSettledResult<T>): Promise<T> {
    if (attempted.status === 'fulfilled') return attempted.value;
    if (isAuthenticationFailure(attempted.reason)) await this.limiter.take('auth-failures-address', address);
    throw attempted.reason;
  }

  /** One authenticated API operation, GraphQL or REST, counted against its API key (or console session). */
  async apiCall(subject: string): Promise<void> {
    await this.limiter.take('api-key', subject);
  }

  /** A console sign-in (API key, password, passkey, invitation): every attempt is a guess, counted per address. */
  async signIn(address: string): Promise<void> {
    await this.limiter.take('sign-in-address', address);
  }

  /**
   * A password sign-in, after `signIn`: refused with 429 once the account has used its failures
   * for the window (from every address together; a right password past the limit is refused like
   * a wrong one), counted when it fails, and also counted as a failed authentication of the address.
   * `account` is the email as typed, normalised: an unknown email is limited exactly like a known one.
   */
  async passwordSignIn<T>(address: string, account: string, attempt: () => Promise<T>): Promise<T> {
    await this.limiter.check('sign-in-account', account);
    try {
      return await this.authenticate(address, attempt);
    } catch (error) {
      if (isAuthenticationFailure(error)) await this.limiter.take('sign-in-account', account);
      throw error;
    }
  }

  /**
   * Runs one authentication attempt from `address` under the failed-authentication limit,
   * shared by every surface: refused with 429 before the attempt once the address has used
   * its failures for the window (so a right guess past the limit is refused like a wrong
   * one), and counted when the attempt throws an authentication failure or `failed` says so.
   */
  async authenticate<T>(address: string, attempt: () => Promise<T>, failed: (result: T) => boolean = () => false): Promise<T> {
    await this.limiter.check('auth-failures-address', address);
    let result: T;
    try {
      result = await attempt();
    } catch (error) {
      if (isAuthenticationFailure(error)) await this.limiter.take('auth-failures-address', address);
      throw error;
    }
    if (failed(result)) await this.limiter.take('auth-failures-address', address);
    return result;
  }
}
