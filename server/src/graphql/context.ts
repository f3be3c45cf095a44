import type { Viewer } from '../domain/viewer.js';
import type { EmbedGrant } from '../embeds/embeds.service.js';
import { AppError } from '../errors.js';
import type { Services } from '../services.js';

/** Built once per request, for both endpoints. */
export interface GraphQLContext {
  viewer: Viewer | null;
  /** The console session the request came with (its stored id), when the viewer is a console session's. */
  sessionId?: string | null;
  /** Set on `/embed/graphql` only, after the credential was verified. */
  embed: EmbedGrant | null;
  /** The embed request's credentials as sent (never logged): an export stores them sealed, to re-open them on download. */
  embedCredentials?: { token: string; viewerToken: string | undefined };
  services: Services;
  requestId: string;
  /** Who sent the request, for rate limits; absent where no HTTP request exists (tests calling `executeOperation`). */
  client?: RequestClient;
}

/** The sender of a request as rate limits see it. Holds no raw credential. */
export interface RequestClient {
  /** Express `req.ip`, which honours PORTHOLE_TRUST_PROXY. */
  address: string;
  /** A digest of the credential presented (API key or bearer token), or null when none was. */
  credentialDigest: string | null;
}

export function requireViewer(context: GraphQLContext): Viewer {
  if (!context.viewer) throw new AppError('UNAUTHENTICATED', 'Send a valid API key in the X-API-KEY header.');
  return context.viewer;
}
