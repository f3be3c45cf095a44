import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { safeEqual } from './safe-equal.js';

/**
 * Password hashing with scrypt (memory-hard: each guess costs 64 MiB as well as time), through
 * Node's asynchronous `scrypt`, which runs on libuv's thread pool and never blocks the event loop.
 *
 * A hash is stored as `$scrypt$ln=16,r=8,p=1$<salt>$<key>` (PHC string format, base64url without
 * padding): the parameters travel with each hash, so raising them later only changes new hashes,
 * and `needsRehash` says which stored ones are below the current parameters.
 */

/** N = 2^16, r = 8, p = 1: 128 · N · r = 64 MiB of memory per hash, about 0.1–0.2 s of one core. */
export const PASSWORD_HASH_PARAMETERS = { logN: 16, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Parameters read back from a stored hash are bounded, so a tampered row cannot make us allocate gigabytes. */
const MAX_LOG_N = 20;
const MAX_R = 16;
const MAX_P = 4;

/** Passwords are chosen by people: at least this many characters (code points). */
export const MIN_PASSWORD_LENGTH = 12;
/** Generous for passphrases and managers; bounds the work a request can ask for. */
export const MAX_PASSWORD_LENGTH = 1024;

interface Parameters {
  logN: number;
  r: number;
  p: number;
}

/** scrypt needs 128 · N · r bytes; Node refuses above `maxmem` (32 MiB by default), so it is set for each call. */
const maxmemFor = ({ logN, r }: Parameters): number => 128 * 2 ** logN * r + 16 * 1024 * 1024;

function derive(password: string, salt: Buffer, parameters: Parameters): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** parameters.logN, r: parameters.r, p: parameters.p, maxmem: maxmemFor(parameters) };
  return new Promise((resolve, reject) => {
    // NFKC: the same password typed on another keyboard or OS (composed or decomposed accents) is the same password.
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const encode = (parameters: Parameters, salt: Buffer, key: Buffer): string =>
  `$scrypt$ln=${parameters.logN},r=${parameters.r},p=${parameters.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;

function decode(stored: string): { parameters: Parameters; salt: Buffer; key: Buffer } | null {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d)\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/.exec(stored);
  if (!match) return null;
  const parameters = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (parameters.logN < 10 || parameters.logN > MAX_LOG_N || parameters.r < 1 || parameters.r > MAX_R || parameters.p < 1 || parameters.p > MAX_P) return null;
  return { parameters, salt: Buffer.from(match[4]!, 'base64url'), key: Buffer.from(match[5]!, 'base64url') };
}

/** A new hash of `password` under the current parameters and a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return encode(PASSWORD_HASH_PARAMETERS, salt, await derive(password, salt, PASSWORD_HASH_PARAMETERS));
}

/**
 * Whether `password` matches `stored`, compared in constant time. An unreadable stored value
 * answers false after the same work as a real comparison, so it cannot be told apart by timing.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const decoded = decode(stored);
  if (!decoded) {
    await derive(password, randomBytes(SALT_BYTES), PASSWORD_HASH_PARAMETERS);
    return false;
  }
  const key = await derive(password, decoded.salt, decoded.parameters);
  return safeEqual(key, decoded.key);
}

/** Whether a stored hash was made with weaker parameters than the current ones (re-hash it at the next sign-in). */
export function needsRehash(stored: string): boolean {
  const decoded = decode(stored);
  if (!decoded) return true;
  const { logN, r, p } = decoded.parameters;
  return logN < PASSWORD_HASH_PARAMETERS.logN || r < PASSWORD_HASH_PARAMETERS.r || p < PASSWORD_HASH_PARAMETERS.p;
}
