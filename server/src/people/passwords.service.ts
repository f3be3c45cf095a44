import { randomToken } from '../crypto/random.js';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, needsRehash, verifyPassword } from '../crypto/password-hash.js';
import type { PrincipalDoc } from '../domain/types.js';
import type { Clock } from '../domain/viewer.js';
import { badInput } from '../errors.js';
import { DuplicateKeyError, type Store } from '../store/port.js';
import { normalizeEmail } from './email.js';

/** Throws BAD_USER_INPUT unless `password` is one a person may choose. Length counts characters, not bytes. */
export function checkNewPassword(password: unknown): string {
  if (typeof password !== 'string') throw badInput('Choose a password.');
  const length = [...password.normalize('NFKC')].length;
  if (length < MIN_PASSWORD_LENGTH) throw badInput(`A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (length > MAX_PASSWORD_LENGTH) throw badInput(`A password may have at most ${MAX_PASSWORD_LENGTH} characters.`);
  return password;
}

/** What a password sign-in names: an email, and the workspace when the email belongs to several. */
export interface PasswordAttempt {
  email: unknown;
  password: unknown;
  /** A workspace slug; optional while the email names one person only. */
  workspace?: unknown;
}

/**
 * People's passwords, stored apart from principals (`passwords`, keyed by principal id) so that
 * no presenter of a principal can ever carry a hash.
 */
export class PasswordsService {
  /** Hashed once, so that an attempt without a real hash to compare does the same work as one with. */
  #dummy: Promise<string> | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    // Made now, not on the first unknown email: that attempt would otherwise take twice as long as the others.
    void this.#dummyHash().catch(() => (this.#dummy = undefined));
  }

  /** Sets (or replaces) a person's password. The caller has decided that it may. */
  async set(person: PrincipalDoc, password: string): Promise<void> {
    await this.#store(person, await hashPassword(checkNewPassword(password)));
  }

  /**
   * The person whose email and password these are, or null. Every failure — no such email, an
   * email several workspaces share without the workspace named, no password set, a wrong
   * password — costs one scrypt comparison, like a success, and the same answer.
   */
  async verify(attempt: PasswordAttempt): Promise<PrincipalDoc | null> {
    const email = normalizeEmail(attempt.email);
    const password = typeof attempt.password === 'string' && attempt.password.length <= MAX_PASSWORD_LENGTH * 4 ? attempt.password : '';
    const person = email ? await this.#personFor(email, attempt.workspace) : null;
    const stored = person ? await this.store.passwords.findOne({ _id: person._id, workspaceId: person.workspaceId }) : null;
    const matches = await verifyPassword(password, stored?.hash ?? (await this.#dummyHash()));
    if (!matches || !person || !stored) return null;
    // Parameters raised since this hash was made: store it again under the new ones, now that the password is known.
    if (needsRehash(stored.hash)) await this.#store(person, await hashPassword(password));
    return person;
  }

  /** The one member with this email (in the named workspace, when one is named); null for none, or several. */
  async #personFor(email: string, workspace: unknown): Promise<PrincipalDoc | null> {
    let workspaceId: string | undefined;
    if (workspace !== undefined && workspace !== null && workspace !== '') {
      const slug = typeof workspace === 'string' ? workspace.trim().toLowerCase() : '';
      const found = slug && slug.length <= 64 ? await this.store.workspaces.findOne({ slug }) : null;
      if (!found) return null;
      workspaceId = found._id;
    }
    const candidates = await this.store.principals.find({ email, kind: 'MEMBER', ...(workspaceId ? { workspaceId } : {}) }, { limit: 2 });
    return candidates.length === 1 ? candidates[0]! : null;
  }

  #dummyHash(): Promise<string> {
    return (this.#dummy ??= hashPassword(randomToken(16)));
  }

  async #store(person: PrincipalDoc, hash: string): Promise<void> {
    const set = { hash, updatedAt: this.clock.now() };
    const match = { _id: person._id, workspaceId: person.workspaceId };
    if (await this.store.passwords.updateOne(match, { set })) return;
    try {
      await this.store.passwords.insertOne({ ...match, ...set });
    } catch (error) {
      // Set at the same moment by another request: this one is the later write.
      if (!(error instanceof DuplicateKeyError)) throw error;
      await this.store.passwords.updateOne(match, { set });
    }
  }
}
