import { createUser, dashboardUrl, fetchEmbedToken, listUsers, reactivateUser, regenerateEmbedToken, suspendUser, type EndUser } from '../api/console-api';
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
  #creating = $state(false);
  #createError = $state('');
  /** The search the shown list answers (the box may already hold more). */
  #searched = $state('');
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
  get creating(): boolean {
    return this.#creating;
  }
  get createError(): string {
    return this.#createError;
  }
  get searched(): string {
    return this.#searched;
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
    const search = this.#search.trim();
    try {
      const page = await listUsers(search, more ? this.#nextCursor : null, controller.signal);
      this.#searched = search;
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

  /** Creates an end user; resolves true when created (the list then shows them first). */
  async create(input: { externalId: string; email: string; name: string }): Promise<boolean> {
    this.#creating = true;
    this.#createError = '';
    try {
      const user = await createUser({ externalId: input.externalId.trim(), email: input.email.trim() || null, name: input.name.trim() || null });
      this.#search = '';
      await this.load();
      this.#users = [user, ...this.#users.filter((entry) => entry.id !== user.id)];
      this.#message = { userId: user.id, text: 'Created. Copy their embed token for your site, or open their dashboard.', failed: false };
      return true;
    } catch (error) {
      this.#createError = messageOf(error);
      return false;
    } finally {
      this.#creating = false;
    }
  }

  /** Opens the user's own dashboard in a new tab, as their browser would see it. */
  openDashboard(user: EndUser): Promise<void> {
    return this.#act(user.id, async () => {
      const tab = window.open(dashboardUrl(await fetchEmbedToken(user.id)), '_blank');
      if (!tab) return 'The browser blocked the new tab; allow pop-ups for this console and try again.';
      // The dashboard must not be able to reach back into the console.
      tab.opener = null;
      return 'Their dashboard opened in a new tab.';
    });
  }

  /** The user's current embed token, for the host snippets. */
  embedTokenOf(user: EndUser): Promise<string> {
    return fetchEmbedToken(user.id);
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
