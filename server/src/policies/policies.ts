import type {
  ApiKeyDoc,
  PageAccessLevel,
  PageDoc,
  PageEmbedDoc,
  PageGrantDoc,
  PageSharing,
  PasskeyDoc,
  PrincipalDoc,
  SigningSecretDoc,
  WorkspaceDoc,
} from '../domain/types.js';
import type { Viewer } from '../domain/viewer.js';
import { AppError } from '../errors.js';
import { coversOwner, coversOwnerFully, recordReadable, type CandidateRecord } from './data-access.js';

/**
 * Who may do what inside a workspace, in one table. Services ask `can`/`authorize` and never
 * compare roles themselves. The rule behind every row: nothing a principal authors, manages
 * or writes can reveal more than that principal may read.
 *
 * Each row is `action: (actor, resource) => allowed`. A resource of another workspace is
 * refused before any row is consulted.
 */

/** A page's access, with the defaults for pages stored before these fields existed. */
export interface PageAccess {
  ownerId: string;
  authorId: string;
  sharing: PageSharing;
  grants: PageGrantDoc[];
}

export function pageAccessOf(page: PageDoc): PageAccess {
  return {
    ownerId: page.ownerId ?? page.createdBy,
    authorId: page.authorId ?? page.createdBy,
    sharing: page.sharing ?? 'WORKSPACE_VIEW',
    grants: page.grants ?? [],
  };
}

const isAdmin = (actor: PrincipalDoc): boolean => actor.role === 'ADMIN';

/** Data access to every owner, narrowed by no rule: what an end user's dashboard may show of its own records. */
const readsEverything = (actor: PrincipalDoc): boolean => actor.dataAccess.all && actor.dataAccess.rules.length === 0;

/** Those who answer for an embed: its minter, an admin, or an editor of its page. */
const mindsEmbed = (actor: PrincipalDoc, { embed, page }: { embed: PageEmbedDoc; page: PageDoc | null }): boolean =>
  embed.minterId === actor._id || isAdmin(actor) || (page !== null && pageLevel(actor, page) === 'EDIT');

/** The level the actor holds on a page, or null for none. */
export function pageLevel(actor: PrincipalDoc, page: PageDoc): PageAccessLevel | null {
  const access = pageAccessOf(page);
  if (isAdmin(actor) || access.ownerId === actor._id || access.sharing === 'WORKSPACE_EDIT') return 'EDIT';
  const grant = access.grants.find((entry) => entry.principalId === actor._id)?.level ?? null;
  if (grant === 'EDIT') return 'EDIT';
  if (grant === 'VIEW' || access.sharing === 'WORKSPACE_VIEW') return 'VIEW';
  return null;
}

/** An end user as the policy sees it: only the owner id its records carry matters. */
export interface EndUserResource {
  workspaceId: string;
  externalId: string;
}

export interface RecordsResource {
  workspaceId: string;
  records: readonly CandidateRecord[];
}

export interface OwnerRecordsResource {
  workspaceId: string;
  owner: string;
}

