import { EmbedUnavailableError } from '../api/graphql';
import { exchangeEmbedToken } from '../api/operations';

/** Renew this long before the session's `expiresAt` (or a tenth of its lifetime, if shorter). */
const RENEW_MARGIN_MS = 60_000;

/**
 * A user's dashboard session. The embed token is exchanged for a short-lived `authToken`, which
 * lives only in this object's private fields (never in storage, cookies or the URL) and is
 * re-exchanged before it expires, or once when the server refuses it early. The embed token is
 * read from `embedToken` at every exchange, so a token the host page hands over is the one used.
 */
export class DashboardSession {
  readonly #embedToken: () => string;
  #authToken: string | undefined;
  #renewAt = 0;

  constructor(embedToken: () => string) {
    this.#embedToken = embedToken;
  }

  /** Ends the session: the next request exchanges the (new) embed token first. */
  reset(): void {
    this.#authToken = undefined;
  }

  /** Milliseconds until the session should be renewed (0 when it has to be now). */
  get renewsInMs(): number {
    return this.#authToken ? Math.max(0, this.#renewAt - Date.now()) : 0;
  }

  /**
   * Runs `request` with a live authToken. If the server refuses a token that had been working,
   * exchanges once more and retries once; if the exchange is refused, EmbedUnavailableError propagates.
   */
  async run<T>(request: (authToken: string) => Promise<T>, signal: AbortSignal): Promise<T> {
    const reusable = this.#authToken !== undefined && this.renewsInMs > 0;
    const authToken = reusable ? this.#authToken! : await this.#exchange(signal);
    try {
      return await request(authToken);
    } catch (error) {
      if (!(error instanceof EmbedUnavailableError) || !reusable) throw error;
      return request(await this.#exchange(signal));
    }
  }

  async #exchange(signal: AbortSignal): Promise<string> {
    this.#authToken = undefined;
    const { authToken, expiresAt } = await exchangeEmbedToken(this.#embedToken(), signal);
    // Measured on this browser's clock; a skewed clock is caught by the refuse-and-retry path in run().
    const lifetime = Math.max(0, Date.parse(expiresAt) - Date.now()) || 0;
    this.#renewAt = Date.now() + lifetime - Math.min(RENEW_MARGIN_MS, lifetime / 10);
    this.#authToken = authToken;
    return authToken;
  }
}
