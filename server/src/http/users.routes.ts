import { z } from 'zod';
import type { UserDoc } from '../domain/types.js';
import type { Services } from '../services.js';
import { cursorQuery, idParams, type RestApi, type RouteSpec } from './rest-api.js';

/**
 * End users over REST (`/api/v1/users`), thin over the UsersService methods the GraphQL
 * resolvers call, so the same access rules apply.
 */

export const userSchema = z.object({
  id: z.string(),
  external_id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  status: z.enum(['ACTIVE', 'SUSPENDED']),
  created_at: z.iso.datetime(),
});

export const presentUser = (user: UserDoc): z.input<typeof userSchema> => ({
  id: user._id,
  external_id: user.externalId,
  email: user.email,
  name: user.name,
  status: user.status,
  created_at: user.createdAt.toISOString(),
});

const createUserBody = z.object({ external_id: z.string(), email: z.string().nullish(), name: z.string().nullish() });
const embedTokenBody = z.object({ embed_token: z.string() });
const userBody = z.object({ user: userSchema });
const BASE = '/api/v1/users';
const TAG = 'Users';

export const userRouteSpecs = {
  create: {
    method: 'post',
    path: BASE,
    summary: 'Create an end user and get its embed token (store it beside your user; put it in the page you serve them).',
    tag: TAG,
    auth: 'apiKey',
    body: createUserBody,
    success: { status: 201, description: 'The user and its embed token.', schema: z.object({ user: userSchema, embed_token: z.string() }) },
  },
  list: {
    method: 'get',
    path: BASE,
    summary: 'List end users in id order, a page at a time; `search` matches external id, email or name (case-insensitive substring).',
    tag: TAG,
    auth: 'apiKey',
    query: cursorQuery.extend({ search: z.string().max(200).optional() }),
    success: {
      status: 200,
      description: 'The users; pass `next_cursor` as `cursor` for more (null on the last page).',
      schema: z.object({ users: z.array(userSchema), next_cursor: z.string().nullable(), total_count: z.number().int() }),
    },
  },
  get: {
    method: 'get',
    path: `${BASE}/:id`,
    summary: 'Read an end user.',
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    success: { status: 200, description: 'The user.', schema: userBody },
  },
  delete: {
    method: 'delete',
    path: `${BASE}/:id`,
    summary: 'Delete an end user: its embed token and sessions stop working. With `erase_records=true`, first erase every record it owns (every dataset).',
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    query: z.object({ erase_records: z.enum(['true', 'false']).optional() }),
    success: { status: 204, description: 'Deleted.', schema: null },
  },
  suspend: {
    method: 'post',
    path: `${BASE}/:id/suspend`,
    summary: 'Suspend an end user: its sessions end on their next request.',
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    success: { status: 200, description: 'The user, suspended.', schema: userBody },
  },
  reactivate: {
    method: 'post',
    path: `${BASE}/:id/reactivate`,
    summary: 'Reactivate a suspended end user: its embed token works again.',
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    success: { status: 200, description: 'The user, active.', schema: userBody },
  },
  embedToken: {
    method: 'get',
    path: `${BASE}/:id/embed-token`,
    summary: "The user's current embed token.",
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    success: { status: 200, description: 'The embed token.', schema: embedTokenBody },
  },
  regenerateEmbedToken: {
    method: 'post',
    path: `${BASE}/:id/embed-token`,
    summary: "Rotate the user's secret: the old embed token and every session it opened stop working.",
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    success: { status: 200, description: 'The new embed token.', schema: embedTokenBody },
  },
  exchange: {
    method: 'post',
    path: '/api/validate-embed-token',
    summary: 'Exchange an embed token for a short-lived session (no API key; the browser calls it).',
    tag: TAG,
    auth: 'none',
    // Never refused as input: a missing or malformed token gets the same EMBED_UNAVAILABLE as a forged one.
    body: z.object({ embed_token: z.string().optional() }).catch({}),
    success: { status: 200, description: 'The session.', schema: z.object({ auth_token: z.string(), expires_at: z.iso.datetime() }) },
  },
} satisfies Record<string, RouteSpec>;

/** Registers the user routes. */
export function userRoutes(api: RestApi, services: Services): void {
  const specs = userRouteSpecs;
  api.route(specs.create, async ({ viewer, body }) => {
    const { user, embedToken } = await services.users.create(viewer, { externalId: body.external_id, email: body.email ?? null, name: body.name ?? null });
    return { user: presentUser(user), embed_token: embedToken };
  });
  api.route(specs.list, async ({ viewer, query }) => {
    const { nodes, nextCursor, totalCount } = await services.users.list(viewer, {
      first: query.limit ?? null,
      after: query.cursor ?? null,
      search: query.search ?? null,
    });
    return { users: nodes.map(presentUser), next_cursor: nextCursor, total_count: totalCount };
  });
  api.route(specs.get, async ({ viewer, params }) => ({ user: presentUser(await services.users.get(viewer, params.id)) }));
  api.route(specs.delete, async ({ viewer, params, query }) => {
    await services.users.delete(viewer, params.id, { eraseRecords: query.erase_records === 'true' });
  });
  api.route(specs.suspend, async ({ viewer, params }) => ({ user: presentUser(await services.users.setStatus(viewer, params.id, 'SUSPENDED')) }));
  api.route(specs.reactivate, async ({ viewer, params }) => ({ user: presentUser(await services.users.setStatus(viewer, params.id, 'ACTIVE')) }));
  api.route(specs.embedToken, async ({ viewer, params }) => ({ embed_token: await services.users.embedToken(viewer, params.id) }));
  api.route(specs.regenerateEmbedToken, async ({ viewer, params }) => ({ embed_token: await services.users.regenerateEmbedToken(viewer, params.id) }));
  api.route(specs.exchange, async ({ body, req, res }) => {
    const session = await api.exchange(req, body.embed_token, () => services.users.exchange(body.embed_token));
    res.set('Cache-Control', 'no-store');
    return { auth_token: session.authToken, expires_at: session.expiresAt.toISOString() };
  });
}