interface Resources {
  'workspace:read': WorkspaceDoc;
  'workspace:update': WorkspaceDoc;
  'principal:list-everyone': WorkspaceDoc;
  'principal:read': PrincipalDoc;
  'principal:read-data-access': PrincipalDoc;
  'principal:create': WorkspaceDoc;
  'principal:update': PrincipalDoc;
  'principal:delete': PrincipalDoc;
  'principal:invite': PrincipalDoc;
  'principal:read-email': PrincipalDoc;
  'passkey:register': PrincipalDoc;
  'passkey:remove': PasskeyDoc;
  'console-session:end-all': PrincipalDoc;
  'api-key:create': PrincipalDoc;
  'api-key:read': ApiKeyDoc;
  'api-key:revoke': ApiKeyDoc;
  'user:read': EndUserResource;
  'user:create': EndUserResource;
  'user:manage': EndUserResource;
  'records:write': RecordsResource;
  'records:erase': OwnerRecordsResource;
  'page:create': WorkspaceDoc;
  'dataset:read-catalog': WorkspaceDoc;
  'page:view': PageDoc;
  'page:edit': PageDoc;
  'page:delete': PageDoc;
  'page:set-access': PageDoc;
  'page:mint': PageDoc;
  'page:mint-public': PageDoc;
  'page:publish-dashboard': PageDoc;
  'page-embed:revoke': { embed: PageEmbedDoc; page: PageDoc | null };
  'page-embed:read-details': { embed: PageEmbedDoc; page: PageDoc | null };
  'signing-secret:manage': WorkspaceDoc;
  'signing-secret:read': SigningSecretDoc;
  'signing-secret:read-impact': SigningSecretDoc;
  'token-issuer:manage': WorkspaceDoc;
  'audit:read': WorkspaceDoc;
  'credential:inspect-page-embed': PageEmbedCredential;
  'credential:inspect-user': EndUserResource;
  'credential:inspect-api-key': ApiKeyDoc;
}

/** A page embed token as inspectEmbedToken knows it: its signing secret's workspace, its page (null once deleted) and minter. */
export interface PageEmbedCredential {
  workspaceId: string;
  page: PageDoc | null;
  minterId: string | null;
}

export type Action = keyof Resources;

const rules: { [A in Action]: (actor: PrincipalDoc, resource: Resources[A]) => boolean } = {
  // Workspace and its principals
  'workspace:read': () => true,
  // Its settings, such as which sites may frame its users' dashboards
  'workspace:update': isAdmin,
  'principal:list-everyone': isAdmin,
  'principal:read': (actor, principal) => isAdmin(actor) || principal._id === actor._id,
  'principal:read-data-access': (actor, principal) => isAdmin(actor) || principal._id === actor._id,
  'principal:create': isAdmin,
  'principal:update': isAdmin,
  'principal:delete': isAdmin,
  // Issuing an invitation also resets a person's sign-in (password, passkeys, sessions end)
  'principal:invite': isAdmin,
  'principal:read-email': (actor, principal) => isAdmin(actor) || principal._id === actor._id,
  // People's own sign-in: passkeys for members (people) only, each for itself; sessions one's own
  'passkey:register': (actor, owner) => owner._id === actor._id && actor.kind === 'MEMBER',
  'passkey:remove': (actor, passkey) => passkey.principalId === actor._id,
  'console-session:end-all': (actor, owner) => owner._id === actor._id,
  // API keys: one's own; admins may also revoke anyone's
  'api-key:create': (actor, owner) => owner._id === actor._id,
  'api-key:read': (actor, key) => key.principalId === actor._id,
  'api-key:revoke': (actor, key) => key.principalId === actor._id || isAdmin(actor),
  // End users follow data access: seeing one needs its owner id covered; handing out its
  // dashboard (token, regenerate, suspend, reactivate, delete, create) needs all of its records.
  'user:read': (actor, user) => coversOwner(actor.dataAccess, user.externalId),
  'user:create': (actor, user) => coversOwnerFully(actor.dataAccess, user.externalId),
  'user:manage': (actor, user) => coversOwnerFully(actor.dataAccess, user.externalId),
  // Records: write only what you could read; erase only an owner you read in full
  'records:write': (actor, { records }) => records.every((record) => recordReadable(actor.dataAccess, record)),
  'records:erase': (actor, { owner }) => coversOwnerFully(actor.dataAccess, owner),
  // Pages: VIEW / EDIT from sharing, grants, ownership; admins hold EDIT on every page
  'page:create': () => true,
  // The dataset catalog holds names, types and counts, never values: every principal may read it
  // (to author pages); field values are read through the actor's own data access instead.
  'dataset:read-catalog': () => true,
  'page:view': (actor, page) => pageLevel(actor, page) !== null,
  'page:edit': (actor, page) => pageLevel(actor, page) === 'EDIT',
  'page:delete': (actor, page) => pageLevel(actor, page) === 'EDIT',
  'page:set-access': (actor, page) => isAdmin(actor) || pageAccessOf(page).ownerId === actor._id,
  'page:mint': (actor, page) => pageLevel(actor, page) !== null,
  'page:mint-public': (actor, page) => isAdmin(actor) && pageLevel(actor, page) !== null,
  // A dashboard page's title and widgets appear on every end user's dashboard, in every tenant's
  // view: only someone who may read every owner's records unnarrowed may put words there, or
  // change them once there (an edit of a dashboard page asks this as well as page:edit).
  'page:publish-dashboard': (actor, page) => pageLevel(actor, page) === 'EDIT' && readsEverything(actor),
  // Embeds: their minter, an admin, or an editor of the page may revoke one, and only they see
  // its rules, origins and label (which name owners and partner sites); other viewers of the
  // page see that an embed exists, its audience and its use.
  'page-embed:revoke': mindsEmbed,
  'page-embed:read-details': mindsEmbed,
  // Signing secrets
  'signing-secret:manage': isAdmin,
  'signing-secret:read': isAdmin,
  // What a revocation would stop names pages and partner sites across the workspace: those who may revoke
  'signing-secret:read-impact': isAdmin,
  // Registering a partner's keys lets it mint embeds as any principal it names: as signing secrets
  'token-issuer:manage': isAdmin,
  // The audit trail names every principal, end user and embed of the workspace: admins only
  'audit:read': isAdmin,
  // inspectEmbedToken: what a credential opens is told only to those who could see it opened —
  // a page embed to viewers of its page (of a deleted page: its minter and admins), a user's
  // tokens to those who see the user, an API key to its holder and admins.
  'credential:inspect-page-embed': (actor, { workspaceId, page, minterId }) =>
    page ? page.workspaceId === workspaceId && pageLevel(actor, page) !== null : isAdmin(actor) || minterId === actor._id,
  'credential:inspect-user': (actor, user) => coversOwner(actor.dataAccess, user.externalId),
  'credential:inspect-api-key': (actor, key) => key.principalId === actor._id || isAdmin(actor),
};

