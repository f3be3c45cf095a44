import { Resource } from "../../lib/resource.svelte";
import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKey,
} from "../api/console-api";
import { messageOf } from "../api/graphql-client";

/** The signed-in principal's own API keys. */
export class ApiKeys {
  readonly list = new Resource((signal) => listApiKeys(signal));
  #created = $state.raw<{ key: ApiKey; plaintext: string } | null>(null);
  #busy = $state(false);
  #error = $state("");

  get created(): { key: ApiKey; plaintext: string } | null {
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
      this.#created = await createApiKey(name.trim() || null);
    });
  }

  async revoke(id: string): Promise<void> {
    await this.#run(async () => {
      await revokeApiKey(id);
      if (this.#created?.key.id === id) this.#created = null;
    });
  }

  dismissCreated(): void {
    this.#created = null;
  }

  async #run(action: () => Promise<void>): Promise<void> {
    this.#busy = true;
    this.#error = "";
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
