import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { EmbedGrant } from '../embeds/embeds.service.js';
import { clientAddress } from '../rate-limits/express.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { answerFor, graphqlErrorBody, type ErrorAnswer } from './errors.js';

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
  res
    .status(answer.status)
    .set({ 'Cache-Control': 'no-store', ...answer.headers })
    .type('application/json; charset=utf-8')
    .send(graphqlErrorBody(answer));
}

/**
 * Opens the bearer credential of an `/embed/graphql` request under the failed-authentication
 * limit of the client's address. Every bad credential, whatever the reason, gets the one
 * EMBED_UNAVAILABLE answer, sent here; then this returns null.
 */
export async function openEmbedCredential(services: Services, limits: RateLimits, logger: Logger, req: Request, res: Response): Promise<VerifiedEmbed | null> {
  const token = bearerToken(req);
  try {
    const grant = await limits.authenticate(clientAddress(req), () => services.embeds.open(token));
    return { grant, token: token! };
  } catch (error) {
    const answer = answerFor(error);
    if (!answer.expected) logger.error({ err: error, requestId: res.locals['requestId'] }, 'Embed credential check failed');
    sendGraphQLError(res, answer);
    return null;
  }
}

/** `openEmbedCredential` in front of Apollo: what it opens is left for the embed GraphQL context. */
export function verifyEmbedCredential(services: Services, limits: RateLimits, logger: Logger): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const verified = await openEmbedCredential(services, limits, logger, req, res);
    if (!verified) return;
    res.locals['verifiedEmbed'] = verified;
    next();
  };
}
