import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { UserDoc } from '../domain/types.js';
import type { Viewer } from '../domain/viewer.js';
import { AppError, badInput } from '../errors.js';
import type { Services } from '../services.js';
import { clientAddress } from '../rate-limits/express.js';
import { subjectDigest } from '../rate-limits/limiter.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import { sendRestError } from './errors.js';

/**
 * Seed-compatible REST routes (snake_case JSON), thin adapters over the same services as
 * GraphQL. Bodies are parsed with zod, so every value is a plain string, number or list.
 */

const createUserBody = z.object({ external_id: z.string(), email: z.string().nullish(), name: z.string().nullish() });
const exchangeBody = z.object({ embed_token: z.string() });
const ruleBody = z.object({ field: z.string(), op: z.string(), value: z.unknown().optional() });
const mintBody = z.object({
  audience: z.enum(['self', 'workspace', 'public', 'SELF', 'WORKSPACE', 'PUBLIC']),
  ttl_seconds: z.number().int().optional(),
  rules: z.array(ruleBody).optional(),
  origins: z.array(z.string()).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw badInput(result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
  return result.data;
}

const presentUser = (user: UserDoc) => ({ id: user._id, external_id: user.externalId, email: user.email, name: user.name, status: user.status });

type Handler = (req: Request, res: Response, viewer: Viewer) => Promise<void>;

export function restRoutes(services: Services, logger: Logger, limits: RateLimits): Router {
  const router = Router();
  const fail = (res: Response, error: unknown) => sendRestError(res, error, (unknown) => logger.error({ err: unknown }, 'REST request failed'));

  /**
   * Authenticates the X-API-KEY header (a wrong key counts as a failed authentication of the
   * client's address), counts the call against the key's quota as GraphQL does, then runs
   * the handler; any failure becomes a JSON error.
   */
  const withApiKey = (handler: Handler) => async (req: Request, res: Response, _next: NextFunction) => {
    try {
      const apiKey = req.get('x-api-key');
      const viewer = await limits.authenticate(
        clientAddress(req),
        () => services.principals.authenticate(apiKey),
        (found) => found === null && apiKey !== undefined,
      );
      if (!viewer || !apiKey) throw new AppError('UNAUTHENTICATED', 'Send a valid API key in the X-API-KEY header.');
      await limits.apiCall(subjectDigest(apiKey));
      await handler(req, res, viewer);
    } catch (error) {
      fail(res, error);
    }
  };

  router.post(
    '/api/v1/users',
    withApiKey(async (req, res, viewer) => {
      const body = parse(createUserBody, req.body);
      const { user, embedToken } = await services.users.create(viewer, { externalId: body.external_id, email: body.email ?? null, name: body.name ?? null });
      res.status(201).json({ user: presentUser(user), embed_token: embedToken });
    }),
  );

  router.get(
    '/api/v1/users/:id/embed-token',
    withApiKey(async (req, res, viewer) => {
      res.json({ embed_token: await services.users.embedToken(viewer, String(req.params['id'])) });
    }),
  );

  router.post(
    '/api/v1/users/:id/embed-token',
    withApiKey(async (req, res, viewer) => {
      res.json({ embed_token: await services.users.regenerateEmbedToken(viewer, String(req.params['id'])) });
    }),
  );

  router.post(
    '/api/platform/v1/pages/:id/embed-token',
    withApiKey(async (req, res, viewer) => {
      const body = parse(mintBody, req.body);
      const minted = await services.embeds.mint(viewer, {
        pageId: String(req.params['id']),
        audience: body.audience.toLowerCase() as 'self' | 'workspace' | 'public',
        ttlSeconds: body.ttl_seconds ?? null,
        rules: body.rules ?? null,
        origins: body.origins ?? null,
      });
      res.status(201).json({
        id: minted.id,
        token: minted.token,
        expires_at: minted.expiresAt.toISOString(),
        embed_url: minted.embedUrl,
        snippet: minted.snippet,
        audience: minted.audience,
      });
    }),
  );

  router.post('/api/validate-embed-token', async (req, res) => {
    try {
      const body = exchangeBody.safeParse(req.body ?? {});
      const session = await limits.authenticate(clientAddress(req), () => services.users.exchange(body.success ? body.data.embed_token : undefined));
      res.set('Cache-Control', 'no-store').json({ auth_token: session.authToken, expires_at: session.expiresAt.toISOString() });
    } catch (error) {
      fail(res, error);
    }
  });

  return router;
}
