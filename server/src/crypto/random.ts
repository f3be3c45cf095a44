import { randomBytes } from 'node:crypto';

/** A URL-safe random string carrying `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A new document id: a time prefix (so ids sort roughly by creation, which keeps
 * cursor pagination stable) followed by 64 random bits.
 */
export function newId(): string {
  return Date.now().toString(16).padStart(12, '0') + randomBytes(8).toString('hex');
}
