import express, { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { jsonBody } from '../http/body-errors.js';
import { sendRestError } from '../http/errors.js';
import { normalizeEmail } from '../people/email.js';
import { clientAddress } from '../rate-limits/express.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from './console-cookie.js';
import { CONSOLE_SESSION_TTL_SECONDS, type ConsoleSignIn } from './console-sessions.service.js';

/** One of three ways in; which one is decided by the fields sent. Lengths are bounded before any work. */
const signInBody = z.union([
  z.strictObject({ apiKey: z.string().min(1).max(256) }),
  z.strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(4096), workspace: z.string().max(64).optional() }),
  z.strictObject({ passkey: z.looseObject({}) }),
]);
const invitationBody = z.strictObject({ code: z.string().min(1).max(256) });
const acceptBody = z.strictObject({ code: z.string().min(1).max(256), password: z.string().max(4096) });

const SIGN_IN_SHAPE = 'Send JSON { "email", "password" } (optionally "workspace"), { "passkey" } or { "apiKey" } with content-type application/json.';

/**
 * Console sign-in and sign-out, and the JSON behind the invitation page.
 *
 * Every body is JSON (only `application/json` is parsed, so a cross-site form cannot post one
 * without a CORS preflight that this server never grants). Every route that opens a session sets
 * its cookies through `sessionCookie` and answers with the viewer, never a credential.
 *
 * - `POST /console/session`: `{ email, password, workspace? }`, `{ passkey }` (the browser's answer
 *   to `POST /console/passkey/options`) or `{ apiKey }`. `DELETE /console/session` signs out.
 * - `POST /console/invite/lookup` `{ code }`: whose invitation it is, without using it.
 * - `POST /console/invite/accept` `{ code, password }`: sets the password, uses the invitation, signs in.
 */
export function consoleRoutes(services: Services, logger: Logger, limits: RateLimits): Router {
  const router = Router();
  const fail = (res: express.Response, error: unknown) =>
    sendRestError(res, error, (unknown) => logger.error({ err: unknown }, 'Console session request failed'));
  const json = jsonBody('16kb');

  const signedIn = (req: express.Request, res: express.Response, { token, expiresAt, viewer }: ConsoleSignIn) => {
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
  };

  router.post('/console/session', json, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      // Each sign-in is a guess: limit them per address before any lookup, and count a wrong one
      // with every other failed authentication of that address (a password also per account).
      const address = clientAddress(req);
      await limits.signIn(address);
      const parsed = signInBody.safeParse(req.body ?? {});
      if (!parsed.success) throw new AppError('BAD_USER_INPUT', SIGN_IN_SHAPE);
      const body = parsed.data;
      let session: ConsoleSignIn;
      if ('apiKey' in body) session = await limits.authenticate(address, () => services.consoleSessions.signIn(body.apiKey), undefined, body.apiKey);
      else if ('passkey' in body) session = await limits.authenticate(address, () => services.consoleSessions.signInWithPasskey(body.passkey));
      else {
        const account = normalizeEmail(body.email) ?? body.email.trim().toLowerCase();
        session = await limits.passwordSignIn(address, account, () => services.consoleSessions.signInWithPassword(body));
      }
      signedIn(req, res, session);
    } catch (error) {
      fail(res, error);
    }
  });

  /** A fresh single-use challenge for a passkey sign-in (stored server-side for 5 minutes). */
  router.post('/console/passkey/options', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await limits.signIn(clientAddress(req));
      res.json({ options: await services.consoleSessions.passkeyOptions() });
    } catch (error) {
      fail(res, error);
    }
  });

  router.post('/console/invite/lookup', json, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      const address = clientAddress(req);
      await limits.signIn(address);
      const parsed = invitationBody.safeParse(req.body ?? {});
      if (!parsed.success) throw new AppError('BAD_USER_INPUT', 'Send JSON { "code" } with content-type application/json.');
      const { viewer, expiresAt } = await limits.authenticate(
        address,
        () => services.consoleSessions.invitation(parsed.data.code),
        undefined,
        parsed.data.code,
      );
      res.json({
        name: viewer.principal.name,
        email: viewer.principal.email ?? null,
        workspace: { slug: viewer.workspace.slug, name: viewer.workspace.name },
        expiresAt: expiresAt.toISOString(),
      });
    } catch (error) {
      fail(res, error);
    }
  });

  router.post('/console/invite/accept', json, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      const address = clientAddress(req);
      await limits.signIn(address);
      const parsed = acceptBody.safeParse(req.body ?? {});
      if (!parsed.success) throw new AppError('BAD_USER_INPUT', 'Send JSON { "code", "password" } with content-type application/json.');
      signedIn(req, res, await limits.authenticate(address, () => services.consoleSessions.acceptInvitation(parsed.data.code, parsed.data.password)));
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
