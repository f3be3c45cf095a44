import type { AuditAction } from './domain/types.js';
import { normalizeEmail } from './people/email.js';
import type { Store } from './store/port.js';
import type { Viewer } from './domain/viewer.js';
import { AppError } from './errors.js';
import type { ConsoleSessionsService } from './console/console-sessions.service.js';
import type { EmbedsService } from './embeds/embeds.service.js';
import type { PagesService } from './pages/pages.service.js';
import type { PrincipalsService } from './principals/principals.service.js';
import type { RecordsService } from './records/records.service.js';
import type { SecretsService } from './secrets/secrets.service.js';
import type { UsersService } from './users/users.service.js';
import { principalActor, type AuditInput, type AuditService } from './audit/audit.service.js';

/**
 * Which service calls write which audit event, in one table a reader can scan. Each listed
 * method is wrapped once, where the services are wired: its event is appended after it
 * succeeds (and, for sign-ins, after it fails where the account is known), so the services stay
 * unaware of the trail and no audited action can be reached by a path that skips it (GraphQL,
 * REST and the console all call these methods). Events name ids and facts, never a token,
 * key, secret or password: the describers below pick fields one by one.
 */

type AnyMethod = (...args: never[]) => Promise<unknown>;

/** An event for a call's arguments and result (null: nothing to record). */
type Describe = (args: readonly unknown[], result: unknown) => AuditInput | null;

function wrap<S extends object>(
  audit: AuditService,
  service: S,
  method: keyof S & string,
  describe: Describe,
  onFailure?: (args: readonly unknown[], error: unknown) => Promise<AuditInput | null>,
): void {
  const original = (service[method] as unknown as AnyMethod).bind(service);
  const wrapped = async (...args: never[]) => {
    let result: unknown;
    try {
      result = await original(...args);
    } catch (error) {
      const failed = onFailure ? await onFailure(args, error).catch(() => null) : null;
      if (failed) await audit.record(failed);
      throw error;
    }
    const event = describe(args, result);
    if (event) await audit.record(event);
    return result;
  };
  Object.defineProperty(service, method, { value: wrapped, configurable: true, writable: true });
}

/** An event by the viewer (first argument) of its workspace. */
const byViewer =
  (
    action: AuditAction,
    targets: (args: readonly unknown[], result: unknown) => AuditInput['targets'],
    detail?: (args: readonly unknown[], result: unknown) => AuditInput['detail'],
  ): Describe =>
  (args, result) => {
    const viewer = args[0] as Viewer;
    return {
      workspaceId: viewer.workspace._id,
      action,
      actor: principalActor(viewer.principal._id),
      targets: targets(args, result),
      ...(detail && { detail: detail(args, result) }),
    };
  };

const idOf = (value: unknown, key = '_id'): string | null => {
  const id = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : null;
  return typeof id === 'string' ? id : null;
};

/** A successful sign-in of the viewer it opened. */
const signedIn =
  (method: string): Describe =>
  (_args, result) => {
    const { viewer } = result as { viewer: Viewer };
    return {
      workspaceId: viewer.workspace._id,
      action: 'sign-in',
      actor: principalActor(viewer.principal._id),
      targets: { principalId: viewer.principal._id },
      origin: 'console',
      detail: { method },
    };
  };

/** The services whose actions are audited (services.ts passes its own: this file does not import it back). */
export interface AuditedServices {
  principals: PrincipalsService;
  users: UsersService;
  secrets: SecretsService;
  records: RecordsService;
  pages: PagesService;
  embeds: EmbedsService;
  consoleSessions: ConsoleSessionsService;
}

