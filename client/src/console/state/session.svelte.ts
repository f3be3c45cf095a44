import { fetchViewer, type Viewer } from '../api/console-api';
import { ApiError, messageOf, whenSignedOut } from '../api/graphql-client';
import { closeSession, openSession } from '../api/session-api';

export type SessionStatus = 'checking' | 'signed-out' | 'signed-in';

/**
 * Who is signed in. The API key passes through `signIn` once and is never kept: not in this
 * object, not in localStorage or sessionStorage. The browser holds only an HttpOnly cookie.
 */
export class ConsoleSession {
  #status = $state<SessionStatus>('checking');
  #viewer = $state.raw<Viewer | null>(null);
  #error = $state('');
  #notice = $state('');
  #busy = $state(false);

  constructor() {
    whenSignedOut(() => this.#ended());
  }

  get status(): SessionStatus {
    return this.#status;
  }
  get viewer(): Viewer | null {
    return this.#viewer;
  }
  get isAdmin(): boolean {
    return this.#viewer?.role === 'ADMIN';
  }
  /** Why the last sign-in failed. */
  get error(): string {
    return this.#error;
  }
  /** Why the member is looking at the sign-in form again (session expired, signed out). */
  get notice(): string {
    return this.#notice;
  }
  get busy(): boolean {
    return this.#busy;
  }

  /** Asks the server whether the cookie (if any) is a live session. */
  async check(): Promise<void> {
    try {
      this.#viewer = await fetchViewer();
      this.#status = 'signed-in';
    } catch (error) {
      this.#viewer = null;
      this.#status = 'signed-out';
      if (!(error instanceof ApiError && error.code === 'UNAUTHENTICATED')) this.#error = messageOf(error);
    }
  }

  async signIn(apiKey: string): Promise<boolean> {
    this.#busy = true;
    this.#error = '';
    this.#notice = '';
    try {
      await openSession(apiKey.trim());
      await this.check();
      return this.#status === 'signed-in';
    } catch (error) {
      this.#error = messageOf(error);
      return false;
    } finally {
      this.#busy = false;
    }
  }

  async signOut(): Promise<void> {
    await closeSession();
    this.#viewer = null;
    this.#status = 'signed-out';
    this.#notice = 'You are signed out.';
  }

  #ended(): void {
    if (this.#status !== 'signed-in') return;
    this.#viewer = null;
    this.#status = 'signed-out';
    this.#notice = 'Your session has ended. Sign in again to continue.';
  }
}
