import type { RateLimitConfig } from '../config.js';
import type { Clock } from '../domain/viewer.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/port.js';
import { longestWait, RateLimitedError, RateLimiter, subjectDigest, type Counted, type RateLimitName, type RateLimitState } from './limiter.js';

/** A failure that means "that credential is not valid" (as opposed to an outage or a bad request). */
const isAuthenticationFailure = (error: unknown): boolean =>
  error instanceof AppError && (error.code === 'EMBED_UNAVAILABLE' || error.code === 'UNAUTHENTICATED');

/** Where an address and a credential stand under the failure limits (the credential's: none when none was presented). */
type FailureStanding = Array<{ over: boolean; state: RateLimitState }>;

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
   * credential check, in one round trip: the exchange counted per address and per embed token,
   * the failed authentications of the address and of this token read, and `attempt` run, all at
   * once. The answer is the one the steps in turn would give: 429 per address, then per token,
   * then the attempt's own — where a failing attempt past a failure limit gets 429 instead
   * (`#judge`). An address over its share gives its count of the token back, as the steps in
   * turn never made it.
   */
  async exchangeAndAuthenticate<T>(address: string, embedToken: unknown, attempt: () => Promise<T>): Promise<T> {
    const takes: Array<[RateLimitName, string]> = [['exchange-address', address]];
    if (typeof embedToken === 'string') takes.push(['exchange-token', embedToken]);
    const credential = typeof embedToken === 'string' ? subjectDigest(embedToken) : undefined;
    const [counted, standing, attempted] = await Promise.allSettled([this.limiter.count(takes), this.#failureStanding(address, credential), attempt()]);
    if (counted.status === 'rejected') throw counted.reason;
    const [perAddress, perToken] = counted.value as [Counted, Counted | undefined];
    if (perAddress.over) {
      if (perToken) this.limiter.giveBack(perToken);
      throw new RateLimitedError(perAddress.state);
    }
    if (perToken?.over) throw new RateLimitedError(perToken.state);
    return this.#judge(address, credential, standing, attempted);
  }

  /**
   * Opens an embed credential for a render (`/embed/graphql`: `page`, `dashboard`) in one round
   * trip: the failed authentications of the address and of this credential read, the credential
   * opened, and the render counted per viewer (the credential from this address), per credential
   * from every address (a much higher ceiling) and, for a dashboard session, per end user across
   * all their sessions (`endUser`: workspace and user id, read from the session token by its
   * signature alone), all at once. A valid credential is served whatever its address did (past its
   * render limits: 429); a failing one gets its own refusal, or 429 past a failure limit. A valid
   * credential's count that the steps in turn would not have made (the request refused before it)
   * is given back, so one address that exhausts its share leaves the same public link working for
   * everyone else. (A credential refused as invalid opens for no one: its count is left.)
   */
  async openRender<T>(address: string, credentialDigest: string, open: () => Promise<T>, endUser?: string): Promise<T> {
    const takes: Array<[RateLimitName, string]> = [
      ['render-viewer', `${credentialDigest}|${address}`],
      ['render-token', credentialDigest],
    ];
    if (endUser) takes.push(['render-end-user', endUser]);
    const [standing, opened, counted] = await Promise.allSettled([this.#failureStanding(address, credentialDigest), open(), this.limiter.count(takes)]);
    const credential = counted.status === 'fulfilled' ? counted.value[1] : undefined;
    const invalid = opened.status === 'rejected' && isAuthenticationFailure(opened.reason);
    const refuse = (reason: unknown): never => {
      if (credential && !invalid) this.limiter.giveBack(credential);
      throw reason;
    };
    if (opened.status === 'rejected') {
      await this.#judge(address, credentialDigest, standing, opened).catch(refuse);
    }
    if (counted.status === 'rejected') throw counted.reason;
    const [perViewer, perCredential, perEndUser] = counted.value as [Counted, Counted, Counted | undefined];
    if (perViewer.over) return refuse(new RateLimitedError(perViewer.state));
    if (perCredential.over) throw new RateLimitedError(perCredential.state);
    if (perEndUser?.over) throw new RateLimitedError(perEndUser.state);
    return (opened as PromiseFulfilledResult<T>).value;
  }

  /** Where an address and a presented credential (`subjectDigest` of it) stand under the failure limits, read in one round trip. */
  #failureStanding(address: string, credential: string | undefined): Promise<FailureStanding> {
    const subjects: Array<[RateLimitName, string]> = [['auth-failures-address', address]];
    if (credential !== undefined) subjects.push(['auth-failures-credential', credential]);
    return this.limiter.standings(subjects);
  }

  /**
   * An authentication attempt's outcome under the failure limits. A valid credential is served
   * whatever its address or anything else did: a NAT'd office with one stale snippet must not lose
   * its dashboards, nor a partner its API key. A failing attempt (an authentication failure, or a
   * result `failed` calls one) is refused with 429 once its address or the credential itself is
   * past its failures for the window — the same answer for every failing credential, with nothing
   * written — and below that gets its own refusal, counted against both. Anything else (an outage)
   * is itself. The attempt has run by then, so what bounds a flood of bad credentials is what one
   * attempt costs: on these paths a SHA-256 or an HMAC and the reads a valid credential needs, no
   * password hash (password sign-ins are limited per address and per account before they hash).
   */
  async #judge<T>(
    address: string,
    credential: string | undefined,
    standing: PromiseSettledResult<FailureStanding>,
    attempted: PromiseSettledResult<T>,
    failed: (result: T) => boolean = () => false,
  ): Promise<T> {
    if (attempted.status === 'fulfilled' && !failed(attempted.value)) return attempted.value;
    if (attempted.status === 'rejected' && !isAuthenticationFailure(attempted.reason)) throw attempted.reason;
    if (standing.status === 'rejected') throw standing.reason;
    const over = longestWait(standing.value.flatMap((one) => (one.over ? [one.state] : [])));
    if (over) throw new RateLimitedError(over);
    const failures: Array<[RateLimitName, string]> = [['auth-failures-address', address]];
    if (credential !== undefined) failures.push(['auth-failures-credential', credential]);
    await this.limiter.count(failures);
    if (attempted.status === 'rejected') throw attempted.reason;
    return attempted.value;
  }

  /**
   * One authenticated API operation, GraphQL or REST, counted against its API key (or console
   * session) and against its workspace, whichever key sends it: keys are free to create, so only
   * the workspace's count is a quota. Both counted in one round trip; 429 names the one that lasts longest.
   */
  async apiCall(subject: string, workspaceId: string): Promise<void> {
    const counted = await this.limiter.count([
      ['api-key', subject],
      ['api-workspace', workspaceId],
    ]);
    const over = longestWait(counted.flatMap((one) => (one.over ? [one.state] : [])));
    if (over) throw new RateLimitedError(over);
  }

  /** A console sign-in (API key, password, passkey, invitation): every attempt is a guess, counted per address. */
  async signIn(address: string): Promise<void> {
    await this.limiter.take('sign-in-address', address);
  }

  /**
   * A password sign-in, after `signIn`: refused with 429 once the account has used its failures
   * for the window (from every address together; a right password past the limit is refused like
   * a wrong one, as a password is a guessable secret — unlike keys and tokens), counted when it
   * fails, and also counted as a failed authentication of the address.
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
   * Runs one authentication attempt from `address` under the failure limits shared by every
   * surface (`#judge`): the address's and the presented credential's failures read while the
   * attempt runs (one round trip); a valid credential is served, a failing one past a limit gets
   * 429, below it its own refusal, counted. `failed` says when a result is a failure (a lookup
   * that found nothing); `credential` is what was presented (an API key, a token), or none.
   */
  async authenticate<T>(address: string, attempt: () => Promise<T>, failed: (result: T) => boolean = () => false, credential?: string): Promise<T> {
    const digest = credential === undefined ? undefined : subjectDigest(credential);
    const [standing, attempted] = await Promise.allSettled([this.#failureStanding(address, digest), attempt()]);
    return this.#judge(address, digest, standing, attempted, failed);
  }
}
