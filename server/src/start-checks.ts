import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';

/**
 * Checks `npm start` makes before it opens anything: each failure is one line for the operator
 * (what is wrong and which setting changes it), not a stack trace after the store was opened.
 */
export class StartCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartCheckError';
  }
}

/** Creates the data folder (only this user may enter it) and makes sure the server can read and write there. */
export async function prepareDataDir(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await access(folder, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unusable';
    throw new StartCheckError(`the data folder ${folder} cannot be used (${code}): fix its permissions, or set PORTHOLE_DATA_DIR to another folder`);
  }
}

/**
 * Binds the port and lets it go again, so a port in use is found before the store opens and the demo
 * is seeded. (Something could still take it in between; the real listen then fails the same way.)
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(portError(port, host, error)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** The one line for a port the server cannot listen on. */
export function portError(port: number, host: string, error: NodeJS.ErrnoException): StartCheckError {
  if (error.code === 'EADDRINUSE')
    return new StartCheckError(`port ${port} is already in use: stop what is using it, or set PORT to another port (PORT=${port + 1} npm start)`);
  if (error.code === 'EACCES') return new StartCheckError(`port ${port} needs privileges this process does not have: set PORT to a port above 1023`);
  if (error.code === 'EADDRNOTAVAIL') return new StartCheckError(`HOST ${host} is not an address of this machine: set HOST to one that is (or 0.0.0.0)`);
  return new StartCheckError(`cannot listen on port ${port} (${error.code ?? 'error'}): set PORT to another port`);
}
