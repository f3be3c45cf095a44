/** The closed set of error codes that clients may rely on (`extensions.code`). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'EMBED_UNAVAILABLE'
  | 'EMBED_SIGN_IN_REQUIRED'
  | 'EMBED_VIEWER_FORBIDDEN'
  | 'EMBED_EXPORT_NOT_ALLOWED'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'SERVICE_UNAVAILABLE';

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

/**
 * A valid SELF or WORKSPACE embed opened without a signed-in viewer (none sent, or the viewer
 * token expired or was ended). Only ever said of a token that verified: an invalid one stays
 * EMBED_UNAVAILABLE, so these two never tell a forger anything.
 */
export const EMBED_SIGN_IN_REQUIRED_MESSAGE = 'Sign in to view this embed.';
export const embedSignInRequired = (): AppError => new AppError('EMBED_SIGN_IN_REQUIRED', EMBED_SIGN_IN_REQUIRED_MESSAGE);
/** A valid SELF or WORKSPACE embed opened by a signed-in person it is not for. */
export const EMBED_VIEWER_FORBIDDEN_MESSAGE = "You don't have access to this embed.";
export const embedViewerForbidden = (): AppError => new AppError('EMBED_VIEWER_FORBIDDEN', EMBED_VIEWER_FORBIDDEN_MESSAGE);

/** A live embed whose token does not allow downloading in the format asked for. Said only of a token that verified. */
export const EMBED_EXPORT_NOT_ALLOWED_MESSAGE = 'This embed does not allow downloads in this format.';
export const embedExportNotAllowed = (): AppError => new AppError('EMBED_EXPORT_NOT_ALLOWED', EMBED_EXPORT_NOT_ALLOWED_MESSAGE);

/** Raised by the storage port when the store does not answer; served as 503 with Retry-After. */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('The data store is not answering.', { cause });
    this.name = 'StoreUnavailableError';
  }
}
