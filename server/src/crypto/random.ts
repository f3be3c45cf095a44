import { randomBytes } from 'node:crypto';

/** A URL-safe random string carrying `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

let lastMillis = 0;
let sequence = 0;

/**
 * A new document id, 28 hex characters: milliseconds, a per-process sequence, then 48
 * random bits. Ids from one process sort in creation order, which keeps cursor
 * pagination stable; the random part keeps instances from colliding.
 */
export function newId(): string {
  const now = Date.now();
  sequence = now === lastMillis ? (sequence + 1) & 0xffff : 0;
  lastMillis = now;
  return now.toString(16).padStart(12, '0') + sequence.toString(16).padStart(4, '0') + randomBytes(6).toString('hex');
}
