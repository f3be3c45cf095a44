import { fetchViewer, type Viewer } from '../api/console-api';
import { ApiError, messageOf, whenSignedOut } from '../api/graphql-client';
import { acceptInvitation, closeSession, openSession, openSessionWithPasskey, openSessionWithPassword } from '../api/session-api';

export type SessionStatus = 'checking' | 'signed-out' | 'signed-in';

/**
 * Who is signed in. A password or API key passes through a sign-in method once and is never
 * kept: not in this object, not in localStorage or sessionStorage. The browser holds only an
 * HttpOnly cookie. Every way in reports success the same way: `status` becomes `signed-in`.
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

  /** With an API key (agents and developers). */
  signIn(apiKey: string): Promise<boolean> {
    return this.#attempt(() => openSession(apiKey.trim()));
  }

  /** With email and password; `workspace` (a slug) only when the email belongs to several. */
  signInWithPassword(email: string, password: string, workspace = ''): Promise<boolean> {
    return this.#attempt(() => openSessionWithPassword(email.trim(), password, workspace.trim()));
  }

  /** With a passkey of this site (the browser asks which). */
  signInWithPasskey(): Promise<boolean> {
    return this.#attempt(() => openSessionWithPasskey());
  }

  /** Accepts an invitation with the chosen password: the person is then signed in. */
  acceptInvitation(code: string, password: string): Promise<boolean> {
    return this.#attempt(() => acceptInvitation(code, password));
  }

  /** Forgets the last failure (when the person switches to another way in). */
  clearError(): void {
    this.#error = '';
  }

  /** After "Sign out everywhere": this session ended with the others. */
  async signedOutEverywhere(): Promise<void> {
    await closeSession();
    this.#viewer = null;
    this.#status = 'signed-out';
    this.#notice = 'You are signed out everywhere: every session of yours has ended.';
  }

  async #attempt(open: () => Promise<void>): Promise<boolean> {
    this.#busy = true;
    this.#error = '';
    this.#notice = '';
    try {
      await open();
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
