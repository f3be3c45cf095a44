import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { answerForCode } from './errors.js';

const BODY_ERROR_TYPES = new Set([
  'entity.parse.failed',
  'entity.too.large',
  'entity.verify.failed',
  'encoding.unsupported',
  'charset.unsupported',
  'request.aborted',
  'request.size.invalid',
]);

/**
 * Body-parser failures (malformed JSON, a body over the size limit) answer in the shape of
 * the endpoint they hit, without echoing the body (it may hold a token), instead of
 * Express's HTML error page.
 */
export function bodyErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    const type = (error as { type?: unknown })?.type;
    if (res.headersSent || typeof type !== 'string' || !BODY_ERROR_TYPES.has(type)) return next(error);
    const tooLarge = type === 'entity.too.large';
    const message = tooLarge
      ? `The request body is larger than this endpoint's limit of ${String((error as { limit?: unknown }).limit)} bytes.`
      : 'The request body could not be read as JSON.';
    logger.warn({ requestId: res.locals['requestId'], type }, 'Refused a request body');
    const answer = answerForCode(req.path.endsWith('/graphql') ? 'BAD_REQUEST' : 'BAD_USER_INPUT', message);
    // 413 is the one status the table cannot know: it depends on the parser's reason, not the code.
    const status = tooLarge ? 413 : answer.status;
    if (req.path.endsWith('/graphql')) res.status(status).json({ errors: [{ message, extensions: { code: answer.code } }] });
    else res.status(status).json({ error: { code: answer.code, message } });
  };
}
