import type { RateLimitConfig } from '../config.js';
import type { Clock } from '../domain/viewer.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/port.js';
import { RateLimiter } from './limiter.js';

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

  /** A token exchange (GraphQL `validateEmbedToken`, REST `/api/validate-embed-token`): per address, then per embed token. */
  async exchange(address: string, embedToken: unknown): Promise<void> {
    await this.limiter.take('exchange-address', address);
    if (typeof embedToken === 'string') await this.limiter.take('exchange-token', embedToken);
  }

  /**
   * An embed render (`page`, `dashboard`): per viewer — the credential from one address —
   * then per credential from every address, a much higher ceiling. One address that
   * exhausts its share leaves the same public link working for everyone else.
   */
  async render(address: string, credentialDigest: string | null): Promise<void> {
    const credential = credentialDigest ?? 'none';
    await this.limiter.take('render-viewer', `${credential}|${address}`);
    await this.limiter.take('render-token', credential);
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
