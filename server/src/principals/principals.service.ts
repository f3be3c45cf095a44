import { randomToken, newId } from '../crypto/random.js';
import { hashApiKey } from '../crypto/secret-box.js';
import type { ApiKeyDoc, DataAccess, PrincipalDoc, PrincipalKind, Role, WorkspaceDoc } from '../domain/types.js';
import { parseRule } from '../domain/validation.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { AppError, badInput, notFound } from '../errors.js';
import { parseEmail } from '../people/email.js';
import type { InvitationsService, IssuedInvitation } from '../people/invitations.service.js';
import { authorize, can } from '../policies/policies.js';
import { DuplicateKeyError, type Store } from '../store/port.js';

const API_KEY_PREFIX = 'ph_';
const SHOWN_PREFIX_LENGTH = 11;
/** `lastUsedAt` is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface DataAccessInput {
  all?: boolean | null;
  owners?: readonly string[] | null;
  rules?: ReadonlyArray<{ field: string; op: string; value?: unknown }> | null;
}

export interface CreatePrincipalInput {
  name: string;
  kind: PrincipalKind;
  role: Role;
  /** A person's sign-in email: the member then gets an invitation instead of an API key. */
  email?: string | null;
  dataAccess: DataAccessInput;
}

/** A new principal with its first credential: an API key, or (a member created by email) an invitation. */
export interface CreatedPrincipal {
  principal: PrincipalDoc;
  apiKey: string | null;
  invite: IssuedInvitation | null;
}

export interface UpdatePrincipalInput {
  name?: string | null;
  role?: Role | null;
  dataAccess?: DataAccessInput | null;
}

function parseName(input: string): string {
  const name = input.trim();
  if (!name || name.length > 100) throw badInput('name must be 1–100 characters.');
  return name;
}

/** Access is granted, never assumed: `all` defaults to false. */
function parseDataAccess(input: DataAccessInput): DataAccess {
  const all = input.all ?? false;
  const owners = [...new Set(input.owners ?? [])];
  if (owners.length > 1000 || owners.some((owner) => owner.length === 0 || owner.length > 200))
    throw badInput('owners must be at most 1000 ids of 1–200 characters.');
  return {
    all,
    owners: all ? [] : owners,
    rules: (input.rules ?? []).map((rule, index) => parseRule(rule, `dataAccess.rules[${index}]`)),
  };
}

const LAST_ADMIN = 'A workspace needs at least one admin: make another principal an admin first.';
const ADMINS_ONLY = (what: string) => ({ code: 'FORBIDDEN', message: `Only a workspace admin may ${what}.` }) as const;

