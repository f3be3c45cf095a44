import { inspectEmbedToken, type TokenInspection } from '../api/console-api';
import { messageOf } from '../api/graphql-client';

/**
 * Settings → Developer → Check a token: the token pasted is sent to `inspectEmbedToken` only when
 * the person asks, and kept nowhere but this screen's memory.
 */
export class TokenCheck {
  #result = $state.raw<TokenInspection | null>(null);
  #error = $state('');
  #busy = $state(false);
  #controller: AbortController | undefined;

  get result(): TokenInspection | null {
    return this.#result;
  }
  get error(): string {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }

  async check(token: string): Promise<void> {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    this.#busy = true;
    this.#error = '';
    this.#result = null;
    try {
      const result = await inspectEmbedToken(token.trim(), controller.signal);
      if (!controller.signal.aborted) this.#result = result;
    } catch (error) {
      if (!controller.signal.aborted) this.#error = messageOf(error);
    } finally {
      if (this.#controller === controller) this.#busy = false;
    }
  }
}
