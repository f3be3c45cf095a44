import express, { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { sendRestError } from '../http/errors.js';
import { clientAddress } from '../rate-limits/express.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from './console-cookie.js';
import { CONSOLE_SESSION_TTL_SECONDS } from './console-sessions.service.js';

const signInBody = z.object({ apiKey: z.string().min(1).max(256) });

/**
 * Console sign-in and sign-out.
 *
 * `POST /console/session` takes `{ apiKey }` as JSON (only `application/json` is parsed, so a
 * cross-site form cannot post it without a CORS preflight that this server never grants) and
 * answers with the viewer, never the key. `DELETE /console/session` ends the session server-side.
 */
export function consoleRoutes(services: Services, logger: Logger, limits: RateLimits): Router {
  const router = Router();
  const fail = (res: express.Response, error: unknown) =>
    sendRestError(res, error, (unknown) => logger.error({ err: unknown }, 'Console session request failed'));

  router.post('/console/session', express.json({ limit: '4kb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      // Each sign-in is a guess at an API key: limit them per address before any lookup, and
      // count a wrong one with every other failed authentication of that address.
      const address = clientAddress(req);
      await limits.signIn(address);
      const body = signInBody.safeParse(req.body ?? {});
      if (!body.success) throw new AppError('BAD_USER_INPUT', 'Send JSON { "apiKey": "…" } with content-type application/json.');
      const { token, expiresAt, viewer } = await limits.authenticate(address, () => services.consoleSessions.signIn(body.data.apiKey));
      res.set('Set-Cookie', sessionCookie(req, token, CONSOLE_SESSION_TTL_SECONDS));
      res.status(201).json({
        viewer: {
          id: viewer.principal._id,
          name: viewer.principal.name,
          role: viewer.principal.role,
          workspace: { id: viewer.workspace._id, slug: viewer.workspace.slug, name: viewer.workspace.name },
        },
        expiresAt: expiresAt.toISOString(),
      });
    } catch (error) {
      fail(res, error);
    }
  });

  router.delete('/console/session', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await services.consoleSessions.signOut(readSessionCookie(req));
      res.set('Set-Cookie', clearedSessionCookie(req));
      res.status(204).end();
    } catch (error) {
      fail(res, error);
    }
  });

  return router;
}
