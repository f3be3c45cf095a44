import type { Logger } from 'pino';
import { AuditService } from './audit/audit.service.js';
import { auditServices } from './audited-actions.js';
import { ExportsService } from './embeds/exports.service.js';
import { CatalogService } from './catalog/catalog.service.js';
import { ConsoleSessionsService } from './console/console-sessions.service.js';
import { ViewerTokensService } from './console/viewer-tokens.service.js';
import { deriveKey, SecretBox } from './crypto/secret-box.js';
import type { Clock } from './domain/viewer.js';
import { EmbedsService } from './embeds/embeds.service.js';
import { TokenInspectionService } from './embeds/token-inspection.service.js';
import { scopeOf } from './policies/data-access.js';
import { PageRenderer } from './embeds/renderer.js';
import { UsageRecorder } from './embeds/usage-recorder.js';
import { PagesService } from './pages/pages.service.js';
import { InvitationsService } from './people/invitations.service.js';
import { PasskeysService } from './people/passkeys.service.js';
import { PasswordsService } from './people/passwords.service.js';
import { PrincipalsService } from './principals/principals.service.js';
import { StorageQuota } from './rate-limits/storage-quota.js';
import { RecordsService } from './records/records.service.js';
import { RollupsService } from './rollups/rollups.service.js';
import { SecretsService } from './secrets/secrets.service.js';
import { TokenIssuersService } from './issuers/token-issuers.service.js';
import { IssuerKeys } from './tokens/issuer-keys.js';
import { jwksFetcher, type JwksFetcher } from './tokens/jwks-fetch.js';
import type { Store } from './store/port.js';
import { UsersService } from './users/users.service.js';
import { WorkspacesService } from './workspaces/workspaces.service.js';

export interface Services {
  principals: PrincipalsService;
  users: UsersService;
  records: RecordsService;
  catalog: CatalogService;
  pages: PagesService;
  secrets: SecretsService;
  tokenIssuers: TokenIssuersService;
  embeds: EmbedsService;
  tokenInspection: TokenInspectionService;
  renderer: PageRenderer;
  usage: UsageRecorder;
  consoleSessions: ConsoleSessionsService;
  passkeys: PasskeysService;
  viewerTokens: ViewerTokensService;
  rollups: RollupsService;
  workspaces: WorkspacesService;
  exports: ExportsService;
  audit: AuditService;
}

export interface ServiceDeps {
  store: Store;
  masterKey: Uint8Array;
  sessionTtlSeconds: number;
  maxEmbedTtlSeconds: number;
  /** How long a load may wait for a token issuer's JWKS (the server passes config's; default 3 s). */
  jwksTimeoutMs?: number;
  /** Production: JWKS URLs must be https: to public addresses (the server passes config's). */
  production?: boolean;
  /** Tests give their own; the default fetches over HTTP(S) with the SSRF guard. */
  jwksFetcher?: JwksFetcher;
  /** PORTHOLE_MAX_EXPORT_ROWS (default 100 000). */
  maxExportRows?: number;
  /** PORTHOLE_AUDIT_RETENTION_DAYS (default 365). */
  auditRetentionDays?: number;
  clock: Clock;
  logger: Logger;
  /** Records one workspace may store (`PORTHOLE_MAX_RECORDS_PER_WORKSPACE`; default 10 million). */
  maxRecordsPerWorkspace?: number;
  /** The public origin used in embed URLs; known only once the server listens. */
  publicUrl: () => string;
}

/** Wires the domain services once per process. */
export function createServices(deps: ServiceDeps): Services {
  const { store, clock } = deps;
  const box = new SecretBox(deps.masterKey);
  const audit = new AuditService(store, clock, deps.auditRetentionDays ?? 365, deriveKey(deps.masterKey, 'audit-address'), (error) =>
    deps.logger.error({ err: error }, 'Could not append to the audit trail'),
  );
  const invitations = new InvitationsService(store, clock, deps.publicUrl);
  const principals = new PrincipalsService(store, clock, invitations);
  const catalog = new CatalogService(store, clock, (principal) => scopeOf(principal, []));
  const rollups = new RollupsService(
    store,
    clock,
    (error) => deps.logger.error({ err: error }, 'Could not build rollups'),
    (workspaceId, dataset) => catalog.recount(workspaceId, dataset),
  );
  const records = new RecordsService(store, clock, catalog, rollups, new StorageQuota(store, deps.maxRecordsPerWorkspace ?? 10_000_000));
  const sessionKey = deriveKey(deps.masterKey, 'session');
  const users = new UsersService(store, box, sessionKey, deps.sessionTtlSeconds, clock, records);
  const pages = new PagesService(store, clock, catalog, rollups);
  const secrets = new SecretsService(store, box, clock);
  const renderer = new PageRenderer(store, clock, rollups);
  const usage = new UsageRecorder(store, clock, (error) => deps.logger.warn({ err: error }, 'Could not record embed usage'));
  const passkeys = new PasskeysService(store, clock, deps.publicUrl);
  const consoleSessions = new ConsoleSessionsService(store, principals, clock, { passwords: new PasswordsService(store, clock), invitations, passkeys });
  const viewerTokens = new ViewerTokensService(store, consoleSessions, sessionKey, clock);
  const production = deps.production ?? false;
  const tokenIssuers = new TokenIssuersService(store, clock, production);
  const issuerKeys = new IssuerKeys(deps.jwksFetcher ?? jwksFetcher(production), deps.jwksTimeoutMs ?? 3000, () => clock.now().getTime());
  const embeds = new EmbedsService(
    store,
    pages,
    secrets,
    issuerKeys,
    users,
    viewerTokens,
    renderer,
    usage,
    clock,
    deps.publicUrl,
    deps.maxEmbedTtlSeconds,
    audit,
  );
  const exports = new ExportsService(store, box, embeds, usage, audit, clock, deps.publicUrl, deps.maxExportRows ?? 100_000);
  const workspaces = new WorkspacesService(store);
  const tokenInspection = new TokenInspectionService(embeds, users, principals);
  const services = {
    principals,
    users,
    records,
    catalog,
    pages,
    secrets,
    tokenIssuers,
    embeds,
    tokenInspection,
    renderer,
    usage,
    consoleSessions,
    passkeys,
    viewerTokens,
    rollups,
    workspaces,
    exports,
    audit,
  };
  auditServices(audit, services, store);
  return services;
}
