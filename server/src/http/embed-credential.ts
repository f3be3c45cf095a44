import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { EmbedGrant } from '../embeds/embeds.service.js';
import { clientAddress } from '../rate-limits/express.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { answerFor, graphqlErrorBody, graphqlErrorHeaders, type ErrorAnswer } from './errors.js';

/** The credential of `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
export const bearerToken = (req: IncomingMessage): string | undefined => /^bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

/** What `verifyEmbedCredential` leaves for the embed GraphQL context. */
export interface VerifiedEmbed {
  grant: EmbedGrant;
  token: string;
}

export const verifiedEmbedOf = (res: Response): VerifiedEmbed | undefined => res.locals['verifiedEmbed'] as VerifiedEmbed | undefined;

/**
 * Sends a GraphQL-shaped error answer exactly as Apollo sends one: the same status, the same
 * headers (from the error table), the same bytes. The embed endpoint's refusals are answered
 * here or by Apollo depending on when they arise, and a caller must not be able to tell which.
 */
export function sendGraphQLError(res: Response, answer: ErrorAnswer): void {
  res.status(answer.status).set(graphqlErrorHeaders(answer)).send(graphqlErrorBody(answer));
}

/**
 * Opens an `/embed/graphql` request's bearer credential under the failed-authentication limit
 * of its address: the grant, or the answer to refuse it with (the one EMBED_UNAVAILABLE for
 * every bad credential, whatever the reason). Unexpected failures are logged here. Both the
 * Express route and the embed lane open credentials through this.
 */
export async function openEmbed(
  services: Services,
  limits: RateLimits,
  logger: Logger,
  token: string | undefined,
  address: string,
  requestId: unknown,
): Promise<{ grant: EmbedGrant } | { refusal: ErrorAnswer }> {
  try {
    return { grant: await limits.authenticate(address, () => services.embeds.open(token)) };
  } catch (error) {
    const refusal = answerFor(error);
    if (!refusal.expected) logger.error({ err: error, requestId }, 'Embed credential check failed');
    return { refusal };
  }
}

/** `openEmbed` in front of Apollo: what it opens is left for the embed GraphQL context. */
export function verifyEmbedCredential(services: Services, limits: RateLimits, logger: Logger): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    const opened = await openEmbed(services, limits, logger, token, clientAddress(req), res.locals['requestId']);
    if ('refusal' in opened) return sendGraphQLError(res, opened.refusal);
    res.locals['verifiedEmbed'] = { grant: opened.grant, token: token! } satisfies VerifiedEmbed;
    next();
  };
}