function workspaceOf(resource: unknown): string | undefined {
  if (resource && typeof resource === 'object') {
    const value = resource as { workspaceId?: unknown; _id?: unknown; slug?: unknown; embed?: { workspaceId?: unknown } };
    if (typeof value.workspaceId === 'string') return value.workspaceId;
    if (value.embed && typeof value.embed.workspaceId === 'string') return value.embed.workspaceId;
    // A workspace document names itself.
    if (typeof value.slug === 'string' && typeof value._id === 'string') return value._id;
  }
  return undefined;
}

/** Whether the actor may take the action on the resource. Another workspace's resource: never. */
export function can<A extends Action>(actor: PrincipalDoc, action: A, resource: Resources[A]): boolean {
  const workspaceId = workspaceOf(resource);
  if (workspaceId !== undefined && workspaceId !== actor.workspaceId) return false;
  return rules[action](actor, resource);
}

export type Denial = { code: 'NOT_FOUND'; what: string } | { code: 'FORBIDDEN'; message: string };

/**
 * Throws unless the viewer may take the action. `NOT_FOUND` where even the existence of the
 * resource is not the viewer's to know; `FORBIDDEN` where it already sees the resource.
 */
export function authorize<A extends Action>(viewer: Viewer, action: A, resource: Resources[A], denial: Denial): void {
  if (can(viewer.principal, action, resource)) return;
  throw denial.code === 'NOT_FOUND' ? new AppError('NOT_FOUND', `${denial.what} not found.`) : new AppError('FORBIDDEN', denial.message);
}

/** Every action, for the test that enumerates actions × roles × scopes. */
export const actions = Object.keys(rules) as Action[];
