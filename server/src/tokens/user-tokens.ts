import { z } from 'zod';
import { ISSUER, signCompactJws, signJwt, verifyJwt } from './jwt.js';
import { assertCompactJws, decodeSegment } from './shape.js';
import { TokenError } from './token-error.js';

/**
 * The partner flow's two tokens.
 *
 * - The **embed token** is signed with a 256-bit secret unique to the user. It carries no
 *   expiry; rotating the user's secret is what retires it, so exactly one is valid per user.
 *   Its claims are fixed for a given secret, so the current token can be re-derived on demand
 *   and never needs to be stored. It is compact (under 200 characters, for query parameters
 *   and data attributes): header `{"alg":"HS256"}` and exactly the claims `sub`, `ws`, `v`.
 *   That exact claim set is its type: every other Porthole token carries `aud` (and a session
 *   `exp`), so none of them can pass for an embed token, nor an embed token for one of them.
 * - The **session token** (`authToken`) is signed with the server's session key, lives for
 *   a short time, and names the secret version it was issued under, so a rotation ends it.
 */

/** An embed token's claims, exactly: anything more or less is not an embed token. */
const embedClaims = z.strictObject({ sub: z.string().min(1).max(64), ws: z.string().min(1).max(64), v: z.string().min(1).max(64) });
const SESSION_AUDIENCE = 'porthole:session';

export interface UserTokenSubject {
  userId: string;
  workspaceId: string;
  secretVersion: string;
}

const toSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export function signUserEmbedToken(subject: UserTokenSubject, secret: Uint8Array): Promise<string> {
  return signCompactJws({ sub: subject.userId, ws: subject.workspaceId, v: subject.secretVersion }, secret);
}

/** Reads whose token this claims to be, before the key to verify it is known. Unverified. */
export function peekUserEmbedToken(token: unknown): { userId: string; workspaceId: string; version: unknown } {
  assertCompactJws(token);
  const payload = decodeSegment(token, 1);
  if (typeof payload['sub'] !== 'string' || typeof payload['ws'] !== 'string') throw new TokenError('MALFORMED');
  return { userId: payload['sub'], workspaceId: payload['ws'], version: payload['v'] };
}

export async function verifyUserEmbedToken(token: unknown, secret: Uint8Array, now: Date): Promise<UserTokenSubject> {
  const payload = await verifyJwt(token, secret, { requiredClaims: ['sub', 'ws', 'v'], now });
  const claims = embedClaims.safeParse(payload);
  if (!claims.success) throw new TokenError('BAD_CLAIMS');
  return { userId: claims.data.sub, workspaceId: claims.data.ws, secretVersion: claims.data.v };
}

/** A session names the user's secret version and session epoch: rotation or suspension ends it. */
export interface SessionSubject extends UserTokenSubject {
  epoch: number;
}

export function signSessionToken(subject: SessionSubject, key: Uint8Array, now: Date, ttlSeconds: number): Promise<string> {
  return signJwt({ iss: ISSUER, sub: subject.userId, ws: subject.workspaceId, v: subject.secretVersion, e: subject.epoch }, key, {
    audience: SESSION_AUDIENCE,
    issuedAt: toSeconds(now),
    expiresAt: toSeconds(now) + ttlSeconds,
  });
}

/**
 * True when a token's unverified payload names the session audience. Anything else would certainly fail
 * `verifySessionToken`; a caller that only wants a session, if it is one, skips the HMAC and the thrown error.
 */
export function claimsSessionAudience(token: unknown): boolean {
  try {
    assertCompactJws(token);
    return decodeSegment(token, 1)['aud'] === SESSION_AUDIENCE;
  } catch {
    return false;
  }
}

export async function verifySessionToken(token: unknown, key: Uint8Array, now: Date): Promise<SessionSubject> {
  const payload = await verifyJwt(token, key, {
    audience: SESSION_AUDIENCE,
    issuer: ISSUER,
    requiredClaims: ['sub', 'ws', 'v', 'e', 'exp'],
    now,
  });
  const epoch = payload['e'];
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0) throw new TokenError('BAD_CLAIMS');
  return { ...readSubject(payload), epoch };
}

function readSubject(payload: Record<string, unknown>): UserTokenSubject {
  const { sub, ws, v } = payload;
  if (typeof sub !== 'string' || typeof ws !== 'string' || typeof v !== 'string') throw new TokenError('BAD_CLAIMS');
  return { userId: sub, workspaceId: ws, secretVersion: v };
}