/** Workspaces, principals (members and agents) and their API keys. */
export class PrincipalsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly invitations: InvitationsService,
  ) {}

  /** Resolves an API key to its principal, or null for any key that is not a live one. */
  /** The stored key a plaintext API key hashes to, revoked or not, without touching it (for inspectEmbedToken). */
  findApiKey(apiKey: string): Promise<ApiKeyDoc | null> {
    return apiKey.length > 256 ? Promise.resolve(null) : this.store.apiKeys.findOne({ hash: hashApiKey(apiKey) });
  }

  async authenticate(apiKey: string | undefined): Promise<Viewer | null> {
    if (!apiKey || apiKey.length > 256) return null;
    const key = await this.store.apiKeys.findOne({ hash: hashApiKey(apiKey) });
    if (!key || key.revokedAt) return null;
    const viewer = await this.viewerFor(key.principalId);
    if (!viewer) return null;
    const now = this.clock.now();
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      await this.store.apiKeys.updateOne({ _id: key._id }, { max: { lastUsedAt: now } });
    }
    return viewer;
  }

  /**
   * A principal of the viewer's workspace by id, or null when there is none (deleted, or of
   * another workspace): how pages and embeds name their owner, author, grantees and minter.
   */
  inWorkspace(viewer: Viewer, principalId: string): Promise<PrincipalDoc | null> {
    return this.store.principals.findOne({ _id: principalId, workspaceId: viewer.workspace._id });
  }

  async viewerFor(principalId: string): Promise<Viewer | null> {
    const principal = await this.store.principals.findOne({ _id: principalId });
    if (!principal) return null;
    const workspace = await this.store.workspaces.findOne({ _id: principal.workspaceId });
    return workspace ? { principal, workspace } : null;
  }

  /**
   * Creates the workspace with an admin principal whose API key is exactly `apiKey`,
   * unless a workspace with that slug exists. Returns whether it was created.
   */
  async bootstrapWorkspace(slug: string, apiKey: string, name = slug): Promise<{ created: boolean; workspace: WorkspaceDoc; admin: PrincipalDoc | null }> {
    const existing = await this.store.workspaces.findOne({ slug });
    if (existing) return { created: false, workspace: existing, admin: null };
    const now = this.clock.now();
    const workspace: WorkspaceDoc = { _id: newId(), slug, name, allowedOrigins: [], createdAt: now };
    try {
      await this.store.workspaces.insertOne(workspace);
    } catch (error) {
      // Another instance bootstrapped it first.
      if (error instanceof DuplicateKeyError) return { created: false, workspace: (await this.store.workspaces.findOne({ slug }))!, admin: null };
      throw error;
    }
    const admin = await this.#insertPrincipal(workspace._id, {
      name: `${name} admin`,
      kind: 'MEMBER',
      role: 'ADMIN',
      dataAccess: { all: true, owners: [], rules: [] },
    });
    await this.#insertKey(admin, apiKey, 'bootstrap');
    return { created: true, workspace, admin };
  }

  /** Admins see every principal of the workspace; anyone else sees itself. */
  async list(viewer: Viewer): Promise<PrincipalDoc[]> {
    if (!can(viewer.principal, 'principal:list-everyone', viewer.workspace)) return [viewer.principal];
    return this.store.principals.find({ workspaceId: viewer.workspace._id }, { sort: { createdAt: 1, _id: 1 } });
  }

  /**
   * Creates a member or an agent. A member with an email is a person who signs in as one: they
   * get a one-use invitation link (to choose a password) and no API key. Agents, and members
   * created without an email (tooling), get their first API key as before.
   */
  async createPrincipal(viewer: Viewer, input: CreatePrincipalInput): Promise<CreatedPrincipal> {
    authorize(viewer, 'principal:create', viewer.workspace, ADMINS_ONLY('create principals'));
    const email = input.email == null || input.email === '' ? null : parseEmail(input.email);
    if (email && input.kind !== 'MEMBER') throw badInput('Agents sign in with API keys: leave email out, or create a MEMBER.');
    const fields = { name: parseName(input.name), kind: input.kind, role: input.role, dataAccess: parseDataAccess(input.dataAccess) };
    let principal: PrincipalDoc;
    try {
      principal = await this.#insertPrincipal(viewer.workspace._id, { ...fields, ...(email ? { email } : {}) });
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new AppError('CONFLICT', `${email} is already a member of this workspace.`);
      throw error;
    }
    if (email) return { principal, apiKey: null, invite: await this.invitations.issue(viewer.principal, principal) };
    const apiKey = API_KEY_PREFIX + randomToken(32);
    await this.#insertKey(principal, apiKey, 'first key');
    return { principal, apiKey, invite: null };
  }

  /**
   * A new invitation link for a person (a member with an email), ending the previous one. It is
   * also how an admin resets someone's sign-in: their password and passkeys are removed and every
   * console session of theirs ends now, so whoever held them is out until the link is used.
   */
  async createInvite(viewer: Viewer, principalId: string): Promise<IssuedInvitation> {
    const person = await this.store.principals.findOne({ _id: principalId, workspaceId: viewer.workspace._id });
    if (!person) throw notFound('Principal');
    authorize(viewer, 'principal:invite', person, ADMINS_ONLY('invite people or reset their sign-in'));
    if (person.kind !== 'MEMBER' || !person.email) throw badInput('Only members with an email sign in as people; agents and members without one use API keys.');
    return this.invitations.issue(viewer.principal, person);
  }

  /** When the principal's open invitation expires (null when none is open), for those who may see its email. */
  async invitationExpiresAt(viewer: Viewer, principal: PrincipalDoc): Promise<Date | null> {
    if (!principal.email || !can(viewer.principal, 'principal:read-email', principal)) return null;
    return this.invitations.pendingUntil(principal);
  }

  /**
   * Changes a principal's name, role or data access. Embeds it minted and pages it authored
   * read its access at every load, so narrowing or demoting it narrows or ends them at once.
   */
  async updatePrincipal(viewer: Viewer, id: string, input: UpdatePrincipalInput): Promise<PrincipalDoc> {
    authorize(viewer, 'principal:update', viewer.principal, ADMINS_ONLY('change principals'));
    const current = await this.store.principals.findOne({ _id: id, workspaceId: viewer.workspace._id });
    if (!current) throw notFound('Principal');
    const set: Partial<PrincipalDoc> = {};
    if (input.name != null) set.name = parseName(input.name);
    if (input.role != null) set.role = input.role;
    if (input.dataAccess != null) set.dataAccess = parseDataAccess(input.dataAccess);
    const demoting = current.role === 'ADMIN' && set.role !== undefined && set.role !== 'ADMIN';
    if (demoting && (await this.#adminCount(viewer.workspace._id)) <= 1) throw new AppError('CONFLICT', LAST_ADMIN);
    const updated = await this.store.principals.updateOne({ _id: id, workspaceId: viewer.workspace._id }, { set });
    if (!updated) throw notFound('Principal');
    // Two admins demoting each other at once could both pass the check above: look again, and undo.
    if (demoting && (await this.#adminCount(viewer.workspace._id)) === 0) {
      await this.store.principals.updateOne({ _id: id, workspaceId: viewer.workspace._id }, { set: { role: 'ADMIN' } });
      throw new AppError('CONFLICT', LAST_ADMIN);
    }
    return updated;
  }

  /**
   * Deletes a principal and its keys; every embed it minted, and every page it authored, stops on its next load.
   *
   * An admin may delete itself while another admin remains: a person may leave a workspace, and
   * the workspace keeps someone to administer it. The last admin is told so (CONFLICT), whoever asks.
   *
   * An admin is removed in three steps, so that two admins deleting each other at once cannot
   * both pass a check made before either write: (1) it is demoted, conditionally on still being
   * an admin, which marks it as ours to delete (a second deletion of it finds no admin to demote
   * and does not count it); (2) the admins are counted, and with none left the demotion is undone
   * and the deletion refused; (3) it is deleted, the admins counted once more (a demotion through
   * updatePrincipal may have raced us), and with none left the document is put back as it was.
   * Its keys go last, once the deletion stands: a key whose principal is missing opens nothing
   * meanwhile, and a restored principal keeps its keys. While an admin is being deleted it is a
   * member for a moment, so its PUBLIC embeds may refuse a load or two if the deletion is refused.
   */
  async deletePrincipal(viewer: Viewer, id: string): Promise<boolean> {
    authorize(viewer, 'principal:delete', viewer.principal, ADMINS_ONLY('delete principals'));
    const workspaceId = viewer.workspace._id;
    const target = await this.store.principals.findOne({ _id: id, workspaceId });
    if (!target) throw notFound('Principal');
    if (target.role === 'ADMIN') {
      if ((await this.#adminCount(workspaceId)) <= 1) throw new AppError('CONFLICT', LAST_ADMIN);
      const marked = await this.store.principals.updateOne({ _id: id, workspaceId, role: 'ADMIN' }, { set: { role: 'MEMBER' } });
      if (marked && (await this.#adminCount(workspaceId)) === 0) {
        await this.store.principals.updateOne({ _id: id, workspaceId }, { set: { role: 'ADMIN' } });
        throw new AppError('CONFLICT', LAST_ADMIN);
      }
    }
    if (!(await this.store.principals.deleteOne({ _id: id, workspaceId }))) throw notFound('Principal');
    if (target.role === 'ADMIN' && (await this.#adminCount(workspaceId)) === 0) {
      await this.store.principals.insertIfAbsent(target);
      throw new AppError('CONFLICT', LAST_ADMIN);
    }
    // The deletion stands: its keys, and every way it could sign in as a person (and its sessions), go too.
    await this.store.apiKeys.deleteMany({ principalId: id });
    await this.invitations.endSignIn(target);
    return true;
  }

  async listApiKeys(viewer: Viewer): Promise<ApiKeyDoc[]> {
    return this.store.apiKeys.find({ principalId: viewer.principal._id }, { sort: { createdAt: -1, _id: 1 } });
  }

  async createApiKey(viewer: Viewer, name: string | null | undefined): Promise<{ key: ApiKeyDoc; plaintext: string }> {
    authorize(viewer, 'api-key:create', viewer.principal, { code: 'FORBIDDEN', message: 'You may only create keys of your own.' });
    if (name && name.length > 100) throw badInput('name must be at most 100 characters.');
    const plaintext = API_KEY_PREFIX + randomToken(32);
    const key = await this.#insertKey(viewer.principal, plaintext, name ?? null);
    return { key, plaintext };
  }

  /**
   * Revokes one of the viewer's own keys; an admin may revoke any key in the workspace. The
   * last live key of the last admin stays: without it nobody could administer the workspace.
   */
  async revokeApiKey(viewer: Viewer, id: string): Promise<ApiKeyDoc> {
    const key = await this.store.apiKeys.findOne({ _id: id, workspaceId: viewer.workspace._id });
    if (!key || !can(viewer.principal, 'api-key:revoke', key)) throw notFound('API key');
    if (key.revokedAt) return key;
    const owner = await this.store.principals.findOne({ _id: key.principalId, workspaceId: viewer.workspace._id });
    if (owner?.role === 'ADMIN' && (await this.#adminCount(viewer.workspace._id)) <= 1) {
      const live = await this.store.apiKeys.count({ principalId: owner._id, revokedAt: null });
      if (live <= 1)
        throw new AppError('CONFLICT', 'This is the last API key of the last admin: create another key first, or make another principal an admin.');
    }
    const revoked = (await this.store.apiKeys.updateOne({ _id: id }, { set: { revokedAt: this.clock.now() } }))!;
    // Its console sessions end with it, and so every viewer token they issued (each names its session).
    await this.store.consoleSessions.deleteMany({ apiKeyId: id });
    return revoked;
  }

  #adminCount(workspaceId: string): Promise<number> {
    return this.store.principals.count({ workspaceId, role: 'ADMIN' });
  }

  async #insertPrincipal(workspaceId: string, fields: Pick<PrincipalDoc, 'name' | 'kind' | 'role' | 'dataAccess' | 'email'>): Promise<PrincipalDoc> {
    const principal: PrincipalDoc = { _id: newId(), workspaceId, ...fields, createdAt: this.clock.now() };
    await this.store.principals.insertOne(principal);
    return principal;
  }

  async #insertKey(principal: PrincipalDoc, plaintext: string, name: string | null): Promise<ApiKeyDoc> {
    const key: ApiKeyDoc = {
      _id: newId(),
      workspaceId: principal.workspaceId,
      principalId: principal._id,
      name,
      prefix: plaintext.slice(0, SHOWN_PREFIX_LENGTH),
      hash: hashApiKey(plaintext),
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    try {
      await this.store.apiKeys.insertOne(key);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new AppError('CONFLICT', 'That API key is already in use.');
      throw error;
    }
    return key;
  }
}
