import { principalActor, type AuditService } from '../audit/audit.service.js';
import { newId } from '../crypto/random.js';
import type {
  AudienceValue,
  ConsoleSessionDoc,
  DateRangePreset,
  ExportFormatValue,
  PageDoc,
  PageEmbedDoc,
  PrincipalDoc,
  RangeChoice,
  RollupMarkDoc,
  RollupSpecDoc,
  Rule,
  SigningSecretDoc,
  Theme,
  TokenIssuerDoc,
  UserDoc,
  WorkspaceDoc,
} from '../domain/types.js';
import { parseOrigin, parseRule } from '../domain/validation.js';
import { parseLocale, parseRangeChoice, parseTimezone } from '../query/viewing-validation.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { createHash } from 'node:crypto';
import { viewerIsLive, type ViewerTokensService } from '../console/viewer-tokens.service.js';
import { AppError, badInput, embedSignInRequired, embedUnavailable, embedViewerForbidden, notFound } from '../errors.js';
import { intersectScopes, scopeOf } from '../policies/data-access.js';
import { authorize, can, pageAccessOf } from '../policies/policies.js';
import type { PagesService } from '../pages/pages.service.js';
import type { Scope } from '../query/compiler.js';
import type { SecretsService } from '../secrets/secrets.service.js';
import type { BatchRead, BatchResult, Store } from '../store/port.js';
import type { IssuerKeys } from '../tokens/issuer-keys.js';
import type { IssuerAlgorithm } from '../tokens/jwt.js';
import {
  PageEmbedVerifier,
  peekPageEmbedTargets,
  peekSigner,
  SECRET_TRUST,
  signPageEmbedToken,
  type PageEmbedClaims,
  type PeekedToken,
  type TokenTrust,
} from '../tokens/page-embed-token.js';
import { decodeSegment } from '../tokens/shape.js';
import { TokenError } from '../tokens/token-error.js';
import type { SessionSubject } from '../tokens/user-tokens.js';
import type { UserSession, UsersService } from '../users/users.service.js';
import { dashboardOriginsOf } from '../workspaces/workspaces.service.js';
import { embedViewFor, type PageEmbedView } from './embed-details.js';
import { assertRenderCells, type EmbeddedPage, type PageRenderer, type PreparedRender } from './renderer.js';
import type { UsageRecorder } from './usage-recorder.js';
import { NO_TOKEN_VIEWING, resolveViewing, type TokenViewing, type ViewerChoices } from './viewing.js';

export const DEFAULT_TTL_SECONDS = 3600;
/** The console preview's lifetime: long enough to look, short enough not to matter if it leaks. */
export const PREVIEW_TTL_SECONDS = 300;
const MAX_LABEL = 100;
const MAX_RULES = 20;
const MAX_ORIGINS = 20;

export interface MintInput {
  pageId: string;
  audience: AudienceValue;
  ttlSeconds?: number | null;
  rules?: ReadonlyArray<{ field: string; op: string; value?: unknown }> | null;
  origins?: readonly string[] | null;
  label?: string | null;
  range?: { preset?: DateRangePreset | null; from?: Date | null; to?: Date | null } | null;
  viewerCanChangeRange?: boolean | null;
  timezone?: string | null;
  locale?: string | null;
  theme?: Theme | null;
  /** The formats viewers may download its widgets in (claim `exports`). */
  exports?: readonly ExportFormatValue[] | null;
}

export interface MintedEmbed {
  id: string;
  /** The signing secret's id (the token's `kid`). */
  kid: string;
  token: string;
  expiresAt: Date;
  embedUrl: string;
  snippet: string;
  audience: AudienceValue;
}

/** Who signed a page embed token, as the load verifies it. */
interface Signer {
  key: CryptoKey;
  trust: TokenTrust;
  /** The signer's workspace (the token must name it); null when the signing secret is unknown or revoked. */
  workspaceId: string | null;
  /** Whom a token without `sub` is minted by: the secret's creator (an issuer's tokens must name one). */
  createdBy: string | null;
  /** The signing secret to mark used; null for an issuer. */
  secretId: string | null;
  /** What a self-minted token's record says signed it. */
  recordId: string;
  /** A revoked secret's own key (inspection only): the token is refused as SECRET_REVOKED once it verifies. */
  revoked?: boolean;
}

/** What a verified page embed token opens: the page, its scope and where it may be framed. */
export interface PageGrant {
  kind: 'page';
  page: PageDoc;
  workspaceSlug: string;
  scope: Scope;
  origins: string[];
  embedId: string | null;
  /** The signing secret that signed the token; null for a registered issuer's token. */
  secretId: string | null;
  /** The token's viewing claims (zone, locale, range lock). */
  viewing: TokenViewing;
  /** Whether the viewer presented may open it (PUBLIC: anyone); the HTML route serves the page either way. */
  admission: ViewerAdmission;
  /** What its render needs that was read with the token (data version, rollups): only the widgets are left to read. */
  prepared: PreparedRender;
  /** The token's `jti`. */
  jti: string;
  /** The formats its widgets may be downloaded in (claim `exports`). */
  exports: readonly ExportFormatValue[];
  /** The signed-in person viewing it (a principal of the token's workspace whose session holds), if any. */
  viewerId: string | null;
}

/**
 * What a page embed token named, as its inspection saw it: the signing secret its `kid` names
 * (revoked or not), the page, and — once the signature held — its claims (unverified by time).
 */
