import { badInput } from '../errors.js';

/** RFC 5321's limit on a whole address. */
const MAX_EMAIL_LENGTH = 254;
/** One `@`, something on each side, no spaces: the mail server is the judge of the rest. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

/**
 * An email as people sign in with it: trimmed and lower-cased, so `Ada@Example.com` and
 * `ada@example.com` are one person (nearly every mail provider treats local parts that way).
 * Null when it cannot be an address.
 */
export function normalizeEmail(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const email = input.trim().toLowerCase();
  return email.length <= MAX_EMAIL_LENGTH && EMAIL_SHAPE.test(email) ? email : null;
}

/** `normalizeEmail`, or BAD_USER_INPUT. */
export function parseEmail(input: string): string {
  const email = normalizeEmail(input);
  if (!email) throw badInput('email must be an address such as ada@example.com (at most 254 characters).');
  return email;
}
