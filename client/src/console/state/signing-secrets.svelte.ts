import { Resource } from "../../lib/resource.svelte";
import {
  createSigningSecret,
  listSigningSecrets,
  revokeSigningSecret,
  type SigningSecret,
} from "../api/console-api";
import { messageOf } from "../api/graphql-client";

/** Settings → Developer → Embedding: the workspace's signing secrets (admins only). */
export class SigningSecrets {
  readonly list = new Resource((signal) => listSigningSecrets(signal));
  /** The plaintext of the secret just created: shown once, dropped on dismiss or navigation. */
  #created = $state.raw<{ secret: SigningSecret; plaintext: string } | null>(
    null,
  );
  #busy = $state(false);
  #error = $state("");

  get created(): { secret: SigningSecret; plaintext: string } | null {
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
      this.#created = await createSigningSecret(name.trim() || null);
    });
  }

  async revoke(id: string): Promise<void> {
    await this.#run(async () => {
      await revokeSigningSecret(id);
      if (this.#created?.secret.id === id) this.#created = null;
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
