import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { assertCompactJws } from './shape.js';
import { TokenError } from './token-error.js';

/** The only algorithm Porthole signs, and accepts from its own secrets. */
export const ALGORITHMS = ['HS256'] as const;
/** The asymmetric algorithms a registered token issuer may be allowed (its own allowlist is a subset). */
export const ISSUER_ALGORITHMS = ['ES256', 'EdDSA', 'RS256'] as const;
export type IssuerAlgorithm = (typeof ISSUER_ALGORITHMS)[number];
export const ISSUER = 'porthole';

export interface SignOptions {
  audience: string;
  kid?: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresAt?: number;
}

/** Signs claims as an HS256 JWT. */
export async function signJwt(claims: JWTPayload, key: Uint8Array, options: SignOptions): Promise<string> {
  const header = options.kid ? { alg: 'HS256', typ: 'JWT', kid: options.kid } : { alg: 'HS256', typ: 'JWT' };
  let jwt = new SignJWT(claims).setProtectedHeader(header).setAudience(options.audience).setIssuedAt(options.issuedAt);
  if (options.expiresAt !== undefined) jwt = jwt.setExpirationTime(options.expiresAt);
  return jwt.sign(key);
}

/**
 * Signs claims as the smallest HS256 compact JWS: header `{"alg":"HS256"}` and the claims as
 * given, nothing added (no `typ`, `aud` or `iat`), for tokens that must stay short.
 */
export function signCompactJws(claims: JWTPayload, key: Uint8Array): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
}

export interface VerifyOptions {
  /** The `aud` the token must carry; absent for compact tokens, whose callers check the exact claim set. */
  audience?: string;
  issuer?: string;
  /** Default `ALGORITHMS` (HS256); a registered issuer's tokens name its own allowlist. */
  algorithms?: readonly string[];
  requiredClaims: string[];
  /** The clock; tests freeze it. */
  now: Date;
}

/**
 * Verifies a JWT (HS256 unless `algorithms` says otherwise): shape first, then the algorithm allowlist and signature, then
 * audience, issuer, expiry and required claims. Every failure is a `TokenError`.
 */
export async function verifyJwt(token: unknown, key: Uint8Array | CryptoKey, options: VerifyOptions): Promise<JWTPayload> {
  assertCompactJws(token);
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [...(options.algorithms ?? ALGORITHMS)],
      ...(options.audience ? { audience: options.audience } : {}),
      ...(options.issuer ? { issuer: options.issuer } : {}),
      requiredClaims: options.requiredClaims,
      currentDate: options.now,
      clockTolerance: 0,
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenError('EXPIRED');
    if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JOSEAlgNotAllowed) {
      throw new TokenError('BAD_SIGNATURE');
    }
    // jose checks `nbf` with the other claims; a token that is not valid yet is told apart for inspectEmbedToken.
    if (error instanceof errors.JWTClaimValidationFailed)
      throw new TokenError(error.claim === 'nbf' && error.reason === 'check_failed' ? 'NOT_YET_VALID' : 'BAD_CLAIMS');
    throw new TokenError('MALFORMED');
  }
}
