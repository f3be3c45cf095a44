import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { answerForCode, type ClientErrorCode } from './errors.js';

/**
 * The last two handlers of the app, so that Express's own pages are never sent: its 404
 * ("Cannot GET …") and its error page, which shows a stack trace with install paths outside
 * production (a malformed `%` in a path, `GET /%E0%A4%A`, reached it). Both answer from the
 * error table as `{ error: { code, message } }`, with nothing taken from the request.
 */

/** Any path no route answered. */
export function notFoundHandler() {
  return (_req: Request, res: Response): void => {
    const answer = answerForCode('NOT_FOUND', 'Not found.');
    res
      .status(answer.status)
      .set({ ...answer.headers, 'X-Content-Type-Options': 'nosniff' })
      .json({ error: { code: answer.code, message: answer.message } });
  };
}

/** The HTTP status an error from Express or its middleware carries (http-errors' `status`), if any. */
function statusOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** An answer of the final handlers: its status, headers and JSON body. */
export interface FinalAnswer {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string } };
}

/**
 * How an error no earlier handler answered is answered, logged here. A client error from Express itself (a path it
 * cannot decode, a file that vanished) keeps its meaning as NOT_FOUND or BAD_REQUEST; anything else is masked as
 * INTERNAL_SERVER_ERROR and logged. The error's own message is never sent: it can quote the request or name files.
 */
export function finalErrorAnswer(error: unknown, logger: Logger, requestId: unknown, method: string | undefined): FinalAnswer {
  const status = statusOf(error);
  const code: ClientErrorCode = status === 404 ? 'NOT_FOUND' : status !== undefined && status >= 400 && status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
  if (code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error, requestId }, 'Request failed');
  else logger.warn({ requestId, status, method }, 'Refused a request Express could not route');
  const answer = answerForCode(code, code === 'NOT_FOUND' ? 'Not found.' : 'The request could not be read.');
  return {
    status: answer.status,
    headers: { ...answer.headers, 'X-Content-Type-Options': 'nosniff' },
    body: { error: { code: answer.code, message: answer.message } },
  };
}

/** Every error no earlier handler answered (`finalErrorAnswer`). */
export function finalErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const answer = finalErrorAnswer(error, logger, res.locals['requestId'], req.method);
    // Half an answer cannot be mended: end the connection, as Express itself does.
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    res.status(answer.status).set(answer.headers).json(answer.body);
  };
}
