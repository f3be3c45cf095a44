import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { NoMongodError, startEmbeddedMongo } from './embedded-mongo.js';
import { MemoryStore } from './memory/memory-store.js';
import { MongoStore } from './mongo/mongo-store.js';
import type { Store } from './port.js';

export { startEmbeddedMongo } from './embedded-mongo.js';

export interface OpenedStore {
  store: Store;
  /** A one-line description for the start-up banner. */
  description: string;
  /** Whether data survives a restart. */
  durable: boolean;
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
 * Picks the store for `npm start`: MONGODB_URI → MongoDB; otherwise a throwaway mongod through
 * mongodb-memory-server (one it finds, or downloads when the download host answers); when no
 * mongod can be had, the memory store, with one line saying so and what to set instead.
 */
export async function openStore(config: Config, logger: Logger): Promise<OpenedStore> {
  const none = async () => undefined;
  if (config.store.mode === 'memory') {
    return { store: new MemoryStore(), description: 'memory (PORTHOLE_STORE=memory)', durable: false, stop: none };
  }
  if (config.store.mongoUri) {
    const store = await MongoStore.connect(config.store.mongoUri);
    logMongoStart(store, logger);
    return { store, description: `MongoDB (MONGODB_URI), database "${store.report.database}"`, durable: true, stop: none };
  }
  let embedded: Awaited<ReturnType<typeof startEmbeddedMongo>> | undefined;
  try {
    embedded = await startEmbeddedMongo({ downloadThroughProxy: config.store.downloadThroughProxy });
    const store = await MongoStore.connect(embedded.uri);
    logMongoStart(store, logger);
    return { store, description: 'MongoDB via mongodb-memory-server (a throwaway mongod)', durable: false, stop: embedded.stop };
  } catch (error) {
    // A mongod that started but could not be used must not outlive the fallback.
    await embedded?.stop().catch(() => undefined);
    if (config.store.mode === 'mongo') throw error;
    const reason = error instanceof NoMongodError ? error.message : `the embedded mongod failed: ${(error as Error).message.split('\n')[0]}`;
    logger.warn(
      `Using the MEMORY store (nothing survives a restart): ${reason}. For a real database set MONGODB_URI (and PORTHOLE_MASTER_KEY); for the embedded one, MONGOMS_SYSTEM_BINARY=/path/to/mongod.`,
    );
    return {
      store: new MemoryStore(),
      description: 'memory (fallback: no mongod could be obtained; data will NOT survive a restart)',
      durable: false,
      stop: none,
    };
  }
}
