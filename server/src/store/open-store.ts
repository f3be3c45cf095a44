import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { NoMongodError, startEmbeddedMongo } from './embedded-mongo.js';
import { MemoryStore } from './memory/memory-store.js';
import { MemorySnapshot, SNAPSHOT_DELAY_MS } from './memory/snapshot.js';
import { MongoStore } from './mongo/mongo-store.js';
import type { Store } from './port.js';

export { startEmbeddedMongo } from './embedded-mongo.js';

export interface OpenedStore {
  store: Store;
  /** A one-line description for the start-up banner. */
  description: string;
  /** Whether data survives a restart. */
  durable: boolean;
  /** What a crash (rather than a stop) can lose, for the banner; undefined: nothing a stop would not. */
  crashLoss?: string;
  /** Stops whatever the store needed (the embedded mongod, say) after `store.close()`. */
  stop: () => Promise<void>;
}

/** Logs what the mongo store found at start: the database (never the URI, which may hold credentials), URI overrides, index problems. */
function logMongoStart(store: MongoStore, logger: Logger): void {
  const { database, databaseDefaulted, overriddenByUri, indexWarnings, indexesBuilt } = store.report;
  logger.info(
    { database, ...(overriddenByUri.length > 0 ? { optionsFromUri: overriddenByUri } : {}), ...(indexesBuilt.length > 0 ? { indexesBuilt } : {}) },
    databaseDefaulted ? `MongoDB database "${database}" (MONGODB_URI names none; add /<name> before the ? to choose one)` : `MongoDB database "${database}"`,
  );
  for (const warning of indexWarnings) logger.warn(warning);
}

/**
 * Picks the store for `npm start`: MONGODB_URI → MongoDB; otherwise a mongod through
 * mongodb-memory-server (one it finds, or downloads when the download host answers) keeping its
 * database in the data folder; when no mongod can be had, the memory store, with one line saying
 * so and what to set instead, kept in the data folder as a snapshot. With no data folder
 * (`PORTHOLE_DATA_DIR=`), either is throwaway.
 */
export async function openStore(config: Config, logger: Logger): Promise<OpenedStore> {
  const none = async () => undefined;
  const { dataDir } = config.store;
  /** The memory store: kept in the data folder when there is one, throwaway otherwise. */
  const memory = async (why: string): Promise<OpenedStore> => {
    if (!dataDir) return { store: new MemoryStore(), description: `memory (${why}; PORTHOLE_DATA_DIR is empty)`, durable: false, stop: none };
    const snapshot = await MemorySnapshot.open(dataDir, logger);
    return {
      store: snapshot.store,
      description: `memory (${why}), kept in ${snapshot.file}`,
      durable: true,
      crashLoss: `a crash (not a stop) can lose the changes of the last ${SNAPSHOT_DELAY_MS / 1000} s`,
      stop: () => snapshot.flush(),
    };
  };
  if (config.store.mode === 'memory') return memory('PORTHOLE_STORE=memory');
  if (config.store.mongoUri) {
    const store = await MongoStore.connect(config.store.mongoUri);
    logMongoStart(store, logger);
    return { store, description: `MongoDB (MONGODB_URI), database "${store.report.database}"`, durable: true, stop: none };
  }
  let embedded: Awaited<ReturnType<typeof startEmbeddedMongo>> | undefined;
  try {
    const dbPath = dataDir ? join(dataDir, 'mongod') : undefined;
    if (dbPath) await mkdir(dbPath, { recursive: true, mode: 0o700 });
    embedded = await startEmbeddedMongo({ downloadThroughProxy: config.store.downloadThroughProxy, ...(dbPath ? { dbPath } : {}) });
    const store = await MongoStore.connect(embedded.uri);
    logMongoStart(store, logger);
    return {
      store,
      description: dbPath ? `MongoDB via mongodb-memory-server, kept in ${dbPath}` : 'MongoDB via mongodb-memory-server (a throwaway mongod)',
      durable: Boolean(dbPath),
      stop: embedded.stop,
    };
  } catch (error) {
    // A mongod that started but could not be used must not outlive the fallback.
    await embedded?.stop().catch(() => undefined);
    if (config.store.mode === 'mongo') throw error;
    const reason = error instanceof NoMongodError ? error.message : `the embedded mongod failed: ${(error as Error).message.split('\n')[0]}`;
    logger.warn(
      `Using the MEMORY store: ${reason}. For a real database set MONGODB_URI (and PORTHOLE_MASTER_KEY); for the embedded one, MONGOMS_SYSTEM_BINARY=/path/to/mongod.`,
    );
    return memory('fallback: no mongod could be obtained');
  }
}
