import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { EmbedGrant } from '../embeds/embeds.service.js';
import { clientAddress } from '../rate-limits/express.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { answerFor, graphqlErrorBody, type ErrorAnswer } from './errors.js';

/** The credential of `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
export const bearerToken = (req: Request): string | undefined => /^bearer +(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];

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
 * Verifies the bearer credential of `/embed/graphql` before Apollo sees the request, under the
 * failed-authentication limit of the client's address. Every bad credential, whatever the
 * reason, gets the one EMBED_UNAVAILABLE answer.
 */
export function verifyEmbedCredential(services: Services, limits: RateLimits, logger: Logger): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    try {
      const grant = await limits.authenticate(clientAddress(req), () => services.embeds.open(token));
      res.locals['verifiedEmbed'] = { grant, token: token! } satisfies VerifiedEmbed;
      next();
    } catch (error) {
      const answer = answerFor(error);
      if (!answer.expected) logger.error({ err: error, requestId: res.locals['requestId'] }, 'Embed credential check failed');
      sendGraphQLError(res, answer);
    }
  };
}