export interface PageTokenTrace {
  /** The signing secret (revoked or not) or registered issuer the token names, if it exists. */
  signer: { workspaceId: string; createdBy: string | null } | null;
  page: PageDoc | null;
  signed: boolean;
  claims: { audience: unknown; exp: unknown; sub: unknown } | null;
}

/** Marks the trace's token as signed under its secret, so its claims may be shown. */
function signedBy(trace: PageTokenTrace, token: unknown): void {
  const payload = decodeSegment(token as string, 1);
  trace.signed = true;
  trace.claims = { audience: payload['audience'], exp: payload['exp'], sub: payload['sub'] };
}

/**
 * Who may open a page embed (seed 004): PUBLIC anyone; SELF only its minter, signed in;
 * WORKSPACE any person of the token's workspace, signed in. The scope stays the token's.
 */
export type ViewerAdmission = 'admitted' | 'sign-in-required' | 'forbidden';

/** A user dashboard's viewer choices: one range for every page, and ranges for single pages (their pickers). */
export interface DashboardChoices extends ViewerChoices {
  ranges?: ReadonlyArray<{ pageId: string; range: NonNullable<ViewerChoices['range']> }> | null;
}

/** More than a dashboard shows (its pages together are bounded too): refused before any work. */
const MAX_DASHBOARD_RANGES = 50;

/** The choices one dashboard page is viewed with: its own range, else the dashboard's. */
function choicesFor(page: PageDoc, { range, ranges, timezone }: DashboardChoices): ViewerChoices {
  const own = ranges?.find((entry) => entry.pageId === page._id);
  return { range: own ? own.range : range, timezone };
}

/** What a verified dashboard session opens. */
export interface SessionGrant {
  kind: 'session';
  workspaceId: string;
  owner: string;
  origins: string[];
  /** What its render needs, read with the session's user (absent where only the frame-ancestors were wanted). */
  dashboard?: DashboardLoad;
}

/** Everything a dashboard render reads before its widgets, in one round trip. */
export interface DashboardLoad {
  workspace: WorkspaceDoc;
  /** The workspace's dashboard pages, in the order they were created. */
  pages: PageDoc[];
  /** Their authors (and creators, for pages saved before authors were kept), of this workspace only. */
  principals: PrincipalDoc[];
  /** The rollup specs the pages' stored ids name, and the workspace's marks (`RollupsService.readyFrom`). */
  specs: RollupSpecDoc[];
  marks: RollupMarkDoc[];
}

export type EmbedGrant = PageGrant | SessionGrant;

/** The viewing claims a minted token may carry (time zone, locale, range), signed beside the scope claims. */
type ViewingClaims = Pick<Partial<Parameters<typeof signPageEmbedToken>[0]>, 'tz' | 'locale' | 'theme' | 'range' | 'viewerCanChangeRange' | 'exports'>;

/** A fresh embed record: what differs between minted, preview and self-minted ones is given; the counters start empty. */
function newEmbedRecord(
  fields: Pick<PageEmbedDoc, '_id' | 'workspaceId' | 'pageId' | 'audience' | 'minterId' | 'minterName' | 'secretId' | 'expiresAt' | 'origins' | 'rules'> &
    Partial<Pick<PageEmbedDoc, 'label' | 'preview' | 'selfMinted' | 'jti' | 'exports'>>,
  now: Date,
): PageEmbedDoc {
  return { ...fields, createdAt: now, lastUsedAt: null, loadCount: 0, revokedAt: null };
}

/**
 * The record id of a self-minted token: derived from its workspace and `jti`, so the same `jti`
 * in two workspaces names two records, and no workspace can register another's first.
 */
const selfMintedRecordId = (workspaceId: string, jti: string): string =>
  `sm_${createHash('sha256').update(workspaceId).update('\0').update(jti).digest('base64url').slice(0, 32)}`;

/** When a token issued now for `ttlSeconds` expires, to the second (JWT times are whole seconds). */
const expiryAfter = (now: Date, ttlSeconds: number): Date => new Date((Math.floor(now.getTime() / 1000) + ttlSeconds) * 1000);

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Rough rendered heights (px) of each widget kind at a desktop width (client/src/styles/page.css), for the iframe snippet. */
const WIDGET_HEIGHTS = { NUMBER: 150, BAR: 330, LINE: 300, TABLE: 420 } as const;

/**
 * A height that fits the page, so an iframe pasted as is shows it whole (an iframe without
 * one is 150 px): title, range picker, then each widget card. The loader snippet sizes itself exactly.
 */
export function estimatePageHeight(page: PageDoc): number {
  const numbers = page.widgets.filter((widget) => widget.kind === 'NUMBER').length;
  // NUMBER cards sit three to a row; the others take a row each.
  const rows =
    Math.ceil(numbers / 3) * WIDGET_HEIGHTS.NUMBER +
    page.widgets.reduce((sum, widget) => sum + (widget.kind === 'NUMBER' ? 0 : WIDGET_HEIGHTS[widget.kind]), 0);
  return Math.min(4000, 90 + (page.dateRange ? 50 : 0) + rows + 16 * page.widgets.length);
}

