import { Router } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { VIEWER_HEADER } from '../http/embed-credential.js';
import { sendRestError } from '../http/errors.js';
import { clientAddress } from '../rate-limits/express.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { readSessionCookie, readViewerBridgeCookie } from './console-cookie.js';

/**
 * `POST /console/viewer-token`: a short-lived viewer token for the person signed in, for the
 * embed iframes they open on other sites. Three ways in, checked in this order:
 * - `X-Porthole-Viewer: <viewer token>`: renewal by the iframe, while the token's session lives;
 * - the console cookie (the sign-in popup, first-party);
 * - the viewer bridge cookie (an iframe the browser granted storage access).
 * Answers `{ viewerToken, expiresAt }`, never cached. A wrong credential counts as a failed
 * authentication of the address. No CORS: only Porthole's own pages can read the answer.
 */
export function viewerTokenRoutes(services: Services, logger: Logger, limits: RateLimits): Router {
  const router = Router();
  router.post('/console/viewer-token', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      const presented = req.get(VIEWER_HEADER);
      const sessionToken = readSessionCookie(req) ?? readViewerBridgeCookie(req);
      // Nothing presented is not a guess: an embed asking whether anyone is signed in counts for nothing.
      if (presented === undefined && sessionToken === undefined) throw new AppError('UNAUTHENTICATED', 'Sign in to Porthole first.');
      const issued = await limits.authenticate(
        clientAddress(req),
        () => (presented !== undefined ? services.viewerTokens.renew(presented) : services.viewerTokens.issue(sessionToken)),
        undefined,
        presented ?? sessionToken,
      );
      res.json({ viewerToken: issued.token, expiresAt: issued.expiresAt.toISOString() });
    } catch (error) {
      sendRestError(res, error, (unknown) => logger.error({ err: unknown }, 'Viewer token request failed'));
    }
  });
  return router;
}
