import { Resource } from '../../lib/resource.svelte';
import { messageOf } from '../api/graphql-client';
import { createTokenIssuer, listTokenIssuers, revokeTokenIssuer, type CreateTokenIssuerInput, type TokenIssuer } from '../api/token-issuers-api';

/** Settings → Developer → Embedding: the partners' signers whose tokens the workspace accepts (admins only). */
export class TokenIssuers {
  readonly list = new Resource<TokenIssuer[]>((signal) => listTokenIssuers(signal));
  #busy = $state(false);
  #error = $state('');

  get busy(): boolean {
    return this.#busy;
  }
  get error(): string {
    return this.#error;
  }

  /** Registers one; true when it was (the form then clears). */
  create(input: CreateTokenIssuerInput): Promise<boolean> {
    return this.#run(() => createTokenIssuer(input));
  }

  revoke(id: string): Promise<boolean> {
    return this.#run(() => revokeTokenIssuer(id));
  }

  async #run(action: () => Promise<unknown>): Promise<boolean> {
    this.#busy = true;
    this.#error = '';
    try {
      await action();
      await this.list.load();
      return true;
    } catch (error) {
      this.#error = messageOf(error);
      return false;
    } finally {
      this.#busy = false;
    }
  }
}
