import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { EmbedGrant } from '../embeds/embeds.service.js';
import { openedCredentialDigests, subjectDigest } from '../rate-limits/limiter.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { answerFor, type ErrorAnswer } from './errors.js';

/** The credential of `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
export const bearerToken = (req: IncomingMessage): string | undefined => /^bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

/**
 * The header an embed iframe sends its viewer token in (who is signed in, for SELF and
 * WORKSPACE embeds), on `/embed/graphql` and to `POST /console/viewer-token` to renew it.
 */
export const VIEWER_HEADER = 'x-porthole-viewer';

/** The viewer token of a request, if it sent exactly one. */
export const viewerTokenOf = (req: IncomingMessage): string | undefined => {
  const value = req.headers[VIEWER_HEADER];
  return typeof value === 'string' ? value : undefined;
};

/** What an opened `/embed/graphql` credential leaves for the embed GraphQL context. */
export interface VerifiedEmbed {
  grant: EmbedGrant;
  token: string;
  /** The viewer token sent with it, if any (an export re-opens both when it is downloaded). */
  viewerToken?: string | undefined;
}

/**
 * Opens an `/embed/graphql` request's bearer credential (and viewer token) under the
 * failed-authentication limit of its address, and counts the render per viewer and per
 * credential, in the one round trip that reads what the credential names: the grant, or the
 * answer to refuse it with (the one EMBED_UNAVAILABLE for every bad credential, whatever the
 * reason; sign-in required or viewer forbidden for a valid one the viewer may not open; 429 over
 * a limit). Unexpected failures are logged here.
 */
export async function openEmbed(
  services: Services,
  limits: RateLimits,
  logger: Logger,
  credentials: { token: string | undefined; viewerToken: string | undefined },
  address: string,
  requestId: unknown,
): Promise<{ grant: EmbedGrant } | { refusal: ErrorAnswer }> {
  try {
    // Counted before the credential is known to be valid: its digest is remembered only once it is (`embedContextOf`).
    const digest = credentials.token === undefined ? 'none' : (openedCredentialDigests.known(credentials.token) ?? subjectDigest(credentials.token));
    // A dashboard session names its end user, read by the signature alone (no store read): their
    // render budget is counted across all their sessions, in the same round trip as the rest.
    const session = await services.users.sessionEndUser(credentials.token);
    const endUser = session ? `${session.workspaceId}:${session.userId}` : undefined;
    return { grant: await limits.openRender(address, digest, () => services.embeds.open(credentials.token, credentials.viewerToken, session), endUser) };
  } catch (error) {
    const refusal = answerFor(error);
    if (!refusal.expected) logger.error({ err: error, requestId }, 'Embed credential check failed');
    return { refusal };
  }
}
