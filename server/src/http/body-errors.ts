import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { jsonTextDeeperThan, MAX_BODY_DEPTH } from '../domain/nesting.js';
import type { Logger } from 'pino';
import { answerForCode } from './errors.js';

const BODY_ERROR_TYPES = new Set([
  'entity.parse.failed',
  'entity.too.large',
  'entity.verify.failed',
  'entity.too.deep',
  'encoding.unsupported',
  'charset.unsupported',
  'request.aborted',
  'request.size.invalid',
]);

/**
 * `express.json` that refuses a body nested deeper than MAX_BODY_DEPTH before parsing it (body-parser's
 * `verify` sees the raw bytes first), so nothing downstream ever walks a stack-breaking value.
 */
export const jsonBody = (limit: string): RequestHandler =>
  express.json({
    limit,
    verify: (_req, _res, buffer) => {
      if (jsonTextDeeperThan(buffer.toString('utf8'), MAX_BODY_DEPTH)) throw Object.assign(new Error('too deep'), { status: 400, type: 'entity.too.deep' });
    },
  });

/** How a body-parser failure is answered: its status and the JSON body, in the shape of the endpoint it hit. */
export interface BodyErrorAnswer {
  status: number;
  body: { errors: Array<{ message: string; extensions: { code: string } }> } | { error: { code: string; message: string } };
  type: string;
}

/**
 * The answer to a body-parser failure (malformed JSON, a body over the size limit), without echoing the body
 * (it may hold a token); undefined for any other error.
 */
export function bodyErrorAnswer(error: unknown, graphql: boolean): BodyErrorAnswer | undefined {
  const type = (error as { type?: unknown })?.type;
  if (typeof type !== 'string' || !BODY_ERROR_TYPES.has(type)) return undefined;
  const tooLarge = type === 'entity.too.large';
  const message = tooLarge
    ? `The request body is larger than this endpoint's limit of ${String((error as { limit?: unknown }).limit)} bytes.`
    : type === 'entity.too.deep'
      ? `The request body is nested deeper than ${MAX_BODY_DEPTH} levels.`
      : 'The request body could not be read as JSON.';
  const answer = answerForCode(graphql ? 'BAD_REQUEST' : 'BAD_USER_INPUT', message);
  // 413 is the one status the table cannot know: it depends on the parser's reason, not the code.
  const status = tooLarge ? 413 : answer.status;
  return {
    status,
    type,
    body: graphql ? { errors: [{ message, extensions: { code: answer.code } }] } : { error: { code: answer.code, message } },
  };
}

/**
 * Body-parser failures answer in the shape of the endpoint they hit (`bodyErrorAnswer`), instead of Express's HTML
 * error page.
 */
export function bodyErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    const answer = res.headersSent ? undefined : bodyErrorAnswer(error, req.path.endsWith('/graphql'));
    if (!answer) return next(error);
    logger.warn({ requestId: res.locals['requestId'], type: answer.type }, 'Refused a request body');
    res.status(answer.status).json(answer.body);
  };
}
