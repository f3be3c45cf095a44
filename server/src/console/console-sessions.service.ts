import { createHash } from 'node:crypto';
import { randomToken } from '../crypto/random.js';
import { hashApiKey } from '../crypto/secret-box.js';
import type { ConsoleSessionDoc, SignInMethod } from '../domain/types.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { AppError } from '../errors.js';
import type { InvitationsService } from '../people/invitations.service.js';
import type { PasskeysService } from '../people/passkeys.service.js';
import { checkNewPassword, type PasswordAttempt, type PasswordsService } from '../people/passwords.service.js';
import type { PrincipalsService } from '../principals/principals.service.js';
import { authorize } from '../policies/policies.js';
import type { Store } from '../store/port.js';

/** A console sign-in lasts a working day; signing in again starts a new one. */
export const CONSOLE_SESSION_TTL_SECONDS = 12 * 3600;
/** Longer than any token this service issues (43 characters), shorter than anything abusive to hash. */
const MAX_TOKEN_LENGTH = 128;

/**
 * Session tokens carry 256 random bits, so one SHA-256 is enough: the store holds only the
 * hash, and a leaked database row cannot be turned back into a cookie.
 */
const hashSessionToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * A session's handle as the person sees it in their list: a digest of the stored id (itself the
 * token's hash), so that nothing shown on a screen leads back to a row or a cookie.
 */
export const publicSessionId = (sessionId: string): string => createHash('sha256').update(`session:${sessionId}`).digest('base64url').slice(0, 22);

export interface ConsoleSignIn {
  /** The cookie value. Never stored, never logged. */
  token: string;
  expiresAt: Date;
  viewer: Viewer;
}

/** One of a person's live sessions, as Settings → Security lists them. */
export interface SessionSummary {
  id: string;
  method: SignInMethod;
  createdAt: Date;
  expiresAt: Date;
  current: boolean;
}

/** What a wrong email, a wrong password, an email without a password and an ambiguous email all get. */
export const WRONG_PASSWORD_MESSAGE = 'That email and password do not match. If you belong to more than one workspace, name the workspace too.';
const WRONG_INVITATION_MESSAGE = 'This invitation link is not valid: it was used, replaced by a newer one, or has expired. Ask an admin for a new one.';
const WRONG_PASSKEY_MESSAGE = 'That passkey was not accepted. Try again, or sign in another way.';

/** People's sign-in: the services that check a password, an invitation or a passkey. */
export interface PeopleCredentials {
  passwords: PasswordsService;
  invitations: InvitationsService;
  passkeys: PasskeysService;
}

/**
 * Console sessions: an API key, an email and password, a passkey or an invitation is exchanged
 * once for a random session token that the browser keeps in an HttpOnly cookie. This is the one
 * place sessions are opened and resolved. A session belongs to one principal and ends when it
 * expires, when the person signs out (here or everywhere), when the principal is deleted, when
 * an admin resets their sign-in, or — for a session opened with an API key — when that key is revoked.
 */
export class ConsoleSessionsService {
  constructor(
    private readonly store: Store,
    private readonly principals: PrincipalsService,
    private readonly clock: Clock,
    private readonly people: PeopleCredentials,
  ) {}

  /** Verifies the API key and opens a session; any key that is not live is UNAUTHENTICATED. */
  async signIn(apiKey: string): Promise<ConsoleSignIn> {
    const viewer = await this.principals.authenticate(apiKey);
    const key = viewer ? await this.store.apiKeys.findOne({ hash: hashApiKey(apiKey) }) : null;
    if (!viewer || !key) throw new AppError('UNAUTHENTICATED', 'That API key is not valid.');
    return this.#open(viewer, 'api-key', key._id);
  }

  /** Email and password: one answer (UNAUTHENTICATED, `WRONG_PASSWORD_MESSAGE`) and equal work for every failure. */
  async signInWithPassword(attempt: PasswordAttempt): Promise<ConsoleSignIn> {
    const person = await this.people.passwords.verify(attempt);
    const viewer = person ? await this.principals.viewerFor(person._id) : null;
    if (!viewer) throw new AppError('UNAUTHENTICATED', WRONG_PASSWORD_MESSAGE);
    return this.#open(viewer, 'password');
  }

  /** A passkey's answer to a challenge from `passkeyOptions`. */
  async signInWithPasskey(response: unknown): Promise<ConsoleSignIn> {
    const passkey = await this.people.passkeys.authenticate(response);
    const viewer = passkey ? await this.principals.viewerFor(passkey.principalId) : null;
    if (!passkey || !viewer || viewer.workspace._id !== passkey.workspaceId) throw new AppError('UNAUTHENTICATED', WRONG_PASSKEY_MESSAGE);
    return this.#open(viewer, 'passkey');
  }

  /** Options for a passkey sign-in (a fresh single-use challenge). */
  passkeyOptions() {
    return this.people.passkeys.authenticationOptions();
  }

