import { TokenError } from './token-error.js';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
export const MAX_TOKEN_LENGTH = 4096;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * True when a segment of base64url characters is canonical unpadded base64url: re-encoding its bytes gives the same
 * text. jose accepts padding and non-zero trailing bits; we do not, so one token has exactly one spelling.
 *
 * Decided without decoding (every render checks its token's three segments, and a decode and re-encode cost more
 * than the rest of the check): a length of 4n + 1 leaves a character that encodes no whole byte, and the last
 * character of a 4n + 2 (4n + 3) long segment carries 4 (2) bits past the last byte, which must be zero.
 * `tests/unit/tokens.test.ts` compares it with re-encoding.
 */
export function isCanonicalBase64Url(segment: string): boolean {
  const rest = segment.length % 4;
  if (rest === 1) return false;
  if (rest === 0) return true;
  const last = BASE64URL.indexOf(segment[segment.length - 1]!);
  return last !== -1 && last % (rest === 2 ? 16 : 4) === 0;
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
