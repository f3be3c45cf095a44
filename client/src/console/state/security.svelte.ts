import { Resource } from '../../lib/resource.svelte';
import { fetchSecurity, removePasskey, signOutEverywhere } from '../api/console-api';
import { messageOf } from '../api/graphql-client';
import { createPasskey } from '../api/passkeys';

/** Settings → Security: the person's own console sessions and passkeys. */
export class Security {
  readonly data = new Resource((signal) => fetchSecurity(signal));
  #busy = $state<string | null>(null);
  #error = $state('');
  #notice = $state('');

  /** `add`, `everywhere`, or the id of the passkey being removed. */
  get busy(): string | null {
    return this.#busy;
  }
  get error(): string {
    return this.#error;
  }
  get notice(): string {
    return this.#notice;
  }

  addPasskey(name: string): Promise<boolean> {
    return this.#run('add', async () => {
      const passkey = await createPasskey(name.trim() || null);
      this.#notice = `Passkey “${passkey.name}” added. You can sign in with it from now on.`;
    });
  }

  removePasskey(id: string): Promise<boolean> {
    return this.#run(id, async () => {
      await removePasskey(id);
      this.#notice = 'Passkey removed.';
    });
  }

  /** Ends every session of the person, this one too; true once done (the caller then shows the sign-in). */
  async signOutEverywhere(): Promise<boolean> {
    this.#busy = 'everywhere';
    this.#error = '';
    try {
      await signOutEverywhere();
      return true;
    } catch (error) {
      this.#error = messageOf(error);
      return false;
    } finally {
      this.#busy = null;
    }
  }

  async #run(busy: string, action: () => Promise<void>): Promise<boolean> {
    this.#busy = busy;
    this.#error = '';
    this.#notice = '';
    try {
      await action();
      await this.data.load();
      return true;
    } catch (error) {
      this.#error = messageOf(error);
      return false;
    } finally {
      this.#busy = null;
    }
  }
}
