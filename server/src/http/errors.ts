import type { Response } from 'express';
import {
  AppError,
  EMBED_EXPORT_NOT_ALLOWED_MESSAGE,
  EMBED_SIGN_IN_REQUIRED_MESSAGE,
  EMBED_UNAVAILABLE_MESSAGE,
  EMBED_VIEWER_FORBIDDEN_MESSAGE,
  StoreUnavailableError,
  type ErrorCode,
} from '../errors.js';
import { rateLimitHeaders, RateLimitedError } from '../rate-limits/limiter.js';

/**
 * The one table of failures: for every code a client can receive, its HTTP status, the
 * message when the code has a fixed one, and the headers that go with it. GraphQL
 * (`graphql/errors.ts`), the REST routes and the HTML routes all answer from it.
 */

/** Every `extensions.code` / `error.code` a client can receive: the domain codes plus the protocol ones. */
export type ClientErrorCode =
  ErrorCode | 'BAD_REQUEST' | 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'PERSISTED_QUERY_NOT_FOUND' | 'INTERNAL_SERVER_ERROR';

export const RETRY_AFTER_SECONDS = 2;

interface ErrorEntry {
  status: number;
  /** When set, every error of this code says exactly this (nothing that differs by cause). */
  message?: string;
  headers?: Readonly<Record<string, string>>;
}

export const ERROR_TABLE: Readonly<Record<ClientErrorCode, ErrorEntry>> = {
  BAD_REQUEST: { status: 400 },
  GRAPHQL_PARSE_FAILED: { status: 400 },
  GRAPHQL_VALIDATION_FAILED: { status: 400 },
  PERSISTED_QUERY_NOT_FOUND: { status: 400 },
  BAD_USER_INPUT: { status: 400 },
  UNAUTHENTICATED: { status: 401 },
  EMBED_UNAVAILABLE: { status: 401, message: EMBED_UNAVAILABLE_MESSAGE, headers: { 'Cache-Control': 'no-store' } },
  EMBED_SIGN_IN_REQUIRED: { status: 401, message: EMBED_SIGN_IN_REQUIRED_MESSAGE, headers: { 'Cache-Control': 'no-store' } },
  FORBIDDEN: { status: 403 },
  EMBED_VIEWER_FORBIDDEN: { status: 403, message: EMBED_VIEWER_FORBIDDEN_MESSAGE, headers: { 'Cache-Control': 'no-store' } },
  EMBED_EXPORT_NOT_ALLOWED: { status: 403, message: EMBED_EXPORT_NOT_ALLOWED_MESSAGE, headers: { 'Cache-Control': 'no-store' } },
  NOT_FOUND: { status: 404 },
  CONFLICT: { status: 409 },
  RATE_LIMITED: { status: 429 },
  // A workspace's storage is full: retrying will not help until records are erased or the limit is raised (so not 429).
  QUOTA_EXCEEDED: { status: 403 },
  INTERNAL_SERVER_ERROR: { status: 500, message: 'Internal server error.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'Temporarily unavailable; retry shortly.', headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
};

/** How one failure is answered. */
export interface ErrorAnswer {
  code: ClientErrorCode;
  status: number;
  message: string;
  headers: Record<string, string>;
  /** False for an unexpected error: masked here, to be logged by the caller. */
  expected: boolean;
}

/** The answer for a code, with `message` used only where the table has no fixed one. */
export function answerForCode(code: ClientErrorCode, message = ''): ErrorAnswer {
  const entry = ERROR_TABLE[code];
  return { code, status: entry.status, message: entry.message ?? message, headers: { ...entry.headers }, expected: code !== 'INTERNAL_SERVER_ERROR' };
}

/** Classifies any error: `AppError` keeps its code and message, a rate limit adds its fields, the rest is masked. */
export function answerFor(error: unknown): ErrorAnswer {
  if (error instanceof RateLimitedError) {
    const answer = answerForCode('RATE_LIMITED', error.message);
    return { ...answer, headers: { ...answer.headers, ...rateLimitHeaders(error.state) } };
  }
  if (error instanceof AppError) return answerForCode(error.code, error.message);
  if (error instanceof StoreUnavailableError) return answerForCode('SERVICE_UNAVAILABLE');
  return { ...answerForCode('INTERNAL_SERVER_ERROR'), expected: false };
}

/** A GraphQL error answer's result, `{ errors: [{ message, extensions: { code } }] }`: no path, no data, nothing that differs by cause. */
export const graphqlErrorResult = (answer: ErrorAnswer) => ({ errors: [{ message: answer.message, extensions: { code: answer.code } }] });

/** The exact bytes of a GraphQL error answer as Apollo writes one: `graphqlErrorResult` as JSON and a newline. */
export const graphqlErrorBody = (answer: ErrorAnswer): string => `${JSON.stringify(graphqlErrorResult(answer))}\n`;

/** The headers of a GraphQL error answer sent in front of Apollo, in the order Apollo's come: no-store, the table's, the type. */
export const graphqlErrorHeaders = (answer: ErrorAnswer): Record<string, string> => ({
  'Cache-Control': 'no-store',
  ...answer.headers,
  'Content-Type': 'application/json; charset=utf-8',
});

/** Sends an error from a REST route as `{ error: { code, message } }`; unknown errors are masked. */
export function sendRestError(res: Response, error: unknown, onUnknown: (error: unknown) => void): void {
  const answer = answerFor(error);
  if (!answer.expected) onUnknown(error);
  res
    .status(answer.status)
    .set(answer.headers)
    .json({ error: { code: answer.code, message: answer.message } });
}

export const statusFor = (code: ClientErrorCode): number => ERROR_TABLE[code].status;