  /** Whose an invitation is, while it is live, without using it; UNAUTHENTICATED otherwise. */
  async invitation(code: unknown): Promise<{ viewer: Viewer; expiresAt: Date }> {
    const invitation = await this.people.invitations.peek(code);
    const viewer = invitation ? await this.principals.viewerFor(invitation.principalId) : null;
    if (!invitation || !viewer || viewer.workspace._id !== invitation.workspaceId) throw new AppError('UNAUTHENTICATED', WRONG_INVITATION_MESSAGE);
    return { viewer, expiresAt: invitation.expiresAt };
  }

  /**
   * Accepts an invitation: the person's password becomes `password` and they are signed in. The
   * password is checked before the invitation is touched (a too-short one leaves it usable); the
   * invitation is then used up atomically, so of two tabs accepting at once only one succeeds.
   */
  async acceptInvitation(code: unknown, password: unknown): Promise<ConsoleSignIn> {
    const chosen = checkNewPassword(password);
    const invitation = await this.people.invitations.consume(code);
    const viewer = invitation ? await this.principals.viewerFor(invitation.principalId) : null;
    if (!invitation || !viewer || viewer.workspace._id !== invitation.workspaceId) throw new AppError('UNAUTHENTICATED', WRONG_INVITATION_MESSAGE);
    await this.people.passwords.set(viewer.principal, chosen);
    return this.#open(viewer, 'invite');
  }

  /** The viewer's live sessions, newest first; `currentSessionId` (from `resolveSession`) marks the one in use. */
  async list(viewer: Viewer, currentSessionId: string | null): Promise<SessionSummary[]> {
    const now = this.clock.now().getTime();
    const sessions = await this.store.consoleSessions.find(
      { principalId: viewer.principal._id, workspaceId: viewer.workspace._id },
      { sort: { createdAt: -1 }, limit: 200 },
    );
    return sessions
      .filter((session) => session.expiresAt.getTime() > now)
      .map((session) => ({
        id: publicSessionId(session._id),
        method: session.method ?? 'api-key',
        createdAt: session.createdAt,
        expiresAt: session.expiresAt,
        current: session._id === currentSessionId,
      }));
  }

  /** Ends every console session of the viewer's person, this one included; returns how many ended. */
  async signOutEverywhere(viewer: Viewer): Promise<number> {
    authorize(viewer, 'console-session:end-all', viewer.principal, { code: 'FORBIDDEN', message: 'You may only end your own sessions.' });
    return this.store.consoleSessions.deleteMany({ principalId: viewer.principal._id, workspaceId: viewer.workspace._id });
  }

  async #open(viewer: Viewer, method: SignInMethod, apiKeyId: string | null = null): Promise<ConsoleSignIn> {
    const token = randomToken(32);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + CONSOLE_SESSION_TTL_SECONDS * 1000);
    const session: ConsoleSessionDoc = {
      _id: hashSessionToken(token),
      workspaceId: viewer.workspace._id,
      principalId: viewer.principal._id,
      method,
      ...(method === 'api-key' ? { apiKeyId } : {}),
      createdAt: now,
      expiresAt,
    };
    await this.store.consoleSessions.insertOne(session);
    return { token, expiresAt, viewer };
  }

  /** The viewer of a live session, or null for a missing, unknown, expired or orphaned one. */
  async resolve(token: string | undefined): Promise<Viewer | null> {
    return (await this.resolveSession(token))?.viewer ?? null;
  }

  /** `resolve`, with the session's stored id (what a viewer token names, so ending the session ends it too). */
  async resolveSession(token: string | undefined): Promise<{ viewer: Viewer; sessionId: string; expiresAt: Date; method: SignInMethod } | null> {
    if (!token || token.length > MAX_TOKEN_LENGTH) return null;
    const session = await this.store.consoleSessions.findOne({ _id: hashSessionToken(token) });
    // The TTL index removes expired rows eventually; until then the expiry is checked here.
    if (!session || session.expiresAt.getTime() <= this.clock.now().getTime()) return null;
    // Absent on sessions stored before people signed in as people: those were all opened with an API key.
    const method = session.method ?? 'api-key';
    const [viewer, key] = await Promise.all([
      this.principals.viewerFor(session.principalId),
      method === 'api-key' ? this.store.apiKeys.findOne({ _id: session.apiKeyId ?? null }) : null,
    ]);
    if (!viewer || viewer.workspace._id !== session.workspaceId) return null;
    // An API-key session lives only as long as its key.
    if (method === 'api-key' && (!key || key.revokedAt || key.principalId !== session.principalId)) return null;
    return { viewer, sessionId: session._id, expiresAt: session.expiresAt, method };
  }

  /** Ends the session server-side, so a copied cookie stops working too. */
  async signOut(token: string | undefined): Promise<void> {
    if (!token || token.length > MAX_TOKEN_LENGTH) return;
    await this.store.consoleSessions.deleteOne({ _id: hashSessionToken(token) });
  }
}
