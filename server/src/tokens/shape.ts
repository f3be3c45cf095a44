import { TokenError } from './token-error.js';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
export const MAX_TOKEN_LENGTH = 4096;

/**
 * True when the segment is canonical unpadded base64url: re-encoding its bytes gives the
 * same text. jose accepts padding and non-zero trailing bits; we do not, so one token has
 * exactly one spelling.
 */
function isCanonicalBase64Url(segment: string): boolean {
  if (segment.length % 4 === 1) return false;
  return Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

/**
 * Checks a compact JWS's characters before any parsing: three canonical base64url
 * segments and nothing else. Throws `TokenError('MALFORMED')` otherwise.
 */
export function assertCompactJws(token: unknown): asserts token is string {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
    throw new TokenError('MALFORMED');
  }
  if (!token.split('.').every(isCanonicalBase64Url)) throw new TokenError('MALFORMED');
}

/** Decodes one JSON segment of a shape-checked token without verifying it. */
export function decodeSegment(token: string, index: 0 | 1): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new TokenError('MALFORMED');
  }
}
