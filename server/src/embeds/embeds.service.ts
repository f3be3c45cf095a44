import { newId } from '../crypto/random.js';
import type { AudienceValue, PageDoc, PageEmbedDoc, PrincipalDoc, Rule } from '../domain/types.js';
import { parseOrigin, parseRule } from '../domain/validation.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { AppError, badInput, embedUnavailable, forbidden, notFound } from '../errors.js';
import type { PagesService } from '../pages/pages.service.js';
import type { Scope } from '../query/compiler.js';
import type { SecretsService } from '../secrets/secrets.service.js';
import type { Store } from '../store/port.js';
import { peekSigningSecretId, signPageEmbedToken, verifyPageEmbedToken } from '../tokens/page-embed-token.js';
import { TokenError } from '../tokens/token-error.js';
import type { UserSession, UsersService } from '../users/users.service.js';
import type { EmbeddedPage, PageRenderer } from './renderer.js';
import type { UsageRecorder } from './usage-recorder.js';

export const DEFAULT_TTL_SECONDS = 3600;
export const MAX_TTL_SECONDS = 30 * 24 * 3600;
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
}

export interface MintedEmbed {
  id: string;
  token: string;
  expiresAt: Date;
  embedUrl: string;
  snippet: string;
  audience: AudienceValue;
}

/** What a verified page embed token opens: the page, its scope and where it may be framed. */
export interface PageGrant {
  kind: 'page';
  page: PageDoc;
  workspaceSlug: string;
  scope: Scope;
  origins: string[];
  embedId: string | null;
  secretId: string;
}

/** What a verified dashboard session opens. */
export interface SessionGrant {
  kind: 'session';
  workspaceId: string;
  owner: string;
  origins: string[];
}

export type EmbedGrant = PageGrant | SessionGrant;

