import { z } from 'zod';
import { ISSUER, signJwt, verifyJwt } from './jwt.js';
import { TokenError } from './token-error.js';

/**
 * The viewer token: who is looking at a SELF or WORKSPACE page embed inside a cross-site
 * iframe, where the console's cookie cannot reach (no third-party cookies). The console's
 * sign-in popup hands it to the iframe by `postMessage`; the iframe keeps it in memory and
 * sends it as `X-Porthole-Viewer`. It names the console session it came from (`sid`), so
 * signing out (or "Sign out everywhere") ends it on the next load, whatever its `exp`.
 *
 * Its own audience keeps it apart from every other token signed with the session key: a
 * dashboard `authToken` cannot pass for a viewer, nor a viewer token for anything else.
 */
const VIEWER_AUDIENCE = 'porthole:viewer';

/** Short: it is a bearer in a frame's memory. The iframe renews it (with itself) before it ends. */
export const VIEWER_TOKEN_TTL_SECONDS = 15 * 60;

const viewerClaims = z.object({
  sub: z.string().min(1).max(64),
  ws: z.string().min(1).max(64),
  sid: z.string().min(1).max(128),
});

export interface ViewerSubject {
  principalId: string;
  workspaceId: string;
  /** The console session (its stored id) the token was issued under. */
  sessionId: string;
}

const toSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export function signViewerToken(subject: ViewerSubject, key: Uint8Array, now: Date, expiresAt: Date): Promise<string> {
  return signJwt({ iss: ISSUER, sub: subject.principalId, ws: subject.workspaceId, sid: subject.sessionId }, key, {
    audience: VIEWER_AUDIENCE,
    issuedAt: toSeconds(now),
    expiresAt: toSeconds(expiresAt),
  });
}

/** Verifies a viewer token: HS256 only, this audience and issuer, `exp` required; every failure a `TokenError`. */
export async function verifyViewerToken(token: unknown, key: Uint8Array, now: Date): Promise<ViewerSubject> {
  const payload = await verifyJwt(token, key, { audience: VIEWER_AUDIENCE, issuer: ISSUER, requiredClaims: ['sub', 'ws', 'sid', 'exp', 'iat'], now });
  const claims = viewerClaims.safeParse(payload);
  if (!claims.success) throw new TokenError('BAD_CLAIMS');
  return { principalId: claims.data.sub, workspaceId: claims.data.ws, sessionId: claims.data.sid };
}
