import { createHash } from 'node:crypto';
import { randomToken } from '../crypto/random.js';
import { hashApiKey } from '../crypto/secret-box.js';
import type { ConsoleSessionDoc } from '../domain/types.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { AppError } from '../errors.js';
import type { PrincipalsService } from '../principals/principals.service.js';
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

export interface ConsoleSignIn {
  /** The cookie value. Never stored, never logged. */
  token: string;
  expiresAt: Date;
  viewer: Viewer;
}

/**
 * Console sessions: an API key is exchanged once for a random session token that the browser
 * keeps in an HttpOnly cookie. The session belongs to the key's principal and ends when it
 * expires, when the member signs out, when the principal is deleted, or when that key is revoked.
 */
export class ConsoleSessionsService {
  constructor(
    private readonly store: Store,
    private readonly principals: PrincipalsService,
    private readonly clock: Clock,
  ) {}

  /** Verifies the API key and opens a session; any key that is not live is UNAUTHENTICATED. */
  async signIn(apiKey: string): Promise<ConsoleSignIn> {
    const viewer = await this.principals.authenticate(apiKey);
    const key = viewer ? await this.store.apiKeys.findOne({ hash: hashApiKey(apiKey) }) : null;
    if (!viewer || !key) throw new AppError('UNAUTHENTICATED', 'That API key is not valid.');
    const token = randomToken(32);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + CONSOLE_SESSION_TTL_SECONDS * 1000);
    const session: ConsoleSessionDoc = {
      _id: hashSessionToken(token),
      workspaceId: viewer.workspace._id,
      principalId: viewer.principal._id,
      apiKeyId: key._id,
      createdAt: now,
      expiresAt,
    };
    await this.store.consoleSessions.insertOne(session);
    return { token, expiresAt, viewer };
  }

  /** The viewer of a live session, or null for a missing, unknown, expired or orphaned one. */
  async resolve(token: string | undefined): Promise<Viewer | null> {
    if (!token || token.length > MAX_TOKEN_LENGTH) return null;
    const session = await this.store.consoleSessions.findOne({ _id: hashSessionToken(token) });
    // The TTL index removes expired rows eventually; until then the expiry is checked here.
    if (!session || session.expiresAt.getTime() <= this.clock.now().getTime()) return null;
    const [viewer, key] = await Promise.all([this.principals.viewerFor(session.principalId), this.store.apiKeys.findOne({ _id: session.apiKeyId })]);
    if (!viewer || viewer.workspace._id !== session.workspaceId) return null;
    if (!key || key.revokedAt || key.principalId !== session.principalId) return null;
    return viewer;
  }

  /** Ends the session server-side, so a copied cookie stops working too. */
  async signOut(token: string | undefined): Promise<void> {
    if (!token || token.length > MAX_TOKEN_LENGTH) return;
    await this.store.consoleSessions.deleteOne({ _id: hashSessionToken(token) });
  }
}
