import { createHash } from 'node:crypto';
import type { AuditEventDoc } from '../domain/types.js';

/** The `prevHash` of a chain's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Larger than any sequence number a workspace will reach: `_id`s count down from it. */
const SEQ_CEILING = 1e13;

/**
 * An event's `_id`: its workspace and its place in the chain counted down, zero-padded, so that
 * ascending `_id` order (the port's cursor order) is newest first, and a second append at the
 * same place is a duplicate key.
 */
export const auditEventId = (workspaceId: string, seq: number): string => `${workspaceId}:${String(SEQ_CEILING - seq).padStart(14, '0')}`;

/** JSON with object keys sorted at every level: the same event always hashes the same. */
function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The hash of an event: SHA-256 over every field but `_id` and `hash`, its `prevHash` included. */
export function hashOfEvent(event: Omit<AuditEventDoc, 'hash' | '_id'> & { _id?: string; hash?: string }): string {
  const { _id: _ignoredId, hash: _ignoredHash, ...fields } = event;
  return createHash('sha256').update(canonical(fields)).digest('hex');
}

/** What `verifyAuditChain` answers. */
export interface AuditChainReport {
  ok: boolean;
  /** Events checked. */
  events: number;
  /** The `seq` of the first event that does not hold: its hash, its link to the one before, or a gap. */
  firstBrokenAt: number | null;
}

/**
 * Checks a workspace's chain, its events in `seq` order. Each event's hash must be its own, and
 * each must follow the one before it (seq + 1, `prevHash`). The first event kept may follow
 * events that retention removed, but only if its predecessor was due to expire by `now`
 * (`prevExpiresAt`, covered by its hash): removing a younger event is a break.
 */
export function verifyChain(events: readonly AuditEventDoc[], now: Date): AuditChainReport {
  let previous: AuditEventDoc | null = null;
  for (const event of events) {
    const intact = hashOfEvent(event) === event.hash;
    const linked = previous
      ? event.seq === previous.seq + 1 && event.prevHash === previous.hash
      : event.seq === 1
        ? event.prevHash === GENESIS_HASH
        : event.prevExpiresAt !== null && event.prevExpiresAt.getTime() <= now.getTime();
    if (!intact || !linked) return { ok: false, events: events.length, firstBrokenAt: event.seq };
    previous = event;
  }
  return { ok: true, events: events.length, firstBrokenAt: null };
}