/** A token's viewing claims as the renderer reads them; a malformed one is ignored, never trusted. */
function viewingOf(claims: {
  tz?: string | undefined;
  locale?: string | undefined;
  theme?: string | undefined;
  range?: { preset: DateRangePreset } | { from: string; to: string } | undefined;
  viewerCanChangeRange?: boolean | undefined;
}): TokenViewing {
  let range: RangeChoice | null = null;
  if (claims.range && 'preset' in claims.range) range = { preset: claims.range.preset };
  else if (claims.range) {
    const from = new Date(claims.range.from);
    const to = new Date(claims.range.to);
    // A self-minted token with an empty or reversed span fails closed: it is refused, not widened.
    if (!(to.getTime() > from.getTime())) throw new TokenError('BAD_CLAIMS');
    range = { from, to };
  }
  const theme = claims.theme === 'light' || claims.theme === 'dark' || claims.theme === 'auto' ? (claims.theme.toUpperCase() as Theme) : null;
  return { tz: claims.tz ?? null, locale: claims.locale ?? null, theme, range, viewerCanChangeRange: claims.viewerCanChangeRange ?? null };
}

/**
 * Minting, listing and revoking page embeds, and opening embed credentials on every load.
 */
export class EmbedsService {
  readonly #verifier = new PageEmbedVerifier();
  constructor(
    private readonly store: Store,
    private readonly pages: PagesService,
    private readonly secrets: SecretsService,
    private readonly issuerKeys: IssuerKeys,
    private readonly users: UsersService,
    private readonly viewerTokens: ViewerTokensService,
    private readonly renderer: PageRenderer,
    private readonly usage: UsageRecorder,
    private readonly clock: Clock,
    private readonly publicUrl: () => string,
    /** PORTHOLE_MAX_EMBED_TTL_DAYS in seconds: the longest any page embed token may live. */
    private readonly maxTtlSeconds: number,
    /** The audit trail (self-minted registrations, sampled opens); null in tests that do without. */
    private readonly audit: AuditService | null = null,
  ) {}

  /** The longest lifetime a page embed token may have (PORTHOLE_MAX_EMBED_TTL_DAYS), for clients to offer. */
  get maxEmbedTtlSeconds(): number {
    return this.maxTtlSeconds;
  }

