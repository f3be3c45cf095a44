import { randomBytes } from 'node:crypto';
import { newId, randomToken } from '../crypto/random.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { UserDoc } from '../domain/types.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { AppError, badInput, embedUnavailable, notFound } from '../errors.js';
import { authorize, can } from '../policies/policies.js';
import type { RecordsService } from '../records/records.service.js';
import { DuplicateKeyError, type Match, type Store } from '../store/port.js';
import { TokenError } from '../tokens/token-error.js';
import {
  peekUserEmbedToken,
  signSessionToken,
  signUserEmbedToken,
  claimsSessionAudience,
  verifySessionToken,
  verifyUserEmbedToken,
  type SessionSubject,
  type UserTokenSubject,
} from '../tokens/user-tokens.js';
import { decodeSegment } from '../tokens/shape.js';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{1,63}$/;
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
/** The record id the decoy secret is sealed to: no user has it (ids are hex). */
const DECOY_ID = 'decoy';

export interface CreateUserInput {
  externalId: string;
  email?: string | null;
  name?: string | null;
}

/** A live dashboard session: the user and the owner id their data is scoped to. */
export interface UserSession {
  user: UserDoc;
  workspaceId: string;
}

/** Whether a verified session's user is still live; each refusal a `TokenError` naming its reason. */
function judgeLiveSession(subject: SessionSubject, user: UserDoc | null): UserSession {
  if (!user) throw new TokenError('USER_DELETED');
  if (user.secretVersion !== subject.secretVersion) throw new TokenError('REGENERATED');
  if (user.status !== 'ACTIVE') throw new TokenError('USER_SUSPENDED');
  // Suspended since the session began (even if reactivated since): the session ended with it.
  if ((user.sessionEpoch ?? 0) !== subject.epoch) throw new TokenError('SESSION_ENDED');
  return { user, workspaceId: user.workspaceId };
}

/**
 * The partner's end users, their embed tokens and the sessions those tokens open.
 */
