import type { AudienceValue, PageDoc, UserDoc } from '../domain/types.js';
import type { Viewer } from '../domain/viewer.js';
import { can } from '../policies/policies.js';
import type { PrincipalsService } from '../principals/principals.service.js';
import { assertCompactJws, decodeSegment } from '../tokens/shape.js';
import type { TokenErrorCode } from '../tokens/token-error.js';
import type { UsersService } from '../users/users.service.js';
import type { EmbedsService } from './embeds.service.js';

export type TokenKind = 'PAGE_EMBED' | 'USER_EMBED' | 'DASHBOARD_SESSION' | 'API_KEY' | 'UNKNOWN';
export type InspectionReason = TokenErrorCode | 'NOT_AN_EMBED_CREDENTIAL';

/** What `inspectEmbedToken` answers. Everything but `kind: UNKNOWN` is of the asker's workspace and visible to it. */
export interface TokenInspectionResult {
  kind: TokenKind;
  valid: boolean;
  reason: InspectionReason | null;
  expiresAt: Date | null;
  audience: AudienceValue | null;
  pageId: string | null;
  page: PageDoc | null;
  user: UserDoc | null;
}

const UNKNOWN: TokenInspectionResult = { kind: 'UNKNOWN', valid: false, reason: null, expiresAt: null, audience: null, pageId: null, page: null, user: null };
/** A string that is no token of any kind: saying so tells nothing about any workspace (the shape is public). */
const NOT_A_TOKEN: TokenInspectionResult = { ...UNKNOWN, reason: 'MALFORMED' };
const API_KEY_PREFIX = 'ph_';
const AUDIENCES: readonly string[] = ['self', 'workspace', 'public'];

/**
 * The diagnostic channel for engineers (issue 23): why a credential would or would not open an
 * embed. The public keeps the one uniform answer; a signed-in principal asking here learns the
 * reason, for credentials of its own workspace that it may see (policies: `credential:inspect-*`).
 *
 * Each kind is judged by the code that judges it on a load (EmbedsService, UsersService), run in
 * full whoever's token it is, so a token of another workspace costs what one's own does; what the
 * asker may see is decided only afterwards, and anything else is UNKNOWN with no detail.
 */
export class TokenInspectionService {
  constructor(
    private readonly embeds: EmbedsService,
    private readonly users: UsersService,
    private readonly principals: PrincipalsService,
  ) {}

  async inspect(viewer: Viewer, raw: string): Promise<TokenInspectionResult> {
    const token = raw.trim();
    if (token.startsWith(API_KEY_PREFIX)) return this.#apiKey(viewer, token);
    let header: Record<string, unknown>;
    let payload: Record<string, unknown>;
    try {
      assertCompactJws(token);
      header = decodeSegment(token, 0);
      payload = decodeSegment(token, 1);
    } catch {
      return NOT_A_TOKEN;
    }
    if ('kid' in header) return this.#pageEmbed(viewer, token);
    if (payload['aud'] === 'porthole:session') return this.#session(viewer, token);
    if (!('aud' in payload)) return this.#userEmbed(viewer, token);
    return UNKNOWN;
  }

  async #pageEmbed(viewer: Viewer, token: string): Promise<TokenInspectionResult> {
    const { grant, refusal, trace } = await this.embeds.inspectPageToken(token);
    const { signer } = trace;
    // Only a signing secret (or registered issuer) of the asker's workspace makes a token its to know about.
    if (!signer || signer.workspaceId !== viewer.workspace._id) return UNKNOWN;
    const page = trace.signed && trace.page?.workspaceId === signer.workspaceId ? trace.page : null;
    const claims = trace.signed ? trace.claims : null;
    const minterId = typeof claims?.sub === 'string' ? claims.sub : signer.createdBy;
    if (!can(viewer.principal, 'credential:inspect-page-embed', { workspaceId: signer.workspaceId, page, minterId })) return UNKNOWN;
    const audience = typeof claims?.audience === 'string' && AUDIENCES.includes(claims.audience) ? (claims.audience as AudienceValue) : null;
    return {
      kind: 'PAGE_EMBED',
      valid: grant !== null,
      reason: refusal?.code ?? null,
      expiresAt: typeof claims?.exp === 'number' ? new Date(claims.exp * 1000) : null,
      audience,
      pageId: claims ? (page?._id ?? pageIdOf(token)) : null,
      page,
      user: null,
    };
  }

  async #userEmbed(viewer: Viewer, token: string): Promise<TokenInspectionResult> {
    const { session, refusal, user } = await this.users.inspectEmbedToken(token);
    if (!this.#mayInspectUser(viewer, user)) return UNKNOWN;
    return { ...UNKNOWN, kind: 'USER_EMBED', valid: session !== null, reason: refusal?.code ?? null, user };
  }

  async #session(viewer: Viewer, token: string): Promise<TokenInspectionResult> {
    const { session, refusal, user, expiresAt } = await this.users.inspectSession(token);
    if (!this.#mayInspectUser(viewer, user)) return UNKNOWN;
    return { ...UNKNOWN, kind: 'DASHBOARD_SESSION', valid: session !== null, reason: refusal?.code ?? null, expiresAt, user };
  }

  #mayInspectUser(viewer: Viewer, user: UserDoc | null): user is UserDoc {
    return user !== null && user.workspaceId === viewer.workspace._id && can(viewer.principal, 'credential:inspect-user', user);
  }

  /** An API key pasted where an embed token belongs: named as such to its holder (and admins); it never opens an embed. */
  async #apiKey(viewer: Viewer, token: string): Promise<TokenInspectionResult> {
    const key = await this.principals.findApiKey(token);
    if (!key || key.workspaceId !== viewer.workspace._id || !can(viewer.principal, 'credential:inspect-api-key', key)) return UNKNOWN;
    return { ...UNKNOWN, kind: 'API_KEY', reason: key.revokedAt ? 'REVOKED' : 'NOT_AN_EMBED_CREDENTIAL' };
  }
}

/** The page id a signed token names (its page since deleted). */
function pageIdOf(token: string): string | null {
  const page = decodeSegment(token, 1)['page'];
  return typeof page === 'string' ? page : null;
}
