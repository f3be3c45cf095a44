import { ISSUER, signJwt, verifyJwt } from './jwt.js';
import { assertCompactJws, decodeSegment } from './shape.js';
import { TokenError } from './token-error.js';

/**
 * The partner flow's two tokens.
 *
 * - The **embed token** is signed with a 256-bit secret unique to the user. It carries no
 *   expiry; rotating the user's secret is what retires it, so exactly one is valid per user.
 *   Its claims are fixed for a given secret, so the current token can be re-derived on demand
 *   and never needs to be stored.
 * - The **session token** (`authToken`) is signed with the server's session key, lives for
 *   a short time, and names the secret version it was issued under, so a rotation ends it.
 */

const EMBED_AUDIENCE = 'porthole:user-embed';
const SESSION_AUDIENCE = 'porthole:session';

export interface UserTokenSubject {
  userId: string;
  workspaceId: string;
  secretVersion: string;
}

const toSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export function signUserEmbedToken(subject: UserTokenSubject, secret: Uint8Array, issuedAt: Date): Promise<string> {
  return signJwt({ iss: ISSUER, sub: subject.userId, ws: subject.workspaceId, v: subject.secretVersion }, secret, {
    audience: EMBED_AUDIENCE,
    issuedAt: toSeconds(issuedAt),
  });
}

/** Reads whose token this claims to be, before the key to verify it is known. Unverified. */
export function peekUserEmbedToken(token: unknown): { userId: string; workspaceId: string } {
  assertCompactJws(token);
  const payload = decodeSegment(token, 1);
  if (typeof payload['sub'] !== 'string' || typeof payload['ws'] !== 'string') throw new TokenError('MALFORMED');
  return { userId: payload['sub'], workspaceId: payload['ws'] };
}

export async function verifyUserEmbedToken(token: unknown, secret: Uint8Array, now: Date): Promise<UserTokenSubject> {
  const payload = await verifyJwt(token, secret, { audience: EMBED_AUDIENCE, issuer: ISSUER, requiredClaims: ['sub', 'ws', 'v'], now });
  return readSubject(payload);
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
