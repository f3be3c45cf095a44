import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { MemoryStore } from './memory/memory-store.js';
import { MongoStore } from './mongo/mongo-store.js';
import type { Store } from './port.js';

export interface OpenedStore {
  store: Store;
  /** A one-line description for the start-up banner. */
  description: string;
  /** Whether data survives a restart. */
  durable: boolean;
  /** Stops whatever the store needed (the embedded mongod, say) after `store.close()`. */
  stop: () => Promise<void>;
}

/** How long the embedded default waits for mongodb-memory-server to find or fetch a mongod. */
const EMBEDDED_START_TIMEOUT_MS = 60_000;

/**
 * Picks the store for `npm start`: MONGODB_URI → MongoDB; otherwise mongodb-memory-server
 * (it honours MONGOMS_SYSTEM_BINARY, else downloads a mongod); when no mongod can be had,
 * the memory store, with a warning that nothing will survive a restart.
 */
export async function openStore(config: Config, logger: Logger): Promise<OpenedStore> {
  const none = async () => undefined;
  if (config.store.mode === 'memory') {
    return { store: new MemoryStore(), description: 'memory (PORTHOLE_STORE=memory)', durable: false, stop: none };
  }
  if (config.store.mongoUri) {
    const store = await MongoStore.connect(config.store.mongoUri);
    return { store, description: 'MongoDB (MONGODB_URI)', durable: true, stop: none };
  }
  try {
    logger.info('Starting an embedded mongod through mongodb-memory-server (it downloads one on first use; offline, this fails and the memory store is used)');
    const embedded = await startEmbeddedMongo();
    const store = await MongoStore.connect(embedded.uri);
    return {
      store,
      description: `MongoDB via mongodb-memory-server (${embedded.uri.replace(/\/\/.*@/, '//')})`,
      durable: false,
      stop: embedded.stop,
    };
  } catch (error) {
    if (config.store.mode === 'mongo') throw error;
    logger.warn(
      { reason: (error as Error).message.split('\n')[0] },
      'No mongod could be started (set MONGODB_URI, or MONGOMS_SYSTEM_BINARY to a mongod binary). ' +
        'Falling back to the MEMORY store: data will NOT survive a restart.',
    );
    return {
      store: new MemoryStore(),
      description: 'memory (fallback: no mongod could be obtained; data will NOT survive a restart)',
      durable: false,
      stop: none,
    };
  }
}

/** Starts a throwaway mongod through mongodb-memory-server, or rejects within the time limit. */
export async function startEmbeddedMongo(timeoutMs = EMBEDDED_START_TIMEOUT_MS): Promise<{ uri: string; stop: () => Promise<void> }> {
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`mongodb-memory-server did not start within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const server = await Promise.race([MongoMemoryServer.create(), timeout]);
    return { uri: server.getUri('porthole'), stop: async () => void (await server.stop()) };
  } finally {
    clearTimeout(timer);
  }
}