/** Wires the table below into the services. */
export function auditServices(audit: AuditService, services: AuditedServices, store: Store): void {
  const { principals, users, secrets, records, pages, embeds, consoleSessions } = services;
  wrap(
    audit,
    principals,
    'createPrincipal',
    byViewer(
      'principal.create',
      (_, result) => ({ principalId: idOf((result as { principal: unknown }).principal) }),
      (_, result) => ({ invited: Boolean((result as { invite?: unknown }).invite) }),
    ),
  );
  wrap(
    audit,
    principals,
    'updatePrincipal',
    byViewer('principal.update', (args) => ({ principalId: args[1] as string })),
  );
  wrap(
    audit,
    principals,
    'deletePrincipal',
    byViewer('principal.delete', (args) => ({ principalId: args[1] as string })),
  );
  wrap(
    audit,
    principals,
    'createInvite',
    byViewer('principal.invite', (args) => ({ principalId: args[1] as string })),
  );
  wrap(
    audit,
    users,
    'create',
    byViewer('user.create', (_, result) => ({
      userId: idOf((result as { user: unknown }).user),
      owner: idOf((result as { user: unknown }).user, 'externalId'),
    })),
  );
  wrap(
    audit,
    users,
    'regenerateEmbedToken',
    byViewer('user.regenerate-token', (args) => ({ userId: args[1] as string })),
  );
  wrap(audit, users, 'setStatus', (args, result) =>
    byViewer(args[2] === 'SUSPENDED' ? 'user.suspend' : 'user.reactivate', () => ({ userId: args[1] as string, owner: idOf(result, 'externalId') }))(
      args,
      result,
    ),
  );
  wrap(
    audit,
    users,
    'delete',
    byViewer(
      'user.delete',
      (args) => ({ userId: args[1] as string }),
      (args) => ({ eraseRecords: Boolean((args[2] as { eraseRecords?: boolean } | undefined)?.eraseRecords) }),
    ),
  );
  wrap(
    audit,
    secrets,
    'create',
    byViewer('signing-secret.create', (_, result) => ({ secretId: idOf((result as { secret: unknown }).secret) })),
  );
  wrap(
    audit,
    secrets,
    'revoke',
    byViewer('signing-secret.revoke', (args) => ({ secretId: args[1] as string })),
  );
  wrap(
    audit,
    records,
    'eraseOwner',
    byViewer(
      'records.erase',
      (args) => ({ owner: args[1] as string, dataset: (args[2] as string | null) ?? null }),
      (_, result) => ({ erased: result as number }),
    ),
  );
  wrap(
    audit,
    pages,
    'setAccess',
    byViewer(
      'page.access-change',
      (args) => ({ pageId: args[1] as string }),
      (_, result) => ({ sharing: idOf(result, 'sharing') }),
    ),
  );
  wrap(audit, embeds, 'mint', (args, result) => {
    const viewer = args[0] as Viewer;
    const input = args[1] as { pageId: string; audience: string; exports?: readonly string[] | null };
    const minted = result as { id: string };
    return {
      workspaceId: viewer.workspace._id,
      action: 'embed.mint',
      actor: principalActor(viewer.principal._id),
      targets: { pageId: input.pageId, embedId: minted.id },
      jti: minted.id,
      kid: (result as { kid?: string }).kid ?? null,
      detail: { audience: input.audience, exports: (input.exports ?? []).join(',') },
    };
  });
  wrap(
    audit,
    embeds,
    'revoke',
    byViewer(
      'embed.revoke',
      (args, result) => ({ embedId: args[1] as string, pageId: idOf(result, 'pageId') }),
      () => ({}),
    ),
  );
  wrap(audit, consoleSessions, 'signIn', signedIn('api-key'));
  wrap(audit, consoleSessions, 'signInWithPasskey', signedIn('passkey'));
  wrap(audit, consoleSessions, 'acceptInvitation', signedIn('invite'));
  // A failed password sign-in is recorded in the workspace of the person the email names (when it names exactly one); unknown emails name no workspace.
  wrap(audit, consoleSessions, 'signInWithPassword', signedIn('password'), async (args, error) => {
    if (!(error instanceof AppError)) return null;
    const email = normalizeEmail((args[0] as { email?: unknown }).email);
    if (!email) return null;
    const people = await store.principals.find({ email }, { limit: 2 });
    if (people.length !== 1) return null;
    const person = people[0]!;
    return {
      workspaceId: person.workspaceId,
      action: 'sign-in',
      actor: principalActor(person._id),
      targets: { principalId: person._id },
      origin: 'console',
      outcome: 'failure',
      detail: { method: 'password' },
    };
  });
}
