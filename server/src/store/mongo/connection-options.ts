/**
 * How long one store operation may take, retries included, before it fails as
 * `StoreUnavailableError` (503). The MongoDB driver's own whole-operation timeout (`timeoutMS`)
 * is a no-op from driver 7.8 on (it was withdrawn over a pool-desynchronisation flaw), so the
 * adapter passes every operation an `AbortSignal` that fires after this long: server selection,
 * connection checkout, the socket read and the driver's retry all give up when it does.
 */
export const OPERATION_DEADLINE_MS = 2000;

/** The server gives up on a query after this long (MaxTimeMSExpired, 503), before the client-side deadline cuts the socket. */
export const SERVER_TIME_LIMIT_MS = 1500;

/** Index builds at start get far longer than a request: building one over a large collection takes a while. */
export const INDEX_BUILD_DEADLINE_MS = 10 * 60_000;

/** The database used when MONGODB_URI names none (Atlas's copied strings do not; the driver would use `test`). */
export const DEFAULT_DATABASE = 'porthole';

/**
 * Driver settings, each a default that the same option in MONGODB_URI overrides
 * (see `connectionOptionsFor`). Requests are bounded by OPERATION_DEADLINE_MS whatever these say.
 */
export const mongoConnectionOptions = {
  // Fail instead of queueing while disconnected.
  bufferCommands: false,
  autoIndex: false,
  autoCreate: false,
  // The first connect (SRV lookup, TLS, a cold cluster) gets this long per attempt; requests are cut sooner by their deadline.
  serverSelectionTimeoutMS: 10_000,
  connectTimeoutMS: 10_000,
  // No socket timeout: requests carry their own deadline, and index builds at start must not be cut at a few seconds.
  socketTimeoutMS: 0,
  // Past maxPoolSize concurrent operations, a request waits at most this long for a connection.
  waitQueueTimeoutMS: 1500,
  heartbeatFrequencyMS: 2000,
  maxPoolSize: 50,
} as const;

/** Options a connection string may carry but Porthole never sets (mongoose's own, not the driver's). */
const MONGOOSE_ONLY = new Set(['bufferCommands', 'autoIndex', 'autoCreate']);

export interface MongoUriFacts {
  /** The database the URI names, or DEFAULT_DATABASE. */
  database: string;
  /** Whether the URI named no database, so DEFAULT_DATABASE is used. */
  databaseDefaulted: boolean;
  /** The option names the URI's query string sets (never their values, which may be secrets). */
  uriOptions: string[];
}

/**
 * Reads a connection string's database and option names without its credentials. Handles
 * `mongodb://` and `mongodb+srv://`, several hosts, and a missing path (`…mongodb.net/?retryWrites=true`).
 */
export function describeMongoUri(uri: string): MongoUriFacts {
  const rest = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const afterCredentials = rest.slice(rest.lastIndexOf('@') + 1);
  const queryAt = afterCredentials.indexOf('?');
  const beforeQuery = queryAt === -1 ? afterCredentials : afterCredentials.slice(0, queryAt);
  const slash = beforeQuery.indexOf('/');
  const path = slash === -1 ? '' : decodeURIComponent(beforeQuery.slice(slash + 1));
  const query = queryAt === -1 ? '' : afterCredentials.slice(queryAt + 1).split('#')[0]!;
  const uriOptions = query
    .split('&')
    .map((pair) => decodeURIComponent(pair.split('=')[0]!))
    .filter(Boolean);
  return { database: path || DEFAULT_DATABASE, databaseDefaulted: !path, uriOptions };
}

/**
 * The options to connect with: Porthole's defaults, minus every option the URI sets itself
 * (the driver would otherwise let the code's value silently win over the URI's), plus the
 * default database when the URI names none.
 */
export function connectionOptionsFor(uri: string): { options: Record<string, unknown>; facts: MongoUriFacts; overriddenByUri: string[] } {
  const facts = describeMongoUri(uri);
  const inUri = new Set(facts.uriOptions.map((name) => name.toLowerCase()));
  const options: Record<string, unknown> = {};
  const overriddenByUri: string[] = [];
  for (const [name, value] of Object.entries(mongoConnectionOptions)) {
    if (!MONGOOSE_ONLY.has(name) && inUri.has(name.toLowerCase())) overriddenByUri.push(name);
    else options[name] = value;
  }
  if (facts.databaseDefaulted) options['dbName'] = DEFAULT_DATABASE;
  return { options, facts, overriddenByUri };
}