export class UsersService {
  /** A sealed secret of the real shape, unsealed when a user is unknown, so that a miss costs what a hit costs. */
  readonly #decoySealed: string;

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly sessionKey: Uint8Array,
    private readonly sessionTtlSeconds: number,
    private readonly clock: Clock,
    private readonly records: RecordsService,
  ) {
    this.#decoySealed = box.seal(randomBytes(32).toString('base64url'), DECOY_ID);
  }

  async create(viewer: Viewer, input: CreateUserInput): Promise<{ user: UserDoc; embedToken: string }> {
    const externalId = input.externalId.trim();
    if (!externalId || externalId.length > 200) throw badInput('externalId must be 1–200 characters.');
    if (input.email != null && !EMAIL.test(input.email)) throw badInput('email is not a valid email address.');
    if (input.name != null && input.name.length > 200) throw badInput('name must be at most 200 characters.');
    authorize(
      viewer,
      'user:create',
      { workspaceId: viewer.workspace._id, externalId },
      { code: 'FORBIDDEN', message: 'Your data access does not cover every record of this externalId, so you cannot create its user.' },
    );
    const id = newId();
    const now = this.clock.now();
    const user: UserDoc = {
      _id: id,
      workspaceId: viewer.workspace._id,
      externalId,
      email: input.email ?? null,
      name: input.name ?? null,
      status: 'ACTIVE',
      ...this.#freshSecret(id, now),
      createdAt: now,
    };
    try {
      await this.store.users.insertOne(user);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new AppError('CONFLICT', `A user with externalId "${externalId.slice(0, 80)}" already exists.`);
      throw error;
    }
    return { user, embedToken: await this.#embedTokenFor(user) };
  }

  /**
   * A user the viewer may see: of its workspace, and whose externalId its data access covers.
   * Any other is NOT_FOUND, never FORBIDDEN: we do not confirm that it exists.
   */
  async get(viewer: Viewer, id: string): Promise<UserDoc> {
    const user = await this.store.users.findOne({ _id: id, workspaceId: viewer.workspace._id });
    if (!user || !can(viewer.principal, 'user:read', user)) throw notFound('User');
    return user;
  }

  /** A user the viewer may hand out or change: it sees the user, and reads all of its records. */
  async #getManaged(viewer: Viewer, id: string): Promise<UserDoc> {
    const user = await this.get(viewer, id);
    authorize(viewer, 'user:manage', user, {
      code: 'FORBIDDEN',
      message: "Your data access is narrowed by rules, so you cannot hand out or change this user's dashboard.",
    });
    return user;
  }

  async list(viewer: Viewer, args: { first?: number | null; after?: string | null; search?: string | null }) {
    const first = Math.min(Math.max(args.first ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const access = viewer.principal.dataAccess;
    if (!access.all && access.owners.length === 0) return { nodes: [], nextCursor: null, totalCount: 0 };
    // Only users whose externalId the viewer's data access names.
    const match: Match = access.all ? { workspaceId: viewer.workspace._id } : { workspaceId: viewer.workspace._id, externalId: { oneOf: access.owners } };
    const search = args.search ? { fields: ['externalId', 'email', 'name'], text: args.search } : undefined;
    const [nodes, totalCount] = await Promise.all([
      this.store.users.find(match, { limit: first + 1, ...(args.after ? { afterId: args.after } : {}), ...(search ? { search } : {}) }),
      this.store.users.count(match, search ? { search } : {}),
    ]);
    const hasMore = nodes.length > first;
    const page = nodes.slice(0, first);
    return { nodes: page, nextCursor: hasMore ? page[page.length - 1]!._id : null, totalCount };
  }

  async embedToken(viewer: Viewer, userId: string): Promise<string> {
    return this.#embedTokenFor(await this.#getManaged(viewer, userId));
  }

  /** Rotates the user's secret: the old embed token and every session it opened stop working. */
  async regenerateEmbedToken(viewer: Viewer, userId: string): Promise<string> {
    await this.#getManaged(viewer, userId);
    const user = await this.store.users.updateOne({ _id: userId, workspaceId: viewer.workspace._id }, { set: this.#freshSecret(userId, this.clock.now()) });
    if (!user) throw notFound('User');
    return this.#embedTokenFor(user);
  }

  /**
   * Suspending ends every session the user holds, for good: the session epoch moves on, and
   * sessions of an earlier epoch never open again. Reactivating lets the embed token open new ones.
   */
  async setStatus(viewer: Viewer, id: string, status: UserDoc['status']): Promise<UserDoc> {
    await this.#getManaged(viewer, id);
    const update = status === 'SUSPENDED' ? { set: { status }, inc: { sessionEpoch: 1 } } : { set: { status } };
    const user = await this.store.users.updateOne({ _id: id, workspaceId: viewer.workspace._id }, update);
    if (!user) throw notFound('User');
    return user;
  }

  /**
   * Deletes a user. With `eraseRecords`, the user's records (every dataset, `owner` = its
   * externalId) are erased first, under the records service's erasure rule; when that is
   * refused, the user is kept.
   */
  async delete(viewer: Viewer, id: string, options: { eraseRecords?: boolean } = {}): Promise<boolean> {
    const user = await this.#getManaged(viewer, id);
    if (options.eraseRecords) await this.records.eraseOwner(viewer, user.externalId, null);
    if (!(await this.store.users.deleteOne({ _id: id, workspaceId: viewer.workspace._id }))) throw notFound('User');
    return true;
  }

  /**
   * Exchanges an embed token for a short-lived session token. Every failure is the same
   * EMBED_UNAVAILABLE: unknown, suspended, rotated and forged all look alike.
   */
  async exchange(embedToken: unknown): Promise<{ authToken: string; expiresAt: Date }> {
    const { user } = await this.verifyEmbedToken(embedToken);
    const now = this.clock.now();
    const subject = { userId: user._id, workspaceId: user.workspaceId, secretVersion: user.secretVersion, epoch: user.sessionEpoch ?? 0 };
    const authToken = await signSessionToken(subject, this.sessionKey, now, this.sessionTtlSeconds);
    return { authToken, expiresAt: new Date(Math.floor(now.getTime() / 1000) * 1000 + this.sessionTtlSeconds * 1000) };
  }

  /**
   * Verifies an embed token against its user's current secret and returns the live user.
   * Every failure is the same EMBED_UNAVAILABLE: unknown, suspended, rotated and forged look alike.
   */
  async verifyEmbedToken(embedToken: unknown): Promise<UserSession> {
    try {
      return await this.#judgeEmbedToken(embedToken, null);
    } catch (error) {
      if (error instanceof TokenError || error instanceof AppError) throw embedUnavailable();
      throw error;
    }
  }

  /**
   * `verifyEmbedToken`'s checks with their reasons, for `inspectEmbedToken`: the same judge, so the
   * reasons are what a load decides. `user` is the user the token names, if it exists (unverified:
   * the caller decides what the asker may see of it).
   */
  async inspectEmbedToken(embedToken: unknown): Promise<{ session: UserSession | null; refusal: TokenError | null; user: UserDoc | null }> {
    const seen: { user: UserDoc | null } = { user: null };
    try {
      return { session: await this.#judgeEmbedToken(embedToken, seen), refusal: null, user: seen.user };
    } catch (error) {
      if (error instanceof TokenError) return { session: null, refusal: error, user: seen.user };
      throw error;
    }
  }

  async #judgeEmbedToken(embedToken: unknown, seen: { user: UserDoc | null } | null): Promise<UserSession> {
    const claimed = peekUserEmbedToken(embedToken);
    const user = await this.store.users.findOne({ _id: claimed.userId, workspaceId: claimed.workspaceId });
    if (seen) seen.user = user;
    const secret = this.#secretOrDecoy(user);
    let subject: UserTokenSubject;
    try {
      subject = await verifyUserEmbedToken(embedToken, secret, this.clock.now());
    } catch (error) {
      // Regenerating rotates the user's secret: an earlier token fails its signature, and names an older version.
      if (error instanceof TokenError && error.code === 'BAD_SIGNATURE' && user && claimed.version !== user.secretVersion) throw new TokenError('REGENERATED');
      throw error;
    }
    if (!user) throw new TokenError('USER_DELETED');
    if (subject.secretVersion !== user.secretVersion) throw new TokenError('REGENERATED');
    if (user.status !== 'ACTIVE') throw new TokenError('USER_SUSPENDED');
    return { user, workspaceId: user.workspaceId };
  }

  /** Resolves a session token to its live user; a suspended (even if since reactivated), deleted or rotated user has none. */
  async resolveSession(authToken: unknown): Promise<UserSession> {
    const subject = await this.verifySession(authToken);
    return this.liveSession(subject, await this.store.users.findOne({ _id: subject.userId, workspaceId: subject.workspaceId }));
  }

  /**
   * `resolveSession` in two steps, so a caller can read the user with everything else it needs
   * in one round trip: the session token's subject (signed by this server: no store read)…
   */
  async verifySession(authToken: unknown): Promise<SessionSubject> {
    try {
      return await verifySessionToken(authToken, this.sessionKey, this.clock.now());
    } catch (error) {
      if (error instanceof TokenError) throw embedUnavailable();
      throw error;
    }
  }

  /**
   * The end user a dashboard session token names, by its signature alone (no store read); null for any other
   * credential, which is not verified here (a page embed token never pays for a session's HMAC and a thrown error).
   */
  async sessionEndUser(token: unknown): Promise<SessionSubject | null> {
    if (!claimsSessionAudience(token)) return null;
    return this.verifySession(token).catch(() => null);
  }

  /** …then the user it names, as read by `{ _id: subject.userId, workspaceId: subject.workspaceId }`, if still live. */
  liveSession(subject: SessionSubject, user: UserDoc | null): UserSession {
    try {
      return judgeLiveSession(subject, user);
    } catch (error) {
      if (error instanceof TokenError) throw embedUnavailable();
      throw error;
    }
  }

  /**
   * `resolveSession`'s checks with their reasons, for `inspectEmbedToken`. The user is read only
   * once the server's own signature held (for an expired session too: its claims are then ours).
   */
  async inspectSession(authToken: unknown): Promise<{ session: UserSession | null; refusal: TokenError | null; user: UserDoc | null; expiresAt: Date | null }> {
    let subject: SessionSubject | null = null;
    let refusal: TokenError | null = null;
    try {
      subject = await verifySessionToken(authToken, this.sessionKey, this.clock.now());
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      refusal = error;
    }
    const signed = subject !== null || (refusal !== null && refusal.code !== 'MALFORMED' && refusal.code !== 'BAD_SIGNATURE');
    if (!signed) return { session: null, refusal, user: null, expiresAt: null };
    const payload = decodeSegment(authToken as string, 1);
    const [userId, workspaceId, exp] = [payload['sub'], payload['ws'], payload['exp']];
    const user = typeof userId === 'string' && typeof workspaceId === 'string' ? await this.store.users.findOne({ _id: userId, workspaceId }) : null;
    const expiresAt = typeof exp === 'number' ? new Date(exp * 1000) : null;
    if (!subject) return { session: null, refusal, user, expiresAt };
    try {
      return { session: judgeLiveSession(subject, user), refusal: null, user, expiresAt };
    } catch (error) {
      if (error instanceof TokenError) return { session: null, refusal: error, user, expiresAt };
      throw error;
    }
  }

  /** The user's secret, or for an unknown user a decoy unsealed the same way: equal work either way. */
  #secretOrDecoy(user: UserDoc | null): Buffer {
    return Buffer.from(this.box.open(user?.secretSealed ?? this.#decoySealed, user?._id ?? DECOY_ID), 'base64url');
  }

  #freshSecret(userId: string, now: Date): Pick<UserDoc, 'secretSealed' | 'secretVersion' | 'secretIssuedAt'> {
    return {
      secretSealed: this.box.seal(randomBytes(32).toString('base64url'), userId),
      secretVersion: randomToken(9),
      secretIssuedAt: now,
    };
  }

  #embedTokenFor(user: UserDoc): Promise<string> {
    const secret = Buffer.from(this.box.open(user.secretSealed, user._id), 'base64url');
    return signUserEmbedToken({ userId: user._id, workspaceId: user.workspaceId, secretVersion: user.secretVersion }, secret);
  }
}
