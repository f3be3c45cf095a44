import { Resource } from '../../lib/resource.svelte';
import { messageOf } from '../api/graphql-client';

/** How to list, create and revoke one kind of credential whose plaintext is shown once. */
export interface CredentialApi<Item extends { id: string }> {
  list(signal: AbortSignal): Promise<Item[]>;
  create(name: string | null): Promise<{ item: Item; plaintext: string }>;
  revoke(id: string): Promise<unknown>;
}

/**
 * A list of credentials (API keys, signing secrets) whose plaintext exists only in the answer
 * to its creation: it is kept here until dismissed, revoked or the screen is left, never stored.
 */
export class ShownOnceCredentials<Item extends { id: string }> {
  readonly list: Resource<Item[]>;
  #created = $state.raw<{ item: Item; plaintext: string } | null>(null);
  #busy = $state(false);
  #error = $state('');

  constructor(private readonly api: CredentialApi<Item>) {
    this.list = new Resource((signal) => api.list(signal));
  }

  get created(): { item: Item; plaintext: string } | null {
    return this.#created;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get error(): string {
    return this.#error;
  }

  async create(name: string): Promise<void> {
    await this.#run(async () => {
      this.#created = await this.api.create(name.trim() || null);
    });
  }

  async revoke(id: string): Promise<void> {
    await this.#run(async () => {
      await this.api.revoke(id);
      if (this.#created?.item.id === id) this.#created = null;
    });
  }

  dismissCreated(): void {
    this.#created = null;
  }

  async #run(action: () => Promise<void>): Promise<void> {
    this.#busy = true;
    this.#error = '';
    try {
      await action();
      await this.list.load();
    } catch (error) {
      this.#error = messageOf(error);
    } finally {
      this.#busy = false;
    }
  }
}
