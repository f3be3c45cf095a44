import { lookup } from 'node:dns/promises';
import { connect } from 'node:net';

/** No mongod can be had here: none is cached and the download host cannot be reached. Expected offline; not a crash. */
export class NoMongodError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NoMongodError';
  }
}

export interface EmbeddedMongo {
  uri: string;
  stop: () => Promise<void>;
}

export interface EmbeddedMongoOptions {
  /** How long mongodb-memory-server may take to fetch (when it has to) and start a mongod. */
  timeoutMs?: number;
  /** How long the download host gets to answer before the machine is taken to be offline. */
  probeMs?: number;
  /** A proxy is configured for downloads (npm's or the usual *_PROXY variables): the host is not probed directly. */
  downloadThroughProxy?: boolean;
  /** A folder (which must exist) to keep the database in across restarts; absent: a temporary one, removed at stop. */
  dbPath?: string;
}

/** Resolves the host and opens a TCP connection to it, within `ms`: null when it answers, else why not. */
async function unreachable(url: string, ms: number): Promise<string | null> {
  const { hostname, port, protocol } = new URL(url);
  const attempt = (async () => {
    const { address } = await lookup(hostname);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port || (protocol === 'http:' ? 80 : 443)), address);
      socket.setTimeout(ms, () => socket.destroy(new Error(`no answer within ${ms} ms`)));
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
  })().then(
    () => null,
    (error: NodeJS.ErrnoException) => error.code ?? error.message,
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${ms} ms`), ms)));
  try {
    return await Promise.race([attempt, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts a mongod through mongodb-memory-server (throwaway, or keeping its database in `dbPath`). It uses a mongod it can find
 * (MONGOMS_SYSTEM_BINARY, or one it downloaded before); otherwise it must download one, so
 * the download host is probed first and an offline machine is told so within `probeMs`,
 * instead of after the library's retries. A mongod that comes up after the time limit is stopped.
 */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const { timeoutMs = 60_000, probeMs = 1500, downloadThroughProxy = false, dbPath } = options;
  const { MongoMemoryServer, DryMongoBinary } = await import('mongodb-memory-server');
  const binaryOptions = await DryMongoBinary.generateOptions(DryMongoBinary.getEnsuredOptions());
  const binary = await DryMongoBinary.locateBinary(binaryOptions).catch((error: Error) => {
    throw new NoMongodError(`MONGOMS_SYSTEM_BINARY names no usable mongod (${error.message.split('\n')[0]})`);
  });
  if (!binary && !downloadThroughProxy) {
    // Not exported from the package's index; the same class the library downloads with.
    const { MongoBinaryDownloadUrl } = await import('mongodb-memory-server-core/lib/util/MongoBinaryDownloadUrl.js');
    const url = await new MongoBinaryDownloadUrl(binaryOptions).getDownloadUrl();
    const reason = await unreachable(url, probeMs);
    if (reason) throw new NoMongodError(`no mongod ${binaryOptions.version} is cached and ${new URL(url).hostname} cannot be reached (${reason})`);
  }
  // A kept database: mongodb-memory-server's `instance.dbPath` with the WiredTiger engine (its default,
  // ephemeralForTest, keeps nothing). The library removes only its own temporary folders at `stop()`
  // (`cleanup` deletes a given dbPath only with `force: true`), so the next start finds the same files.
  // Written from the library's documentation (MongoMemoryInstanceOpts `dbPath`, `storageEngine`; `cleanup`'s
  // `force`): the machines this was built on cannot obtain a mongod, so this path has not been run there.
  const starting = MongoMemoryServer.create(dbPath ? { instance: { dbPath, storageEngine: 'wiredTiger' } } : {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoMongodError(`mongodb-memory-server did not start a mongod within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const server = await Promise.race([starting, timeout]);
    return { uri: server.getUri('porthole'), stop: async () => void (await server.stop()) };
  } catch (error) {
    // Whatever starts after we gave up must not outlive us.
    starting.then((late) => late.stop()).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
