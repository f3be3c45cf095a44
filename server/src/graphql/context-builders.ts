import { randomUUID } from 'node:crypto';
import type { ContextFunction } from '@apollo/server';
import type { ExpressContextFunctionArgument } from '@as-integrations/express5';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { readSessionCookie } from '../console/console-cookie.js';
import { answerFor } from '../http/errors.js';
import type { VerifiedEmbed } from '../http/embed-credential.js';
import { clientAddress } from '../rate-limits/express.js';
import { openedCredentialDigests, subjectDigest } from '../rate-limits/limiter.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import type { GraphQLContext } from './context.js';
import { toGraphQLError } from './errors.js';

type ContextBuilder = ContextFunction<[ExpressContextFunctionArgument], GraphQLContext>;

const requestIdOf = (req: Request): string => String(req.res?.locals['requestId'] ?? randomUUID());

/**
 * `/graphql`: an API key decides when one is sent (a bad one counts as a failed
 * authentication of the client's address and of the key; a valid one is served whatever the
 * address did); otherwise the console's session cookie may.
 * Apollo's CSRF prevention (on by default) refuses cookie requests a cross-site form could forge.
 */
export function apiContext(services: Services, limits: RateLimits, logger: Logger): ContextBuilder {
  return async ({ req }) => {
    const apiKey = req.get('x-api-key');
    const address = clientAddress(req);
    try {
      const session = apiKey === undefined ? await services.consoleSessions.resolveSession(readSessionCookie(req)) : null;
      const viewer =
        apiKey !== undefined
          ? await limits.authenticate(
              address,
              () => services.principals.authenticate(apiKey),
              (found) => found === null,
              apiKey,
            )
          : (session?.viewer ?? null);
      return {
        viewer,
        sessionId: session?.sessionId ?? null,
        embed: null,
        services,
        requestId: requestIdOf(req),
        client: { address, credentialDigest: apiKey ? subjectDigest(apiKey) : null },
      };
    } catch (error) {
      // Apollo's plugins never see a failure here (there is no request context yet): log the unexpected ones now.
      if (!answerFor(error).expected) logger.error({ err: error, requestId: requestIdOf(req) }, 'Building the GraphQL context failed');
      throw toGraphQLError(error);
    }
  };
}

/** The context of an `/embed/graphql` request whose credential was opened, from `address`. */
export const embedContextOf = (services: Services, requestId: string, address: string, verified: VerifiedEmbed): GraphQLContext => ({
  viewer: null,
  embed: verified.grant,
  embedCredentials: { token: verified.token, viewerToken: verified.viewerToken },
  services,
  requestId,
  client: { address, credentialDigest: openedCredentialDigests.of(verified.token) },
});
