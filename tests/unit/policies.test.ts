import { describe, expect, test } from '@jest/globals';
import type {
  ApiKeyDoc,
  DataAccess,
  PageDoc,
  PageEmbedDoc,
  PasskeyDoc,
  PrincipalDoc,
  Role,
  SigningSecretDoc,
  WorkspaceDoc,
} from '../../server/src/domain/types.js';
import { actions, can, type Action } from '../../server/src/policies/policies.js';

/**
 * Every action of the policy module, for every kind of principal: admin, member with all data,
 * member limited to one owner, member narrowed by a rule, and an agent. The expected answers
 * are written out as a table a reader can check against the policy table in docs/access.md.
 */

const WS = 'w'.repeat(28);
const workspace: WorkspaceDoc = { _id: WS, slug: 'acme', name: 'Acme', allowedOrigins: [], createdAt: new Date(0) };

function principal(id: string, role: Role, dataAccess: Partial<DataAccess>, kind: 'MEMBER' | 'AGENT' = 'MEMBER'): PrincipalDoc {
  return { _id: id, workspaceId: WS, name: id, kind, role, dataAccess: { all: false, owners: [], rules: [], ...dataAccess }, createdAt: new Date(0) };
}

const actors = {
  admin: principal('admin', 'ADMIN', { all: true }),
  member: principal('member', 'MEMBER', { all: true }),
  adaOnly: principal('adaOnly', 'MEMBER', { owners: ['ada'] }),
  phoneOnly: principal('phoneOnly', 'MEMBER', { all: true, rules: [{ field: 'channel', op: 'EQ', value: 'phone' }] }),
  agent: principal('agent', 'MEMBER', { owners: ['ada', 'grace'] }, 'AGENT'),
};
type ActorName = keyof typeof actors;

const otherAdmin = principal('other', 'ADMIN', { all: true });
const page = (sharing: PageDoc['sharing'], grants: PageDoc['grants'] = []): PageDoc => ({
  _id: 'p',
  workspaceId: WS,
  title: 'x',
  description: null,
  dashboard: false,
  refreshSeconds: null,
  freshnessSeconds: 0,
  widgets: [],
  createdBy: 'other',
  ownerId: 'other',
  authorId: 'other',
  sharing,
  grants,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});
const key = (principalId: string): ApiKeyDoc => ({
  _id: 'k',
  workspaceId: WS,
  principalId,
  name: null,
  prefix: 'ph_',
  hash: 'h',
  createdAt: new Date(0),
  lastUsedAt: null,
  revokedAt: null,
});
const passkey = (principalId: string): PasskeyDoc => ({
  _id: 'pk',
  workspaceId: WS,
  principalId,
  credentialId: 'c',
  publicKey: 'k',
  counter: 0,
  transports: [],
  name: 'Passkey',
  createdAt: new Date(0),
  lastUsedAt: null,
});
const embed = (minterId: string): PageEmbedDoc => ({
  _id: 'e',
  workspaceId: WS,
  pageId: 'p',
  audience: 'workspace',
  minterId,
  minterName: minterId,
  secretId: 's',
  expiresAt: new Date(0),
  origins: [],
  rules: [],
  createdAt: new Date(0),
  lastUsedAt: null,
  loadCount: 0,
  revokedAt: null,
});
const secret: SigningSecretDoc = {
  _id: 's',
  workspaceId: WS,
  name: null,
  prefix: 'phs_',
  secretSealed: '',
  createdBy: 'admin',
  createdAt: new Date(0),
  lastUsedAt: null,
  revokedAt: null,
};
const record = (owner: string | null, channel: string) => ({ owner, at: new Date(0), data: { channel } });

