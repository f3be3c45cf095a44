import { z } from 'zod';
import type { AuditEventDoc } from '../domain/types.js';
import type { Services } from '../services.js';
import { NDJSON } from './records.routes.js';
import type { RestApi, RouteSpec } from './rest-api.js';

/**
 * The audit trail over REST (admins), thin over `AuditService.list` as GraphQL's `auditEvents`:
 * newest first, a cursor for the next page (`next_cursor`, also in the `X-Next-Cursor` header),
 * as JSON or, with `Accept: application/x-ndjson`, one event a line.
 */

const auditEvent = z.object({
  id: z.string(),
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  actor: z.object({ kind: z.string(), id: z.string().nullable(), address_digest: z.string().nullable() }),
  targets: z.record(z.string(), z.string()),
  jti: z.string().nullable(),
  kid: z.string().nullable(),
  origin: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  detail: z.record(z.string(), z.unknown()),
  prev_hash: z.string(),
  hash: z.string(),
});

export const auditRouteSpecs = {
  list: {
    method: 'get',
    path: '/api/platform/v1/audit',
    summary: `The workspace's audit trail, newest first (admins). With \`Accept: ${NDJSON}\`: one event a line; the next page's cursor is in the \`X-Next-Cursor\` header.`,
    tag: 'Audit',
    auth: 'apiKey',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).optional(),
      cursor: z.string().min(1).max(200).optional(),
      action: z.string().min(1).max(64).optional(),
      actor: z.string().min(1).max(200).optional().meta({ description: "A principal id or an end user's externalId." }),
      target: z.string().min(1).max(200).optional().meta({ description: 'Any id the event acted on.' }),
      outcome: z.enum(['success', 'failure']).optional(),
    }),
    success: { status: 200, description: 'A page of events.', schema: z.object({ data: z.array(auditEvent), next_cursor: z.string().nullable() }) },
  },
} satisfies Record<string, RouteSpec>;

const present = (event: AuditEventDoc): z.infer<typeof auditEvent> => ({
  id: event._id,
  seq: event.seq,
  at: event.at.toISOString(),
  action: event.action,
  actor: { kind: event.actor.kind, id: event.actor.id, address_digest: event.actor.addressDigest },
  targets: event.targets,
  jti: event.jti,
  kid: event.kid,
  origin: event.origin,
  outcome: event.outcome,
  detail: event.detail,
  prev_hash: event.prevHash,
  hash: event.hash,
});

export function auditRoutes(api: RestApi, services: Services): void {
  api.route(auditRouteSpecs.list, async ({ viewer, query, req, res }) => {
    const page = await services.audit.list(
      viewer,
      { action: query.action ?? null, actorId: query.actor ?? null, targetId: query.target ?? null, outcome: query.outcome ?? null },
      query.limit ?? 50,
      query.cursor ?? null,
    );
    const next = page.hasNextPage ? page.endCursor : null;
    if (next) res.set('X-Next-Cursor', next);
    if (req.accepts(['application/json', NDJSON]) === NDJSON) {
      res
        .status(200)
        .type(NDJSON)
        .send(page.events.map((event) => `${JSON.stringify(present(event))}\n`).join(''));
      return undefined;
    }
    return { data: page.events.map(present), next_cursor: next };
  });
}
