import { Resource } from '../../lib/resource.svelte';
import { messageOf } from '../api/graphql-client';
import { fetchDashboardOrigins, saveDashboardOrigins } from '../api/workspace-api';

/**
 * Settings → Dashboards: the origins allowed to frame the workspace's user dashboards. Each
 * change is saved at once (the server checks every origin), then the list is read back.
 */
export class DashboardOrigins {
  readonly list = new Resource<string[]>((signal) => fetchDashboardOrigins(signal));
  #busy = $state(false);
  #error = $state('');

  get busy(): boolean {
    return this.#busy;
  }
  get error(): string {
    return this.#error;
  }

  /** Adds one origin; true once saved (the caller then clears its field). */
  add(origin: string): Promise<boolean> {
    return this.#save([...(this.list.data ?? []), origin.trim()]);
  }

  remove(origin: string): Promise<boolean> {
    return this.#save((this.list.data ?? []).filter((entry) => entry !== origin));
  }

  async #save(origins: string[]): Promise<boolean> {
    this.#busy = true;
    this.#error = '';
    try {
      await saveDashboardOrigins(origins);
      return true;
    } catch (error) {
      this.#error = messageOf(error);
      return false;
    } finally {
      await this.list.load();
      this.#busy = false;
    }
  }
}
