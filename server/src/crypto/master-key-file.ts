import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The master key's file name inside the data folder. */
export const MASTER_KEY_FILE = 'master.key';

/** A master key file that exists but cannot be used: generating a new key would make every sealed secret unreadable. */
export class MasterKeyFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`the master key file ${file} ${reason}`);
    this.name = 'MasterKeyFileError';
  }
}

/**
 * The embedded default's master key, kept in the data folder so that secrets sealed under it (signing
 * secrets) open again after a restart: read when the file exists, otherwise 32 random bytes written
 * to a new file that only this user may read (mode 0600; `wx` so two starts never write two keys).
 * The key is never logged; the file is named so an operator can back it up with the data.
 */
export async function loadOrCreateMasterKey(folder: string): Promise<{ key: Uint8Array; file: string; created: boolean }> {
  const file = join(folder, MASTER_KEY_FILE);
  try {
    return { key: await readKey(file), file, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = new Uint8Array(randomBytes(32));
  let handle;
  try {
    handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (error) {
    // Another process wrote it first: use that one.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { key: await readKey(file), file, created: false };
    throw new MasterKeyFileError(file, `cannot be written (${(error as NodeJS.ErrnoException).code ?? 'write failed'})`);
  }
  try {
    await handle.writeFile(`${Buffer.from(key).toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { key, file, created: true };
}

async function readKey(file: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw error;
    throw new MasterKeyFileError(file, `cannot be read (${code ?? 'read failed'})`);
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length < 32) throw new MasterKeyFileError(file, 'does not hold a key of 32 bytes in base64');
  // Others able to read the key could open every sealed secret: say so rather than silently use it.
  if (((await stat(file)).mode & 0o077) !== 0) throw new MasterKeyFileError(file, 'is readable by other users (run: chmod 600 on it)');
  return new Uint8Array(key);
}
