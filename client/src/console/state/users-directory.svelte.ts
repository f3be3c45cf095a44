import { fetchEmbedToken, listUsers, reactivateUser, regenerateEmbedToken, suspendUser, type EndUser } from '../api/console-api';
import { messageOf } from '../api/graphql-client';
import { copyText } from '../lib/clipboard';

const SEARCH_DELAY_MS = 250;

/** The partner's end users: search, page through, and act on one user at a time. */
export class UsersDirectory {
  #users = $state.raw<EndUser[]>([]);
  #nextCursor = $state<string | null>(null);
  #total = $state(0);
  #search = $state('');
  #loading = $state(false);
  #error = $state('');
  /** The user an action is running for, and the last action's outcome (shown on that row). */
  #busyId = $state<string | null>(null);
  #message = $state.raw<{
    userId: string;
    text: string;
    failed: boolean;
  } | null>(null);
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  get users(): EndUser[] {
    return this.#users;
  }
  get total(): number {
    return this.#total;
  }
  get hasMore(): boolean {
    return this.#nextCursor !== null;
  }
  get search(): string {
    return this.#search;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get error(): string {
    return this.#error;
  }
  get busyId(): string | null {
    return this.#busyId;
  }
  get message(): { userId: string; text: string; failed: boolean } | null {
    return this.#message;
  }

  /** Searches as the member types, once they pause. */
  setSearch(text: string): void {
    this.#search = text;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.load(), SEARCH_DELAY_MS);
  }

  async load(more = false): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.#loading = true;
    try {
      const page = await listUsers(this.#search.trim(), more ? this.#nextCursor : null, controller.signal);
      this.#users = more ? [...this.#users, ...page.nodes] : page.nodes;
      this.#nextCursor = page.nextCursor;
      this.#total = page.totalCount;
      this.#error = '';
    } catch (error) {
      if (!controller.signal.aborted) this.#error = messageOf(error);
    } finally {
      if (this.#controller === controller) this.#loading = false;
    }
  }

  copyToken(user: EndUser): Promise<void> {
    return this.#act(user.id, async () => ((await copyText(await fetchEmbedToken(user.id))) ? 'Embed token copied.' : 'Copying was refused by the browser.'));
  }

  regenerate(user: EndUser): Promise<void> {
    return this.#act(user.id, async () => {
      const copied = await copyText(await regenerateEmbedToken(user.id));
      return `New embed token issued; the old one no longer works.${copied ? ' The new one is copied.' : ''}`;
    });
  }

  setSuspended(user: EndUser, suspended: boolean): Promise<void> {
    return this.#act(user.id, async () => {
      const updated = suspended ? await suspendUser(user.id) : await reactivateUser(user.id);
      this.#users = this.#users.map((entry) => (entry.id === updated.id ? updated : entry));
      return suspended ? 'Suspended: their dashboard stops working.' : 'Reactivated.';
    });
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#controller?.abort();
  }

  async #act(userId: string, action: () => Promise<string>): Promise<void> {
    this.#busyId = userId;
    try {
      this.#message = { userId, text: await action(), failed: false };
    } catch (error) {
      this.#message = { userId, text: messageOf(error), failed: true };
    } finally {
      this.#busyId = null;
    }
  }
}
