import type { Response } from 'express';
import { AppError, StoreUnavailableError, type ErrorCode } from '../errors.js';

export const RETRY_AFTER_SECONDS = 2;

const STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  EMBED_UNAVAILABLE: 401,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
};

/** Sends an error from a REST route as `{ error: { code, message } }`; unknown errors are masked. */
export function sendRestError(res: Response, error: unknown, onUnknown: (error: unknown) => void): void {
  if (error instanceof AppError) {
    res.status(STATUS[error.code]).json({ error: { code: error.code, message: error.message } });
    return;
  }
  if (error instanceof StoreUnavailableError) {
    res
      .status(503)
      .set('Retry-After', String(RETRY_AFTER_SECONDS))
      .json({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Temporarily unavailable; retry shortly.' } });
    return;
  }
  onUnknown(error);
  res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side.' } });
}

export const statusFor = (code: ErrorCode): number => STATUS[code];
