import { createHash } from 'node:crypto';
import { randomToken } from '../crypto/random.js';
import type { InvitationDoc, PrincipalDoc } from '../domain/types.js';
import type { Clock } from '../domain/viewer.js';
import type { Store } from '../store/port.js';

/** An invitation link works for a week, once. */
export const INVITATION_TTL_SECONDS = 7 * 24 * 3600;
/** Longer than any code this service issues (43 characters), shorter than anything abusive to hash. */
const MAX_CODE_LENGTH = 128;

/** Codes carry 256 random bits: one SHA-256 is enough, and a leaked row cannot be turned back into a link. */
const hashCode = (code: string): string => createHash('sha256').update(code).digest('hex');

export interface IssuedInvitation {
  /** The one place the code exists: handed to the admin once, never stored, never logged. */
  url: string;
  expiresAt: Date;
}

/**
 * Invitations: how a person gets a first password (or passkey), and how an admin resets
 * someone's sign-in. Issuing one ends everything the person could sign in with before: the
 * previous invitation, the password, the passkeys and every console session. (API keys are
 * separate credentials, listed and revoked on their own.)
 */
export class InvitationsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly publicUrl: () => string,
  ) {}

  /** A new one-use link for `person`; the caller has checked that `issuer` may issue it. */
  async issue(issuer: PrincipalDoc, person: PrincipalDoc): Promise<IssuedInvitation> {
    await this.endSignIn(person);
    const code = randomToken(32);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_SECONDS * 1000);
    await this.store.invitations.insertOne({
      _id: hashCode(code),
      workspaceId: person.workspaceId,
      principalId: person._id,
      createdBy: issuer._id,
      createdAt: now,
      expiresAt,
    });
    return { url: `${this.publicUrl()}/console/invite?code=${code}`, expiresAt };
  }

  /** Ends every way `person` could sign in as a person: invitations, password, passkeys, sessions. */
  async endSignIn(person: PrincipalDoc): Promise<void> {
    const match = { principalId: person._id, workspaceId: person.workspaceId };
    await this.store.invitations.deleteMany(match);
    await this.store.passwords.deleteMany({ _id: person._id, workspaceId: person.workspaceId });
    await this.store.passkeys.deleteMany(match);
    await this.store.consoleSessions.deleteMany(match);
  }

  /** The invitation a code names, while it is live, without using it (the invitation page shows whose it is). */
  async peek(code: unknown): Promise<InvitationDoc | null> {
    if (typeof code !== 'string' || code.length === 0 || code.length > MAX_CODE_LENGTH) return null;
    const invitation = await this.store.invitations.findOne({ _id: hashCode(code) });
    return invitation && invitation.expiresAt.getTime() > this.clock.now().getTime() ? invitation : null;
  }

  /**
   * Uses the invitation up: of any number of requests racing with one code, exactly one gets it
   * (the delete is the store's atomic decision), and an expired one is refused. Null otherwise.
   */
  async consume(code: unknown): Promise<InvitationDoc | null> {
    const invitation = await this.peek(code);
    if (!invitation) return null;
    return (await this.store.invitations.deleteOne({ _id: invitation._id })) ? invitation : null;
  }

  /** When `person`'s open invitation expires, or null when none is open. */
  async pendingUntil(person: PrincipalDoc): Promise<Date | null> {
    const [latest] = await this.store.invitations.find({ principalId: person._id, workspaceId: person.workspaceId }, { sort: { expiresAt: -1 }, limit: 1 });
    return latest && latest.expiresAt.getTime() > this.clock.now().getTime() ? latest.expiresAt : null;
  }
}
