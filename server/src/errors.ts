/** The closed set of error codes that clients may rely on (`extensions.code`). */
export type ErrorCode =
  'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'EMBED_UNAVAILABLE' | 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE';

/** An expected failure, safe to show to the caller as it is. Anything else is masked. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string): AppError => new AppError('NOT_FOUND', `${what} not found.`);
export const badInput = (message: string): AppError => new AppError('BAD_USER_INPUT', message);
export const forbidden = (message: string): AppError => new AppError('FORBIDDEN', message);

/** The one answer every failed embed credential gets, whatever the reason. */
export const EMBED_UNAVAILABLE_MESSAGE = 'This embed is unavailable.';
export const embedUnavailable = (): AppError => new AppError('EMBED_UNAVAILABLE', EMBED_UNAVAILABLE_MESSAGE);

/** Raised by the storage port when the store does not answer; served as 503 with Retry-After. */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('The data store is not answering.', { cause });
    this.name = 'StoreUnavailableError';
  }
}