  async mint(viewer: Viewer, input: MintInput): Promise<MintedEmbed> {
    const page = await this.pages.get(viewer, input.pageId);
    if (input.audience === 'public')
      authorize(viewer, 'page:mint-public', page, { code: 'FORBIDDEN', message: 'Only a workspace admin may mint a public embed.' });
    else authorize(viewer, 'page:mint', page, { code: 'NOT_FOUND', what: 'Page' });
    const ttlSeconds = input.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > this.maxTtlSeconds) {
      throw badInput(`ttlSeconds must be 1–${this.maxTtlSeconds} (${this.maxTtlSeconds / 86_400} days, PORTHOLE_MAX_EMBED_TTL_DAYS).`);
    }
    if ((input.rules?.length ?? 0) > MAX_RULES) throw badInput(`At most ${MAX_RULES} rules.`);
    if ((input.origins?.length ?? 0) > MAX_ORIGINS) throw badInput(`At most ${MAX_ORIGINS} origins.`);
    const rules = (input.rules ?? []).map((rule, index) => parseRule(rule, `rules[${index}]`));
    const origins = [...new Set((input.origins ?? []).map(parseOrigin))];
    const label = input.label?.trim() || null;
    if (label && label.length > MAX_LABEL) throw badInput(`label must be at most ${MAX_LABEL} characters.`);
    const tz = input.timezone ? parseTimezone(input.timezone, 'timezone') : undefined;
    const locale = input.locale ? parseLocale(input.locale, 'locale') : undefined;
    const range = input.range ? parseRangeChoice(input.range, 'range') : undefined;
    const exports = [...new Set(input.exports ?? [])];
    if (exports.some((format) => format !== 'csv' && format !== 'xlsx')) throw badInput('exports: CSV or XLSX.');
    const now = this.clock.now();
    const expiresAt = expiryAfter(now, ttlSeconds);
    const record = newEmbedRecord(
      {
        _id: newId(),
        workspaceId: viewer.workspace._id,
        pageId: page._id,
        audience: input.audience,
        minterId: viewer.principal._id,
        minterName: viewer.principal.name,
        label,
        secretId: '',
        expiresAt,
        origins,
        rules,
        ...(exports.length > 0 && { exports }),
      },
      now,
    );
    const viewing: ViewingClaims = {
      ...(tz && { tz }),
      ...(locale && { locale }),
      ...(input.theme && { theme: input.theme.toLowerCase() }),
      ...(range && { range: 'preset' in range ? { preset: range.preset } : { from: range.from.toISOString(), to: range.to.toISOString() } }),
      ...(input.viewerCanChangeRange != null && { viewerCanChangeRange: input.viewerCanChangeRange }),
      ...(exports.length > 0 && { exports }),
    };
    return this.#issue(viewer, page, record, viewing, async (secretId) => {
      await this.store.pageEmbeds.insertOne({ ...record, secretId });
    });
  }

  /**
   * The console's live preview of a page for the caller: a SELF token of PREVIEW_TTL_SECONDS on one
   * record per page and caller, re-signed (same `jti`) on every renewal, so the page's list of embeds
   * does not grow with every visit; `list` leaves it out.
   */
  async preview(viewer: Viewer, pageId: string): Promise<MintedEmbed> {
    const page = await this.pages.get(viewer, pageId);
    authorize(viewer, 'page:mint', page, { code: 'NOT_FOUND', what: 'Page' });
    const now = this.clock.now();
    const expiresAt = expiryAfter(now, PREVIEW_TTL_SECONDS);
    // An ended preview keeps its record (revoked) until it expires, so its token stays ended;
    // a new preview after it starts a record of its own.
    const current = await this.#previewRecord(viewer, page._id);
    const record =
      current ??
      newEmbedRecord(
        {
          _id: newId(),
          workspaceId: viewer.workspace._id,
          pageId: page._id,
          audience: 'self',
          minterId: viewer.principal._id,
          minterName: viewer.principal.name,
          label: null,
          preview: true,
          secretId: '',
          expiresAt,
          origins: [],
          rules: [],
        },
        now,
      );
    return this.#issue(viewer, page, { ...record, expiresAt }, {}, async (secretId) => {
      if (current) await this.store.pageEmbeds.updateOne({ _id: current._id }, { set: { expiresAt, secretId } });
      else await this.store.pageEmbeds.insertOne({ ...record, expiresAt, secretId });
    });
  }

  /** Ends the caller's preview of a page now; a later preview starts a new record. */
  async endPreview(viewer: Viewer, pageId: string): Promise<boolean> {
    const existing = await this.#previewRecord(viewer, pageId);
    if (!existing) return false;
    await this.store.pageEmbeds.updateOne({ _id: existing._id }, { set: { revokedAt: this.clock.now() } });
    return true;
  }

  /** The caller's live (not ended) preview record of the page, if any. */
  #previewRecord(viewer: Viewer, pageId: string): Promise<PageEmbedDoc | null> {
    return this.store.pageEmbeds.findOne({ workspaceId: viewer.workspace._id, pageId, minterId: viewer.principal._id, preview: true, revokedAt: null });
  }

  /** Signs a token for the record with the newest signing secret, then stores the record through `save`. */
  async #issue(viewer: Viewer, page: PageDoc, record: PageEmbedDoc, viewing: ViewingClaims, save: (secretId: string) => Promise<void>): Promise<MintedEmbed> {
    const secret = await this.secrets.newestActive(viewer.workspace._id);
    if (!secret) {
      throw badInput(
        'This workspace has no active signing secret. An admin can create one with createSigningSecret (console: Settings → Developer → Embedding).',
      );
    }
    const { _id: id, audience, rules, origins, expiresAt } = record;
    const token = await signPageEmbedToken(
      { ws: viewer.workspace._id, page: page._id, audience, sub: viewer.principal._id, jti: id, rules, origins, ...viewing },
      secret.key,
      secret.doc._id,
      this.clock.now(),
      expiresAt,
    );
    await save(secret.doc._id);
    const embedUrl = `${this.publicUrl()}/embed-page/${encodeURIComponent(viewer.workspace.slug)}/${page._id}?t=${token}`;
    const snippet = `<iframe src="${escapeHtml(embedUrl)}" title="${escapeHtml(page.title)}" style="width:100%;height:${estimatePageHeight(page)}px;border:0" loading="lazy"></iframe>`;
    return { id, kid: secret.doc._id, token, expiresAt, embedUrl, snippet, audience };
  }

  /** The page's embeds, newest first, without anyone's console preview; details only for those who need to know them. */
  async list(viewer: Viewer, pageId: string): Promise<PageEmbedView[]> {
    const page = await this.pages.get(viewer, pageId);
    const embeds = await this.store.pageEmbeds.find({ workspaceId: viewer.workspace._id, pageId }, { sort: { createdAt: -1, _id: 1 } });
    return embeds.filter((embed) => !embed.preview).map((embed) => embedViewFor(viewer.principal, embed, page));
  }

  /**
   * Revokes one embed without touching the others: its minter, an admin or an editor of the
   * page may. An embed of a page the viewer cannot see is NOT_FOUND.
   */
  async revoke(viewer: Viewer, id: string): Promise<PageEmbedView> {
    // An embed's id is its token's `jti` (a self-minted one is stored under its workspace and jti).
    const embed = await this.#embedRecord(viewer.workspace._id, id);
    if (!embed) throw notFound('Page embed');
    const page = await this.store.pages.findOne({ _id: embed.pageId, workspaceId: viewer.workspace._id });
    if (page && !can(viewer.principal, 'page:view', page)) throw notFound('Page embed');
    authorize(
      viewer,
      'page-embed:revoke',
      { embed, page },
      { code: 'FORBIDDEN', message: 'Only its minter, an editor of the page or an admin may revoke this embed.' },
    );
    if (embed.revokedAt) return embedViewFor(viewer.principal, embed, page);
    const revoked = (await this.store.pageEmbeds.updateOne({ _id: embed._id }, { set: { revokedAt: this.clock.now() } }))!;
    return embedViewFor(viewer.principal, revoked, page);
  }

  /**
   * Verifies a page embed token on a load: shape, then the signing secret by `kid` (looked
   * up every time, so revocation is immediate), signature and claims (jti, iat and exp
   * required, lifetime capped), then workspace, page, embed record, minter and author.
   * The scope is the minter's access ∩ the page author's access, both as they are *now*, so
   * narrowing either, or editing the page, can only narrow what an embed shows.
   * Every failure is the same EMBED_UNAVAILABLE.
   *
   * `viewerToken` (the `X-Porthole-Viewer` header) is judged only once the embed token holds,
   * into `admission`: its session and person are read in the same two round trips.
   */
  async openPageToken(token: unknown, viewerToken?: string): Promise<PageGrant> {
    try {
      return await this.#judgePageToken(token, viewerToken, null);
    } catch (error) {
      if (error instanceof TokenError || error instanceof AppError) throw embedUnavailable();
      throw error;
    }
  }

  /**
   * `openPageToken` for `inspectEmbedToken`: the same checks in the same order (one judge, so the
   * reasons cannot drift from what a load decides), with two differences: a revoked secret's own
   * key verifies the signature (so SECRET_REVOKED is told apart from a forgery; the token is
   * refused either way), and nothing is written (a self-minted token is not registered). The
   * trace says what the token named, for the caller to decide what the asker may see.
   */
  async inspectPageToken(token: unknown): Promise<{ grant: PageGrant | null; refusal: TokenError | null; trace: PageTokenTrace }> {
    const trace: PageTokenTrace = { signer: null, page: null, signed: false, claims: null };
    try {
      return { grant: await this.#judgePageToken(token, undefined, trace), refusal: null, trace };
    } catch (error) {
      if (error instanceof TokenError) return { grant: null, refusal: error, trace };
      if (error instanceof AppError) return { grant: null, refusal: new TokenError('BAD_CLAIMS'), trace };
      throw error;
    }
  }

  /** Every check of a page embed token on a load (see `openPageToken`); each refusal a `TokenError` naming its reason. */
  async #judgePageToken(token: unknown, viewerToken: string | undefined, trace: PageTokenTrace | null): Promise<PageGrant> {
    // One round trip for everything a load reads (the secret, what the token names, the viewer's
    // session, the page's author and rollups): the ids are read before the signature is checked,
    // and the documents used only once the verified claims agree.
    const named = this.#verifier.peek(token) ?? { ...peekSigner(token), ...peekPageEmbedTargets(token as string) };
    const viewer = await this.viewerTokens.verify(viewerToken);
    // The viewer's person comes with the minter and author, when it is of this workspace at all.
    const viewerId = viewer && viewer.workspaceId === named.ws ? viewer.principalId : null;
    const load = await this.#readLoad(named, viewer?.sessionId ?? null, viewerId);
    const { page, workspace, embed: found, session: viewerSession, principals } = load;
    if (trace) {
      const known = named.iss === null ? load.secret : load.issuer;
      trace.signer = known ? { workspaceId: known.workspaceId, createdBy: named.iss === null ? (load.secret?.createdBy ?? null) : null } : null;
      trace.page = page;
    }
    const now = this.clock.now();
    const signer = named.iss === null ? await this.#secretSigner(load.secret, trace !== null) : await this.#issuerSigner(load.issuer, named);
    let claims: Readonly<PageEmbedClaims>;
    try {
      claims = await this.#verifier.verify(token, signer.key, now, this.maxTtlSeconds, signer.trust);
    } catch (error) {
      // jose checks the signature before any claim: a refusal for a claim means the signature held.
      if (trace && error instanceof TokenError && error.code !== 'MALFORMED' && error.code !== 'BAD_SIGNATURE') signedBy(trace, token);
      throw error;
    }
    if (trace) signedBy(trace, token);
    // Only an inspection verifies under a revoked secret's key (see `inspectPageToken`).
    if (signer.revoked) throw new TokenError('SECRET_REVOKED');
    if (!signer.workspaceId || claims.ws !== signer.workspaceId) throw new TokenError('BAD_CLAIMS');
    // A registered issuer signs as a principal it names: it has no creator to fall back on.
    if (named.iss !== null && claims.sub === undefined) throw new TokenError('BAD_CLAIMS');
    // A valid signature covers the bytes peeked above, so these agree; checked all the same.
    if (claims.ws !== named.ws || claims.page !== named.page || claims.jti !== named.jti || (claims.sub ?? null) !== named.sub) {
      throw new TokenError('BAD_CLAIMS');
    }
    if (!workspace) throw new TokenError('BAD_CLAIMS');
    if (!page) throw new TokenError('PAGE_DELETED');
    const minterId = claims.sub ?? signer.createdBy;
    const authorId = pageAccessOf(page).authorId;
    const minter = principals.find((principal) => principal._id === minterId);
    const author = principals.find((principal) => principal._id === authorId);
    if (!minter) throw new TokenError('MINTER_LOST_ACCESS');
    // A deleted author makes the page render nothing until an editor saves it again.
    if (!author) throw new TokenError('AUTHOR_DELETED');
    // The minter must still be allowed to mint this audience of this page (access, role).
    if (!can(minter, claims.audience === 'public' ? 'page:mint-public' : 'page:mint', page)) throw new TokenError('MINTER_LOST_ACCESS');
    const rules = claims.rules.map((rule) => parseRule(rule, 'token rule'));
    const origins = claims.origins.map(parseOrigin);
    const viewing = viewingOf(claims);
    // Registered only now, once every check of the token has passed: a refused token is never listed
    // (and an inspection registers nothing).
    const embed = found ?? (trace ? null : await this.#registerSelfMinted(claims, rules, page, minter, signer.recordId, now));
    if (embed?.revokedAt) throw new TokenError('REVOKED');
    if (embed && (embed.pageId !== page._id || embed.workspaceId !== workspace._id)) throw new TokenError('BAD_CLAIMS');
    let admission: ViewerAdmission = 'admitted';
    if (claims.audience !== 'public') {
      const person = viewerId ? principals.find((principal) => principal._id === viewerId) : null;
      if (!viewer || (viewerId && !viewerIsLive(viewer, viewerSession, person, now))) admission = 'sign-in-required';
      else if (!viewerId || (claims.audience === 'self' && viewerId !== minter._id)) admission = 'forbidden';
    }
    return {
      kind: 'page',
      page,
      workspaceSlug: workspace.slug,
      scope: intersectScopes(scopeOf(minter, rules), scopeOf(author)),
      origins,
      embedId: embed?._id ?? null,
      secretId: signer.secretId,
      viewing,
      admission,
      prepared: this.renderer.prepare(page, workspace, load.specs, load.marks),
      jti: claims.jti,
      exports: claims.exports ?? [],
      viewerId: admission === 'admitted' ? viewerId : null,
    };
  }

  /**
   * A workspace signing secret as a verifier: its key (a decoy's when it is unknown or revoked, so
   * a miss costs what a hit costs) under HS256 and `porthole:embed`. `revokedKey` (inspection
   * only): a revoked secret's own key, marked `revoked`, so the token is still refused.
   */
  async #secretSigner(doc: SigningSecretDoc | null, revokedKey = false): Promise<Signer> {
    const { secret, key } = await this.secrets.activeOrDecoy(doc, { revokedKey });
    return {
      key,
      trust: SECRET_TRUST,
      workspaceId: secret?.doc.workspaceId ?? null,
      createdBy: secret?.doc.createdBy ?? null,
      secretId: secret?.doc._id ?? null,
      recordId: secret?.doc._id ?? '',
      revoked: revokedKey && Boolean(doc?.revokedAt),
    };
  }

  /**
   * A registered issuer as a verifier: the live issuer of the token's workspace and `iss` (read
   * with the rest of the load), its key for the header's `kid` (its JWKS fetched only on a cold or
   * unknown key, outside the store's round trips), its algorithm allowlist, `iss` and `aud`.
   */
  async #issuerSigner(doc: TokenIssuerDoc | null, named: PeekedToken): Promise<Signer> {
    if (!doc || doc.revokedAt || doc.issuer !== named.iss || !doc.algorithms.includes(named.alg as IssuerAlgorithm)) throw new TokenError('BAD_SIGNATURE');
    const key = await this.issuerKeys.key({ id: doc._id, jwksUrl: doc.jwksUrl, publicKeyPem: doc.publicKeyPem }, named.kid, named.alg as IssuerAlgorithm);
    return {
      key,
      trust: { algorithms: doc.algorithms, issuer: doc.issuer, audience: doc.audience },
      workspaceId: doc.workspaceId,
      createdBy: null,
      secretId: null,
      recordId: `issuer:${doc._id}`,
    };
  }

  /**
   * The embed record a token's `jti` names in its workspace: one Porthole minted (its `_id` is the
   * `jti`) or a self-minted one registered there (keyed by workspace and `jti`, so another
   * workspace can never take a `jti` first). Records of other workspaces are never found.
   */
  async #embedRecord(workspaceId: string, jti: string): Promise<PageEmbedDoc | null> {
    const [record] = await this.store.pageEmbeds.find({ workspaceId, _id: { oneOf: [jti, selfMintedRecordId(workspaceId, jti)] } }, { limit: 1 });
    return record ?? null;
  }

  /**
   * Everything a page load reads, in one round trip (`readBatch`), by the ids the token names
   * (peeked, trusted only once it verifies): the signing secret (with the principal who created
   * it, the minter of a token without `sub`), the workspace, the page with its author and the
   * rollups its widgets are answered from, the embed record, the minter and the viewer's person,
   * the viewer's console session, and the workspace's rollup marks. The embed record is found as
   * `#embedRecord` finds it. Every principal and record read is of the token's workspace.
   */
  async #readLoad(named: PeekedToken, sessionId: string | null, viewerId: string | null) {
    const ws = named.ws;
    const reads: Record<string, BatchRead> = {};
    if (named.iss === null) reads['secret'] = { from: 'signingSecrets', match: { _id: named.kid } };
    if (ws) {
      const inWorkspace = { workspaceId: ws };
      if (named.iss === null) reads['secret'] = { ...reads['secret']!, joins: { creator: { from: 'principals', field: 'createdBy', match: inWorkspace } } };
      // A registered issuer's token: its live issuer in the token's workspace, by `iss`.
      else reads['issuer'] = { from: 'tokenIssuers', match: { workspaceId: ws, issuer: named.iss, revokedAt: null }, limit: 1 };
      reads['workspace'] = { from: 'workspaces', match: { _id: ws } };
      reads['marks'] = { from: 'rollupMarks', match: inWorkspace };
      const people = [...new Set([named.sub, viewerId].filter((id): id is string => id !== null))];
      if (people.length > 0) reads['principals'] = { from: 'principals', match: { workspaceId: ws, _id: { oneOf: people } } };
      if (named.page) {
        reads['page'] = {
          from: 'pages',
          match: { _id: named.page, workspaceId: ws },
          joins: {
            author: { from: 'principals', field: 'authorId', match: inWorkspace },
            creator: { from: 'principals', field: 'createdBy', match: inWorkspace },
            specs: { from: 'rollupSpecs', field: 'rollupSpecIds', match: inWorkspace },
          },
        };
      }
      if (named.jti)
        reads['embed'] = { from: 'pageEmbeds', match: { workspaceId: ws, _id: { oneOf: [named.jti, selfMintedRecordId(ws, named.jti)] } }, limit: 1 };
    }
    if (sessionId) reads['session'] = { from: 'consoleSessions', match: { _id: sessionId } };
    const found = Object.keys(reads).length > 0 ? await this.store.readBatch(reads) : {};
    const docs = <T>(name: string): T[] => (found[name]?.docs ?? []) as unknown as T[];
    const joined = <T>(name: string, join: string): T[] => (found[name]?.joined[join] ?? []) as unknown as T[];
    return {
      secret: docs<SigningSecretDoc>('secret')[0] ?? null,
      issuer: docs<TokenIssuerDoc>('issuer')[0] ?? null,
      workspace: docs<WorkspaceDoc>('workspace')[0] ?? null,
      page: docs<PageDoc>('page')[0] ?? null,
      embed: docs<PageEmbedDoc>('embed')[0] ?? null,
      session: docs<ConsoleSessionDoc>('session')[0] ?? null,
      principals: [
        ...docs<PrincipalDoc>('principals'),
        ...joined<PrincipalDoc>('secret', 'creator'),
        ...joined<PrincipalDoc>('page', 'author'),
        ...joined<PrincipalDoc>('page', 'creator'),
      ],
      specs: joined<RollupSpecDoc>('page', 'specs'),
      marks: docs<RollupMarkDoc>('marks'),
    };
  }

  /**
   * A valid token signed outside Porthole is recorded on its first load (insert-if-absent by
   * workspace and `jti`), so it is listed with the page's embeds and can be revoked on its own.
   */
  async #registerSelfMinted(claims: PageEmbedClaims, rules: Rule[], page: PageDoc, minter: PrincipalDoc, secretId: string, now: Date): Promise<PageEmbedDoc> {
    const record = newEmbedRecord(
      {
        _id: selfMintedRecordId(page.workspaceId, claims.jti),
        workspaceId: page.workspaceId,
        pageId: page._id,
        audience: claims.audience,
        minterId: minter._id,
        minterName: minter.name,
        secretId,
        expiresAt: new Date(claims.exp * 1000),
        origins: claims.origins,
        rules,
        selfMinted: true,
        jti: claims.jti,
        ...(claims.exports && claims.exports.length > 0 && { exports: [...claims.exports] }),
      },
      now,
    );
    if (await this.store.pageEmbeds.insertIfAbsent(record)) {
      // Not awaited: this is a first load's render path (the append is drained on shutdown).
      void this.audit?.record({
        workspaceId: page.workspaceId,
        action: 'embed.self-minted-registered',
        actor: principalActor(minter._id),
        targets: { pageId: page._id, embedId: claims.jti },
        jti: claims.jti,
        kid: secretId,
        origin: 'embed',
        detail: { audience: claims.audience },
      });
      return record;
    }
    // Another load registered it first: judge the record that is there.
    const existing = await this.store.pageEmbeds.findOne({ _id: record._id, workspaceId: page.workspaceId });
    if (!existing) throw new TokenError('BAD_CLAIMS');
    return existing;
  }

  /**
   * Opens a dashboard session; the frame-ancestors come from the workspace's allowed origins. The
   * token is the server's own (no store read to verify it); one round trip then reads its user,
   * the workspace and what the dashboard's render needs (`DashboardLoad`), so the render has only
   * its widgets left to read.
   */
  async openSession(authToken: unknown, verified?: SessionSubject): Promise<SessionGrant> {
    const subject = verified ?? (await this.users.verifySession(authToken));
    const found = await this.store.readBatch({
      user: { from: 'users', match: { _id: subject.userId, workspaceId: subject.workspaceId } },
      ...this.#dashboardReads(subject.workspaceId),
    });
    const session = this.users.liveSession(subject, (found['user']!.docs[0] as unknown as UserDoc | undefined) ?? null);
    const dashboard = this.#dashboardFrom(found);
    if (!dashboard) throw embedUnavailable();
    const { workspace } = dashboard;
    return { kind: 'session', workspaceId: workspace._id, owner: session.user.externalId, origins: dashboardOriginsOf(workspace), dashboard };
  }

  /** What a dashboard render reads: the workspace, its dashboard pages with their authors and rollup specs, its rollup marks. */
  #dashboardReads(workspaceId: string): Record<string, BatchRead> {
    const inWorkspace = { workspaceId };
    return {
      workspace: { from: 'workspaces', match: { _id: workspaceId } },
      pages: {
        from: 'pages',
        match: { workspaceId, dashboard: true },
        joins: {
          author: { from: 'principals', field: 'authorId', match: inWorkspace },
          creator: { from: 'principals', field: 'createdBy', match: inWorkspace },
          specs: { from: 'rollupSpecs', field: 'rollupSpecIds', match: inWorkspace },
        },
      },
      marks: { from: 'rollupMarks', match: inWorkspace },
    };
  }

  /** `#dashboardReads`' documents as a `DashboardLoad` (pages in the order they were created), or null without a workspace. */
  #dashboardFrom(found: Record<string, BatchResult>): DashboardLoad | null {
    const workspace = found['workspace']!.docs[0] as unknown as WorkspaceDoc | undefined;
    if (!workspace) return null;
    const pages = found['pages']!;
    return {
      workspace,
      pages: (pages.docs as unknown as PageDoc[]).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)),
      principals: [...(pages.joined['author'] ?? []), ...(pages.joined['creator'] ?? [])] as unknown as PrincipalDoc[],
      specs: (pages.joined['specs'] ?? []) as unknown as RollupSpecDoc[],
      marks: found['marks']!.docs as unknown as RollupMarkDoc[],
    };
  }

  /** What a user's embed token may frame, for the dashboard page (verified, but no session minted). */
  async openUserEmbedToken(embedToken: unknown): Promise<SessionGrant> {
    return this.#grantFor(await this.users.verifyEmbedToken(embedToken));
  }

  async #grantFor(session: UserSession): Promise<SessionGrant> {
    const workspace = await this.store.workspaces.findOne({ _id: session.workspaceId });
    if (!workspace) throw embedUnavailable();
    return { kind: 'session', workspaceId: workspace._id, owner: session.user.externalId, origins: dashboardOriginsOf(workspace) };
  }

  /**
   * Opens either credential for a data request: page embed tokens name a `kid`, session tokens
   * do not. A valid SELF or WORKSPACE page token renders only for a viewer it admits
   * (EMBED_SIGN_IN_REQUIRED, EMBED_VIEWER_FORBIDDEN); an invalid one is EMBED_UNAVAILABLE first.
   * `session`: `token` verified as a dashboard session already (`UsersService.sessionEndUser`), not verified again.
   */
  async open(token: unknown, viewerToken?: string, session?: SessionSubject | null): Promise<EmbedGrant> {
    if (session) return this.openSession(token, session);
    if (!this.#verifier.peek(token)) {
      try {
        peekSigner(token);
      } catch {
        return this.openSession(token);
      }
    }
    const grant = await this.openPageToken(token, viewerToken);
    if (grant.admission === 'sign-in-required') throw embedSignInRequired();
    if (grant.admission === 'forbidden') throw embedViewerForbidden();
    return grant;
  }

  /**
   * Renders the page for a verified token. A load is counted here, once per data request, not per
   * HTML fetch (per embed and viewer too), and the open is audited (sampled): neither waits.
   */
  renderPage(grant: PageGrant, choices: ViewerChoices = {}, address: string | null = null): Promise<EmbeddedPage> {
    const viewing = resolveViewing(grant.page, grant.viewing, choices, this.clock.now());
    this.usage.recordLoad(grant.embedId, grant.secretId, grant.viewerId);
    if (this.audit && grant.embedId) {
      const addressDigest = this.audit.addressDigest(address);
      this.audit.recordOpen(
        {
          workspaceId: grant.page.workspaceId,
          action: 'embed.open',
          actor: grant.viewerId ? { kind: 'viewer', id: grant.viewerId, addressDigest } : { kind: 'anonymous', id: null, addressDigest },
          targets: { pageId: grant.page._id, embedId: grant.jti },
          jti: grant.jti,
          kid: grant.secretId,
          origin: 'embed',
        },
        grant.viewerId ?? addressDigest ?? 'anonymous',
      );
    }
    return this.renderer.render(grant.page, grant.scope, viewing, grant.prepared);
  }

  /** The page exactly as `renderPage` renders it for the same grant and choices, for an export (counted as an export, not a load). */
  renderForExport(grant: PageGrant, choices: ViewerChoices): Promise<EmbeddedPage> {
    const viewing = resolveViewing(grant.page, grant.viewing, choices, this.clock.now());
    return this.renderer.render(grant.page, grant.scope, viewing, grant.prepared);
  }

  /**
   * The workspace's dashboard pages, each within the session user's own records ∩ the page
   * author's access. A page whose author no longer exists is left out (fail closed). Each page is
   * viewed in the range `ranges` names for it (its own picker), else in `range` (the host page's),
   * leniently: a page that cannot take it keeps its own, so one page never refuses the others.
   */
  async renderDashboard(grant: SessionGrant, choices: DashboardChoices = {}): Promise<EmbeddedPage[]> {
    const ranges = choices.ranges ?? [];
    if (ranges.length > MAX_DASHBOARD_RANGES) throw badInput(`ranges: at most ${MAX_DASHBOARD_RANGES}.`);
    const load = grant.dashboard ?? this.#dashboardFrom(await this.store.readBatch(this.#dashboardReads(grant.workspaceId)));
    if (!load) throw embedUnavailable();
    const { pages } = load;
    assertRenderCells(pages);
    const userScope: Scope = { workspaceId: grant.workspaceId, owners: [grant.owner], rules: [] };
    const now = this.clock.now();
    const items = pages.flatMap((page) => {
      const author = load.principals.find((principal) => principal._id === pageAccessOf(page).authorId);
      return author
        ? [
            {
              page,
              scope: intersectScopes(userScope, scopeOf(author)),
              viewing: resolveViewing(page, NO_TOKEN_VIEWING, choicesFor(page, choices), now, true),
              rollups: this.renderer.prepare(page, load.workspace, load.specs, load.marks).rollups,
            },
          ]
        : [];
    });
    // Every page's widgets in one round trip.
    return this.renderer.renderAll(items, load.workspace.dataVersion ?? 0);
  }
}
