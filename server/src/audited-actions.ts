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
 * method is wrapped once, where the services are wired (by name, checked by the compiler: each describer is typed
 * by the method's own arguments and result, so a changed signature fails the build here, not the trail at run time): its event is appended after it
 * succeeds (and, for sign-ins, after it fails where the account is known), so the services stay
 * unaware of the trail and no audited action can be reached by a path that skips it (GraphQL,
 * REST and the console all call these methods). Events name ids and facts, never a token,
 * key, secret or password: the describers below pick fields one by one.
 */

/** The names of a service's async methods. */
type AsyncMethodOf<S> = { [M in keyof S]: S[M] extends (...args: never[]) => Promise<unknown> ? M : never }[keyof S] & string;
type ArgsOf<F> = F extends (...args: infer A) => unknown ? A : never;
type ResultOf<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;

/** An event for a call's arguments and result (null: nothing to record), typed by the method it describes. */
type Describe<A, R> = (args: A, result: R) => AuditInput | null;

function wrap<S extends object, M extends AsyncMethodOf<S>>(
  audit: AuditService,
  service: S,
  method: M,
  describe: Describe<ArgsOf<S[M]>, ResultOf<S[M]>>,
  onFailure?: (args: ArgsOf<S[M]>, error: unknown) => Promise<AuditInput | null>,
): void {
  const original = (service[method] as (...args: ArgsOf<S[M]>) => Promise<ResultOf<S[M]>>).bind(service);
  const wrapped = async (...args: ArgsOf<S[M]>) => {
    let result: ResultOf<S[M]>;
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
  <A extends readonly [Viewer, ...unknown[]], R>(
    action: AuditAction,
    targets: (args: A, result: R) => AuditInput['targets'],
    detail?: (args: A, result: R) => AuditInput['detail'],
  ): Describe<A, R> =>
  (args, result) => {
    const viewer = args[0];
    return {
      workspaceId: viewer.workspace._id,
      action,
      actor: principalActor(viewer.principal._id),
      targets: targets(args, result),
      ...(detail && { detail: detail(args, result) }),
    };
  };

/** A successful sign-in of the viewer it opened. */
const signedIn =
  <A>(method: string): Describe<A, { viewer: Viewer }> =>
  (_args, { viewer }) => ({
    workspaceId: viewer.workspace._id,
    action: 'sign-in',
    actor: principalActor(viewer.principal._id),
    targets: { principalId: viewer.principal._id },
    origin: 'console',
    detail: { method },
  });

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
      (_, { principal }) => ({ principalId: principal._id }),
      (_, { invite }) => ({ invited: Boolean(invite) }),
    ),
  );
  wrap(
    audit,
    principals,
    'updatePrincipal',
    byViewer('principal.update', ([, principalId]) => ({ principalId })),
  );
  wrap(
    audit,
    principals,
    'deletePrincipal',
    byViewer('principal.delete', ([, principalId]) => ({ principalId })),
  );
  wrap(
    audit,
    principals,
    'createInvite',
    byViewer('principal.invite', ([, principalId]) => ({ principalId })),
  );
  wrap(
    audit,
    users,
    'create',
    byViewer('user.create', (_, { user }) => ({ userId: user._id, owner: user.externalId })),
  );
  wrap(
    audit,
    users,
    'regenerateEmbedToken',
    byViewer('user.regenerate-token', ([, userId]) => ({ userId })),
  );
  wrap(audit, users, 'setStatus', (args, user) =>
    byViewer(args[2] === 'SUSPENDED' ? 'user.suspend' : 'user.reactivate', () => ({ userId: args[1], owner: user.externalId }))(args, user),
  );
  wrap(
    audit,
    users,
    'delete',
    byViewer(
      'user.delete',
      ([, userId]) => ({ userId }),
      ([, , options]) => ({ eraseRecords: Boolean(options?.eraseRecords) }),
    ),
  );
  wrap(
    audit,
    secrets,
    'create',
    byViewer('signing-secret.create', (_, { secret }) => ({ secretId: secret._id })),
  );
  wrap(
    audit,
    secrets,
    'revoke',
    byViewer('signing-secret.revoke', ([, secretId]) => ({ secretId })),
  );
  wrap(
    audit,
    records,
    'eraseOwner',
    byViewer(
      'records.erase',
      ([, owner, dataset]) => ({ owner, dataset: dataset ?? null }),
      (_, erased) => ({ erased }),
    ),
  );
  wrap(
    audit,
    pages,
    'setAccess',
    byViewer(
      'page.access-change',
      ([, pageId]) => ({ pageId }),
      (_, page) => ({ sharing: page.sharing ?? null }),
    ),
  );
  wrap(audit, embeds, 'mint', ([viewer, input], minted) => ({
    workspaceId: viewer.workspace._id,
    action: 'embed.mint',
    actor: principalActor(viewer.principal._id),
    targets: { pageId: input.pageId, embedId: minted.id },
    jti: minted.id,
    kid: minted.kid,
    detail: { audience: input.audience, exports: (input.exports ?? []).join(',') },
  }));
  wrap(
    audit,
    embeds,
    'revoke',
    byViewer(
      'embed.revoke',
      ([, embedId], embed) => ({ embedId, pageId: embed.pageId }),
      () => ({}),
    ),
  );
  wrap(audit, consoleSessions, 'signIn', signedIn('api-key'));
  wrap(audit, consoleSessions, 'signInWithPasskey', signedIn('passkey'));
  wrap(audit, consoleSessions, 'acceptInvitation', signedIn('invite'));
  // A failed password sign-in is recorded in the workspace of the person the email names (when it names exactly one); unknown emails name no workspace.
  wrap(audit, consoleSessions, 'signInWithPassword', signedIn('password'), async ([attempt], error) => {
    if (!(error instanceof AppError)) return null;
    const email = normalizeEmail(attempt.email);
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