/** Each case: an action on a resource, and the set of actors allowed. */
const cases: Array<{ action: Action; on: string; resource: (actor: PrincipalDoc) => unknown; allowed: ActorName[] }> = [
  { action: 'workspace:read', on: 'its workspace', resource: () => workspace, allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  { action: 'workspace:update', on: 'its workspace', resource: () => workspace, allowed: ['admin'] },
  { action: 'principal:list-everyone', on: 'the workspace', resource: () => workspace, allowed: ['admin'] },
  { action: 'principal:read', on: 'another principal', resource: () => otherAdmin, allowed: ['admin'] },
  { action: 'principal:read', on: 'itself', resource: (actor) => actor, allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  { action: 'principal:read-data-access', on: 'another principal', resource: () => otherAdmin, allowed: ['admin'] },
  { action: 'principal:create', on: 'the workspace', resource: () => workspace, allowed: ['admin'] },
  { action: 'principal:update', on: 'another principal', resource: () => otherAdmin, allowed: ['admin'] },
  { action: 'principal:delete', on: 'another principal', resource: () => otherAdmin, allowed: ['admin'] },
  { action: 'principal:invite', on: 'another principal', resource: () => otherAdmin, allowed: ['admin'] },
  { action: 'principal:read-email', on: 'another principal', resource: () => otherAdmin, allowed: ['admin'] },
  { action: 'principal:read-email', on: 'itself', resource: (actor) => actor, allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  { action: 'passkey:register', on: 'itself', resource: (actor) => actor, allowed: ['admin', 'member', 'adaOnly', 'phoneOnly'] },
  { action: 'passkey:register', on: 'another principal', resource: () => otherAdmin, allowed: [] },
  { action: 'passkey:remove', on: 'its own passkey', resource: (actor) => passkey(actor._id), allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  { action: 'passkey:remove', on: 'another principal’s passkey', resource: () => passkey('other'), allowed: [] },
  { action: 'console-session:end-all', on: 'itself', resource: (actor) => actor, allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  { action: 'console-session:end-all', on: 'another principal', resource: () => otherAdmin, allowed: [] },
  { action: 'api-key:create', on: 'itself', resource: (actor) => actor, allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  { action: 'api-key:create', on: 'another principal', resource: () => otherAdmin, allowed: [] },
  { action: 'api-key:read', on: 'another principal’s key', resource: () => key('other'), allowed: [] },
  { action: 'api-key:revoke', on: 'its own key', resource: (actor) => key(actor._id), allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  { action: 'api-key:revoke', on: 'another principal’s key', resource: () => key('other'), allowed: ['admin'] },
  {
    action: 'user:read',
    on: 'user ada',
    resource: () => ({ workspaceId: WS, externalId: 'ada' }),
    allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'],
  },
  { action: 'user:read', on: 'user alan', resource: () => ({ workspaceId: WS, externalId: 'alan' }), allowed: ['admin', 'member', 'phoneOnly'] },
  { action: 'user:create', on: 'user ada', resource: () => ({ workspaceId: WS, externalId: 'ada' }), allowed: ['admin', 'member', 'adaOnly', 'agent'] },
  { action: 'user:manage', on: 'user grace', resource: () => ({ workspaceId: WS, externalId: 'grace' }), allowed: ['admin', 'member', 'agent'] },
  {
    action: 'records:write',
    on: "ada's phone call",
    resource: () => ({ workspaceId: WS, records: [record('ada', 'phone')] }),
    allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'],
  },
  {
    action: 'records:write',
    on: "ada's chat",
    resource: () => ({ workspaceId: WS, records: [record('ada', 'chat')] }),
    allowed: ['admin', 'member', 'adaOnly', 'agent'],
  },
  {
    action: 'records:write',
    on: 'an ownerless record',
    resource: () => ({ workspaceId: WS, records: [record(null, 'phone')] }),
    allowed: ['admin', 'member', 'phoneOnly'],
  },
  { action: 'records:erase', on: "grace's records", resource: () => ({ workspaceId: WS, owner: 'grace' }), allowed: ['admin', 'member', 'agent'] },
  { action: 'page:create', on: 'the workspace', resource: () => workspace, allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  { action: 'dataset:read-catalog', on: 'the workspace', resource: () => workspace, allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  { action: 'page:view', on: 'a PRIVATE page', resource: () => page('PRIVATE'), allowed: ['admin'] },
  {
    action: 'page:view',
    on: 'a PRIVATE page with a VIEW grant to adaOnly',
    resource: () => page('PRIVATE', [{ principalId: 'adaOnly', level: 'VIEW' }]),
    allowed: ['admin', 'adaOnly'],
  },
  { action: 'page:view', on: 'a WORKSPACE_VIEW page', resource: () => page('WORKSPACE_VIEW'), allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  { action: 'page:edit', on: 'a WORKSPACE_VIEW page', resource: () => page('WORKSPACE_VIEW'), allowed: ['admin'] },
  {
    action: 'page:edit',
    on: 'a WORKSPACE_VIEW page with an EDIT grant to agent',
    resource: () => page('WORKSPACE_VIEW', [{ principalId: 'agent', level: 'EDIT' }]),
    allowed: ['admin', 'agent'],
  },
  { action: 'page:edit', on: 'a WORKSPACE_EDIT page', resource: () => page('WORKSPACE_EDIT'), allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  {
    action: 'page:edit',
    on: 'its own PRIVATE page',
    resource: (actor) => ({ ...page('PRIVATE'), ownerId: actor._id }),
    allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'],
  },
  { action: 'page:delete', on: 'a WORKSPACE_VIEW page', resource: () => page('WORKSPACE_VIEW'), allowed: ['admin'] },
  { action: 'page:set-access', on: 'a WORKSPACE_EDIT page', resource: () => page('WORKSPACE_EDIT'), allowed: ['admin'] },
  {
    action: 'page:set-access',
    on: 'its own page',
    resource: (actor) => ({ ...page('PRIVATE'), ownerId: actor._id }),
    allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'],
  },
  { action: 'page:mint', on: 'a WORKSPACE_VIEW page', resource: () => page('WORKSPACE_VIEW'), allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'] },
  { action: 'page:mint', on: 'a PRIVATE page', resource: () => page('PRIVATE'), allowed: ['admin'] },
  { action: 'page:mint-public', on: 'a WORKSPACE_EDIT page', resource: () => page('WORKSPACE_EDIT'), allowed: ['admin'] },
  // Every owner and no rules (what any end user's dashboard may show), on a page it may edit.
  { action: 'page:publish-dashboard', on: 'a WORKSPACE_EDIT page', resource: () => page('WORKSPACE_EDIT'), allowed: ['admin', 'member'] },
  { action: 'page:publish-dashboard', on: 'a WORKSPACE_VIEW page', resource: () => page('WORKSPACE_VIEW'), allowed: ['admin'] },
  {
    action: 'page:publish-dashboard',
    on: 'its own new page',
    resource: (actor) => ({ ...page('PRIVATE'), ownerId: actor._id, dashboard: true }),
    allowed: ['admin', 'member'],
  },
  {
    action: 'page-embed:revoke',
    on: 'its own embed',
    resource: (actor) => ({ embed: embed(actor._id), page: page('WORKSPACE_VIEW') }),
    allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'],
  },
  {
    action: 'page-embed:revoke',
    on: "another's embed of a VIEW page",
    resource: () => ({ embed: embed('other'), page: page('WORKSPACE_VIEW') }),
    allowed: ['admin'],
  },
  {
    action: 'page-embed:revoke',
    on: "another's embed of an EDIT page",
    resource: () => ({ embed: embed('other'), page: page('WORKSPACE_EDIT') }),
    allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'],
  },
  {
    action: 'page-embed:read-details',
    on: 'its own embed',
    resource: (actor) => ({ embed: embed(actor._id), page: page('WORKSPACE_VIEW') }),
    allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'],
  },
  {
    action: 'page-embed:read-details',
    on: "another's embed of a VIEW page",
    resource: () => ({ embed: embed('other'), page: page('WORKSPACE_VIEW') }),
    allowed: ['admin'],
  },
  {
    action: 'page-embed:read-details',
    on: "another's embed of a VIEW page with an EDIT grant to adaOnly",
    resource: () => ({ embed: embed('other'), page: page('WORKSPACE_VIEW', [{ principalId: 'adaOnly', level: 'EDIT' }]) }),
    allowed: ['admin', 'adaOnly'],
  },
  { action: 'signing-secret:manage', on: 'the workspace', resource: () => workspace, allowed: ['admin'] },
  { action: 'signing-secret:read', on: 'a secret', resource: () => secret, allowed: ['admin'] },
  {
    action: 'credential:inspect-page-embed',
    on: 'a token of a PRIVATE page with a VIEW grant to adaOnly',
    resource: () => ({ workspaceId: WS, page: page('PRIVATE', [{ principalId: 'adaOnly', level: 'VIEW' }]), minterId: 'other' }),
    allowed: ['admin', 'adaOnly'],
  },
  {
    action: 'credential:inspect-page-embed',
    on: "a token of another workspace's page under this workspace's secret",
    resource: () => ({ workspaceId: WS, page: { ...page('WORKSPACE_VIEW'), workspaceId: 'x'.repeat(28) }, minterId: 'other' }),
    allowed: [],
  },
  {
    action: 'credential:inspect-page-embed',
    on: 'a token of a deleted page minted by agent',
    resource: () => ({ workspaceId: WS, page: null, minterId: 'agent' }),
    allowed: ['admin', 'agent'],
  },
  { action: 'credential:inspect-user', on: 'user alan', resource: () => ({ workspaceId: WS, externalId: 'alan' }), allowed: ['admin', 'member', 'phoneOnly'] },
  { action: 'credential:inspect-api-key', on: 'another principal’s key', resource: () => key('other'), allowed: ['admin'] },
  {
    action: 'credential:inspect-api-key',
    on: 'its own key',
    resource: (actor) => key(actor._id),
    allowed: ['admin', 'member', 'adaOnly', 'phoneOnly', 'agent'],
  },
  { action: 'signing-secret:read-impact', on: 'a secret', resource: () => secret, allowed: ['admin'] },
  { action: 'token-issuer:manage', on: 'the workspace', resource: () => workspace, allowed: ['admin'] },
  { action: 'audit:read', on: 'the workspace', resource: () => workspace, allowed: ['admin'] },
];

describe('the policy table', () => {
  test.each(cases)('$action on $on: allowed to $allowed', ({ action, resource, allowed }) => {
    const answers = Object.fromEntries(Object.entries(actors).map(([name, actor]) => [name, can(actor, action, resource(actor) as never)]));
    const expected = Object.fromEntries(Object.keys(actors).map((name) => [name, allowed.includes(name as ActorName)]));
    expect(answers).toEqual(expected);
  });

  test('every action of the policy module is exercised above', () => {
    expect([...new Set(cases.map((entry) => entry.action))].sort()).toEqual([...actions].sort());
  });

  test("another workspace's resource is refused for every action, even to an admin", () => {
    const foreign = { ...page('WORKSPACE_EDIT'), workspaceId: 'x'.repeat(28) };
    for (const action of ['page:view', 'page:edit', 'page:delete', 'page:set-access', 'page:mint', 'page:mint-public', 'page:publish-dashboard'] as const) {
      expect(can(actors.admin, action, foreign)).toBe(false);
    }
    expect(can(actors.admin, 'user:manage', { workspaceId: 'x'.repeat(28), externalId: 'ada' })).toBe(false);
    expect(can(actors.admin, 'page-embed:revoke', { embed: { ...embed('admin'), workspaceId: 'x'.repeat(28) }, page: null })).toBe(false);
    expect(can(actors.admin, 'page-embed:read-details', { embed: { ...embed('admin'), workspaceId: 'x'.repeat(28) }, page: null })).toBe(false);
    expect(can(actors.admin, 'principal:update', { ...otherAdmin, workspaceId: 'x'.repeat(28) })).toBe(false);
  });
});
