import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runUntilExit } from '../support/server-process.js';

/**
 * What the operator sees when `npm start` cannot start: one line naming the problem and the setting
 * that fixes it, exit code 1, and nothing opened before (no store, no snapshot, no key written).
 */

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'porthole-start-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The lines a failed start wrote to stderr (the runtime's own warnings left out). */
const linesOf = (stderr: string) => stderr.split('\n').filter((line) => line.trim() !== '');

test('a port already taken is answered in one line naming the port and PORT, before the store is opened', async () => {
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  const dataDir = join(scratch, 'port');
  try {
    const { code, stdout, stderr } = await runUntilExit({ PORT: String(port), PORTHOLE_STORE: 'memory', PORTHOLE_DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(linesOf(stderr)).toEqual([
      `porthole: port ${port} is already in use: stop what is using it, or set PORT to another port (PORT=${port + 1} npm start)`,
    ]);
    expect(stdout).toBe('');
    // Nothing was opened: no snapshot, no master key.
    expect(await readdir(dataDir)).toEqual([]);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
}, 60_000);

test('a data folder the server cannot use is answered in one line naming it and PORTHOLE_DATA_DIR', async () => {
  // A folder under a file: unusable even for root (whom permission bits would not stop).
  const file = join(scratch, 'a-file');
  await writeFile(file, 'not a folder');
  const { code, stdout, stderr } = await runUntilExit({ PORT: '0', PORTHOLE_STORE: 'memory', PORTHOLE_DATA_DIR: join(file, 'data') });
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(linesOf(stderr)).toEqual([
    `porthole: the data folder ${join(file, 'data')} cannot be used (ENOTDIR): fix its permissions, or set PORTHOLE_DATA_DIR to another folder`,
  ]);
}, 60_000);

test('a malformed MONGODB_URI is answered in one line, without a stack trace', async () => {
  const { code, stderr } = await runUntilExit({
    PORT: '0',
    MONGODB_URI: 'mongodb://db.example.com:notaport/porthole',
    PORTHOLE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    PORTHOLE_DATA_DIR: '',
  });
  expect(code).toBe(1);
  const lines = linesOf(stderr);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^porthole: .*MONGODB_URI/);
  expect(stderr).not.toMatch(/\n\s+at /);
}, 60_000);
