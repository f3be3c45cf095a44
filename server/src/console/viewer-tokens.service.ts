import type { ConsoleSessionDoc, PrincipalDoc } from '../domain/types.js';
import type { Clock } from '../domain/viewer.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/port.js';
import { TokenError } from '../tokens/token-error.js';
import { signViewerToken, verifyViewerToken, VIEWER_TOKEN_TTL_SECONDS, type ViewerSubject } from '../tokens/viewer-token.js';
import type { ConsoleSessionsService } from './console-sessions.service.js';

export interface IssuedViewerToken {
  /** Never stored, never logged. */
  token: string;
  expiresAt: Date;
}

/**
 * Whether a verified viewer token still speaks for a person: its console session is live and
 * belongs to that person, who still exists in the token's workspace. The one rule, used where a
 * viewer token is renewed and where an embed load admits a viewer.
 */
export function viewerIsLive(subject: ViewerSubject, session: ConsoleSessionDoc | null, principal: PrincipalDoc | null | undefined, now: Date): boolean {
  return (
    session !== null &&
    session.expiresAt.getTime() > now.getTime() &&
    session.principalId === subject.principalId &&
    session.workspaceId === subject.workspaceId &&
    principal != null &&
    principal._id === subject.principalId &&
    principal.workspaceId === subject.workspaceId
  );
}

const SIGNED_OUT = (): AppError => new AppError('UNAUTHENTICATED', 'Sign in to Porthole first.');

/**
 * Viewer tokens: a signed-in person's identity, handed to embed iframes on other sites (see
 * `tokens/viewer-token.ts`). Issued from a console session (its cookie, or the viewer bridge
 * cookie under the Storage Access API), and renewed by the iframe with the token itself while
 * its session lives, so a view outlasts the token's 15 minutes without another popup.
 */
export class ViewerTokensService {
  constructor(
    private readonly store: Store,
    private readonly sessions: ConsoleSessionsService,
    private readonly key: Uint8Array,
    private readonly clock: Clock,
  ) {}

  /** Verifies the signature and claims only (no store read); null for anything that is not a valid viewer token. */
  async verify(token: string | undefined): Promise<ViewerSubject | null> {
    if (!token || token.length > 2048) return null;
    try {
      return await verifyViewerToken(token, this.key, this.clock.now());
    } catch (error) {
      if (error instanceof TokenError) return null;
      throw error;
    }
  }

  /** A viewer token for the person of a live console session; UNAUTHENTICATED otherwise. */
  async issue(sessionToken: string | undefined): Promise<IssuedViewerToken> {
    const session = await this.sessions.resolveSession(sessionToken);
    if (!session) throw SIGNED_OUT();
    return this.#sign(
      { principalId: session.viewer.principal._id, workspaceId: session.viewer.workspace._id, sessionId: session.sessionId },
      session.expiresAt,
    );
  }

  /** A fresh token for the same person and session, while that session lives; UNAUTHENTICATED otherwise. */
  async renew(viewerToken: string | undefined): Promise<IssuedViewerToken> {
    const subject = await this.verify(viewerToken);
    if (!subject) throw SIGNED_OUT();
    const [session, principal] = await Promise.all([
      this.store.consoleSessions.findOne({ _id: subject.sessionId }),
      this.store.principals.findOne({ _id: subject.principalId, workspaceId: subject.workspaceId }),
    ]);
    if (!viewerIsLive(subject, session, principal, this.clock.now())) throw SIGNED_OUT();
    return this.#sign(subject, session!.expiresAt);
  }

  /** Never outlives the session it speaks for. */
  async #sign(subject: ViewerSubject, sessionExpiresAt: Date): Promise<IssuedViewerToken> {
    const now = this.clock.now();
    const expiresAt = new Date(Math.min(now.getTime() + VIEWER_TOKEN_TTL_SECONDS * 1000, sessionExpiresAt.getTime()));
    return { token: await signViewerToken(subject, this.key, now, expiresAt), expiresAt };
  }
}
