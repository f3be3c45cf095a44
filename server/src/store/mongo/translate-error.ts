import mongoose from 'mongoose';
import { StoreUnavailableError } from '../../errors.js';
import { DuplicateKeyError } from '../port.js';

// Two drivers are installed (one at the top of node_modules, one under mongoose); errors come
// from mongoose's, so every `instanceof` goes through `mongoose.mongo`.
const { mongo } = mongoose;

/**
 * Server error codes that mean "not now" rather than "never": the operation ran out of
 * time on the server, or the node is stepping down, shutting down or not (yet) primary.
 */
export const OUTAGE_CODES: ReadonlySet<number> = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  50, // MaxTimeMSExpired
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Socket-level `code`s of Node's own errors (the driver sometimes lets them through unwrapped). */
const SOCKET_CODES: ReadonlySet<string> = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Driver errors that are not exported as classes; matched by their stable `name`. */
const OUTAGE_NAMES: ReadonlySet<string> = new Set(['MongoWaitQueueTimeoutError', 'MongoPoolClosedError', 'MongoPoolClearedError']);

const DUPLICATE_KEY_CODES: ReadonlySet<number> = new Set([11000, 11001]);

/** Error labels the driver or the server attach to failures that a later attempt can succeed at. */
const OUTAGE_LABELS = ['RetryableWriteError', 'ResetPool', 'PoolRequestedRetry', 'SystemOverloadedError'] as const;

/** The errors an error wraps: a bulk write's cause, a write concern error, the first write error, `cause`. */
function wrapped(error: object): unknown[] {
  const record = error as { errorResponse?: unknown; cause?: unknown; err?: unknown; writeErrors?: unknown; writeConcernError?: unknown };
  const inner: unknown[] = [record.errorResponse, record.cause, record.err, record.writeConcernError];
  if (Array.isArray(record.writeErrors)) inner.push(...record.writeErrors);
  return inner.filter((value) => value !== null && typeof value === 'object' && value !== error);
}

function codeOf(error: object): unknown {
  const record = error as { code?: unknown; err?: { code?: unknown } };
  return record.code;
}

/** Whether `error` (or anything it wraps) is a duplicate-key refusal. */
export function isDuplicateKey(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const code = codeOf(error);
  if (typeof code === 'number' && DUPLICATE_KEY_CODES.has(code)) return true;
  return wrapped(error).some((inner) => isDuplicateKey(inner, depth + 1));
}

/** Whether `error` (or anything it wraps) means the database cannot answer right now. */
export function isOutage(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  if (
    error instanceof StoreUnavailableError ||
    error instanceof mongo.MongoNetworkError || // includes MongoNetworkTimeoutError and the pool's cleared error
    error instanceof mongo.MongoServerSelectionError ||
    error instanceof mongo.MongoServerClosedError ||
    error instanceof mongo.MongoTopologyClosedError ||
    error instanceof mongo.MongoNotConnectedError ||
    error instanceof mongo.MongoOperationTimeoutError ||
    error instanceof mongoose.Error.MongooseServerSelectionError
  ) {
    return true;
  }
  if (error instanceof mongo.MongoError && OUTAGE_LABELS.some((label) => error.hasErrorLabel(label))) return true;
  const name = (error as { name?: unknown }).name;
  if (typeof name === 'string' && OUTAGE_NAMES.has(name)) return true;
  const code = codeOf(error);
  if (typeof code === 'number' && OUTAGE_CODES.has(code)) return true;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  return wrapped(error).some((inner) => isOutage(inner, depth + 1));
}

/**
 * Maps a driver failure onto the port's errors: a duplicate key becomes `DuplicateKeyError`,
 * anything that means "the database cannot answer now" `StoreUnavailableError` (503 with
 * Retry-After); everything else is rethrown as it is (and masked as a 500 upstream).
 */
export function translate(error: unknown, collection: string): never {
  if (error instanceof DuplicateKeyError) throw error;
  if (isDuplicateKey(error)) throw new DuplicateKeyError(collection);
  if (isOutage(error)) throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
  throw error;
}