/** The scope a principal may read, narrowed by extra rules. Every embed is clamped to this. */
export function scopeOf(principal: PrincipalDoc, extraRules: readonly Rule[]): Scope {
  return {
    workspaceId: principal.workspaceId,
    owners: principal.dataAccess.all ? null : [...principal.dataAccess.owners],
    rules: [...principal.dataAccess.rules, ...extraRules],
  };
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * Minting, listing and revoking page embeds, and opening embed credentials on every load.
 */
export class EmbedsService {
  constructor(
    private readonly store: Store,
    private readonly pages: PagesService,
    private readonly secrets: SecretsService,
    private readonly users: UsersService,
    private readonly renderer: PageRenderer,
    private readonly usage: UsageRecorder,
    private readonly clock: Clock,
    private readonly publicUrl: () => string,
  ) {}

  async mint(viewer: Viewer, input: MintInput): Promise<MintedEmbed> {
    const page = await this.pages.get(viewer, input.pageId);
    if (input.audience === 'public' && viewer.principal.role !== 'ADMIN') throw forbidden('Only a workspace admin may mint a public embed.');
    const ttlSeconds = input.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) throw badInput(`ttlSeconds must be 1–${MAX_TTL_SECONDS} (30 days).`);
    if ((input.rules?.length ?? 0) > MAX_RULES) throw badInput(`At most ${MAX_RULES} rules.`);
    if ((input.origins?.length ?? 0) > MAX_ORIGINS) throw badInput(`At most ${MAX_ORIGINS} origins.`);
    const rules = (input.rules ?? []).map((rule, index) => parseRule(rule, `rules[${index}]`));
    const origins = [...new Set((input.origins ?? []).map(parseOrigin))];
    const label = input.label?.trim() || null;
    if (label && label.length > MAX_LABEL) throw badInput(`label must be at most ${MAX_LABEL} characters.`);
    const now = this.clock.now();
    const expiresAt = new Date((Math.floor(now.getTime() / 1000) + ttlSeconds) * 1000);
    const record: PageEmbedDoc = {
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
      createdAt: now,
      lastUsedAt: null,
      loadCount: 0,
      revokedAt: null,
    };
    return this.#issue(viewer, page, record, async (secretId) => {
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
    const now = this.clock.now();
    const expiresAt = new Date((Math.floor(now.getTime() / 1000) + PREVIEW_TTL_SECONDS) * 1000);
    const existing = await this.#previewRecord(viewer, page._id);
    if (existing?.revokedAt) await this.store.pageEmbeds.deleteOne({ _id: existing._id });
    const current = existing && !existing.revokedAt ? existing : null;
    const record: PageEmbedDoc = current ?? {
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
      createdAt: now,
      lastUsedAt: null,
      loadCount: 0,
      revokedAt: null,
    };
    return this.#issue(viewer, page, { ...record, expiresAt }, async (secretId) => {
      if (current) await this.store.pageEmbeds.updateOne({ _id: current._id }, { set: { expiresAt, secretId } });
      else await this.store.pageEmbeds.insertOne({ ...record, expiresAt, secretId });
    });
  }

  /** Ends the caller's preview of a page now; a later preview starts a new record. */
  async endPreview(viewer: Viewer, pageId: string): Promise<boolean> {
    const existing = await this.#previewRecord(viewer, pageId);
    if (!existing || existing.revokedAt) return false;
    await this.store.pageEmbeds.updateOne({ _id: existing._id }, { set: { revokedAt: this.clock.now() } });
    return true;
  }

  #previewRecord(viewer: Viewer, pageId: string): Promise<PageEmbedDoc | null> {
    return this.store.pageEmbeds.findOne({ workspaceId: viewer.workspace._id, pageId, minterId: viewer.principal._id, preview: true });
  }

  /** Signs a token for the record with the newest signing secret, then stores the record through `save`. */
  async #issue(viewer: Viewer, page: PageDoc, record: PageEmbedDoc, save: (secretId: string) => Promise<void>): Promise<MintedEmbed> {
    const secret = await this.secrets.newestActive(viewer.workspace._id);
    if (!secret) {
      throw badInput(
        'This workspace has no active signing secret. An admin can create one with createSigningSecret (console: Settings → Developer → Embedding).',
      );
    }
    const { _id: id, audience, rules, origins, expiresAt } = record;
    const token = await signPageEmbedToken(
      { ws: viewer.workspace._id, page: page._id, audience, sub: viewer.principal._id, jti: id, rules, origins },
      secret.key,
      secret.doc._id,
      this.clock.now(),
      expiresAt,
    );
    await save(secret.doc._id);
    const embedUrl = `${this.publicUrl()}/embed-page/${encodeURIComponent(viewer.workspace.slug)}/${page._id}?t=${token}`;
    const snippet = `<iframe src="${escapeHtml(embedUrl)}" style="width:100%;border:0" loading="lazy"></iframe>`;
    return { id, token, expiresAt, embedUrl, snippet, audience };
  }

  /** The page's embeds, newest first, without anyone's console preview. */
  async list(viewer: Viewer, pageId: string): Promise<PageEmbedDoc[]> {
    await this.pages.get(viewer, pageId);
    const embeds = await this.store.pageEmbeds.find({ workspaceId: viewer.workspace._id, pageId }, { sort: { createdAt: -1 } });
    return embeds.filter((embed) => !embed.preview);
  }

  /** Revokes one embed without touching the others; members may revoke their own, admins any. */
  async revoke(viewer: Viewer, id: string): Promise<PageEmbedDoc> {
    const embed = await this.store.pageEmbeds.findOne({ _id: id, workspaceId: viewer.workspace._id });
    if (!embed) throw notFound('Page embed');
    if (embed.minterId !== viewer.principal._id && viewer.principal.role !== 'ADMIN') throw forbidden('Only its minter or an admin may revoke this embed.');
    if (embed.revokedAt) return embed;
    return (await this.store.pageEmbeds.updateOne({ _id: id }, { set: { revokedAt: this.clock.now() } }))!;
  }

  /**
   * Verifies a page embed token on a load: shape, then the signing secret by `kid` (looked
   * up every time, so revocation is immediate), signature and claims, then workspace, page,
   * embed record and minter, clamping the scope to the minter as it is *now*.
   * Every failure is the same EMBED_UNAVAILABLE.
   */
  async openPageToken(token: unknown): Promise<PageGrant> {
    try {
      const kid = peekSigningSecretId(token);
      const secret = await this.secrets.findActive(kid);
      const claims = await verifyPageEmbedToken(token, secret?.key ?? this.secrets.decoyKey, this.clock.now());
      if (!secret || claims.ws !== secret.doc.workspaceId) throw new TokenError('BAD_CLAIMS');
      const [page, workspace, embed] = await Promise.all([
        this.store.pages.findOne({ _id: claims.page, workspaceId: claims.ws }),
        this.store.workspaces.findOne({ _id: claims.ws }),
        claims.jti ? this.store.pageEmbeds.findOne({ _id: claims.jti }) : null,
      ]);
      if (!page || !workspace) throw new TokenError('BAD_CLAIMS');
      if (embed && (embed.revokedAt || embed.pageId !== page._id || embed.workspaceId !== workspace._id)) throw new TokenError('BAD_CLAIMS');
      const minter = await this.store.principals.findOne({ _id: claims.sub ?? secret.doc.createdBy, workspaceId: workspace._id });
      if (!minter || (claims.audience === 'public' && minter.role !== 'ADMIN')) throw new TokenError('BAD_CLAIMS');
      const rules = claims.rules.map((rule) => parseRule(rule, 'token rule'));
      const origins = claims.origins.map(parseOrigin);
      return {
        kind: 'page',
        page,
        workspaceSlug: workspace.slug,
        scope: scopeOf(minter, rules),
        origins,
        embedId: embed?._id ?? null,
        secretId: secret.doc._id,
      };
    } catch (error) {
      if (error instanceof TokenError || error instanceof AppError) throw embedUnavailable();
      throw error;
    }
  }

  /** Opens a dashboard session; the frame-ancestors come from the workspace's allowed origins. */
  async openSession(authToken: unknown): Promise<SessionGrant> {
    return this.#grantFor(await this.users.resolveSession(authToken));
  }

  /** What a user's embed token may frame, for the dashboard page (verified, but no session minted). */
  async openUserEmbedToken(embedToken: unknown): Promise<SessionGrant> {
    return this.#grantFor(await this.users.verifyEmbedToken(embedToken));
  }

  async #grantFor(session: UserSession): Promise<SessionGrant> {
    const workspace = await this.store.workspaces.findOne({ _id: session.workspaceId });
    if (!workspace) throw embedUnavailable();
    return { kind: 'session', workspaceId: workspace._id, owner: session.user.externalId, origins: workspace.allowedOrigins };
  }

  /** Opens either credential: page embed tokens name a `kid`, session tokens do not. */
  async open(token: unknown): Promise<EmbedGrant> {
    try {
      peekSigningSecretId(token);
    } catch {
      return this.openSession(token);
    }
    return this.openPageToken(token);
  }

  /** Renders the page for a verified token. A load is counted here, once per data request, not per HTML fetch. */
  renderPage(grant: PageGrant): Promise<EmbeddedPage> {
    this.usage.recordLoad(grant.embedId, grant.secretId);
    return this.renderer.render(grant.page, grant.scope);
  }

  /** The workspace's dashboard pages, each scoped to the session's user. */
  async renderDashboard(grant: SessionGrant): Promise<EmbeddedPage[]> {
    const pages = await this.store.pages.find({ workspaceId: grant.workspaceId, dashboard: true }, { sort: { createdAt: 1 } });
    const scope: Scope = { workspaceId: grant.workspaceId, owners: [grant.owner], rules: [] };
    return Promise.all(pages.map((page) => this.renderer.render(page, scope)));
  }
}
