import { constants } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Logger } from 'pino';
import { MemoryStore } from './memory-store.js';

/** The snapshot's file name inside the data folder. */
export const SNAPSHOT_FILE = 'memory-store.v8';

/** How long after a change the snapshot is written: changes within it share one write. */
export const SNAPSHOT_DELAY_MS = 1000;

const FORMAT = 'porthole-memory-store';
const VERSION = 1;

/** A snapshot that exists but cannot be read: starting empty would overwrite the data, so the server refuses to start. */
export class SnapshotUnreadableError extends Error {
  constructor(file: string, reason: string) {
    super(`the memory store's snapshot ${file} cannot be read (${reason}); move it away to start empty`);
    this.name = 'SnapshotUnreadableError';
  }
}

/**
 * Keeps the memory store on disk, for `npm start` where no mongod can be had: loaded at start,
 * written within `SNAPSHOT_DELAY_MS` of a change and on shutdown. Each write is atomic — a
 * temporary file, fsync'd, renamed over the last one, and the folder fsync'd — so the file is
 * always one whole snapshot, old or new, whatever moment the process dies at; a crash loses at
 * most the changes of the last `SNAPSHOT_DELAY_MS`. v8's serializer keeps dates (and every other
 * value a document holds) as they were, with no encoding of our own to get wrong.
 */
export class MemorySnapshot {
  readonly store: MemoryStore;
  readonly file: string;
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;
  #loading = true;
  #writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly folder: string,
    private readonly logger: Logger,
  ) {
    this.file = join(folder, SNAPSHOT_FILE);
    this.store = new MemoryStore({ onChange: () => this.#changed() });
  }

  /** Opens the memory store kept in `folder` (which must exist): the last snapshot's documents, or none on a first start. */
  static async open(folder: string, logger: Logger): Promise<MemorySnapshot> {
    const snapshot = new MemorySnapshot(folder, logger);
    let bytes: Buffer | undefined;
    try {
      bytes = await readFile(snapshot.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new SnapshotUnreadableError(snapshot.file, (error as NodeJS.ErrnoException).code ?? 'read failed');
    }
    if (bytes) {
      let saved: { format?: unknown; version?: unknown; collections?: unknown };
      try {
        saved = deserialize(bytes) as typeof saved;
      } catch {
        throw new SnapshotUnreadableError(snapshot.file, 'not a snapshot');
      }
      if (saved?.format !== FORMAT || saved.version !== VERSION || typeof saved.collections !== 'object' || saved.collections === null) {
        throw new SnapshotUnreadableError(snapshot.file, 'not a snapshot of this version');
      }
      snapshot.store.restore(saved.collections as Record<string, Array<{ _id: string }>>);
    }
    snapshot.#loading = false;
    return snapshot;
  }

  #changed(): void {
    if (this.#loading) return;
    this.#dirty = true;
    // Unref'd: a pending write never keeps the process alive; shutdown calls `flush`.
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.#queueWrite();
    }, SNAPSHOT_DELAY_MS).unref();
  }

  /** Writes the snapshot now if anything changed since the last write (shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#queueWrite();
  }

  /** One write at a time; a change during a write is picked up by the next one. */
  #queueWrite(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      try {
        await this.#write();
      } catch (error) {
        // Kept dirty so the next change (or shutdown) tries again; the code only, as a path is all it would add.
        this.#dirty = true;
        this.logger.error({ code: (error as NodeJS.ErrnoException).code ?? 'unknown', file: this.file }, 'Could not write the memory store snapshot');
      }
    });
    return this.#writing;
  }

  async #write(): Promise<void> {
    const bytes = serialize({ format: FORMAT, version: VERSION, savedAt: new Date(), collections: this.store.dump() });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temporary, this.file);
    // The rename itself is durable only once the folder's entry is on disk.
    const folder = await open(this.folder, constants.O_RDONLY);
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}
