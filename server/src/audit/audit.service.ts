import { createHmac } from 'node:crypto';
import type { AuditAction, AuditActor, AuditEventDoc } from '../domain/types.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { badInput } from '../errors.js';
import { authorize } from '../policies/policies.js';
import { DuplicateKeyError, type Match, type Store } from '../store/port.js';
import { auditEventId, GENESIS_HASH, hashOfEvent, verifyChain, type AuditChainReport } from './audit-chain.js';

/** What a service says happened; the chain fields are the trail's to add. */
export interface AuditInput {
  workspaceId: string;
  action: AuditAction;
  actor: AuditActor;
  targets?: Readonly<Record<string, string | null | undefined>>;
  jti?: string | null;
  kid?: string | null;
  origin?: string | null;
  outcome?: 'success' | 'failure';
  detail?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface AuditFilter {
  action?: string | null;
  actorId?: string | null;
  targetId?: string | null;
  outcome?: 'success' | 'failure' | null;
}

export interface AuditPage {
  events: AuditEventDoc[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Appends racing on one place retry this often before giving up (each retry reads the new head). */
const MAX_APPEND_ATTEMPTS = 20;
const MAX_PAGE = 500;
/** Embed opens are recorded at most once per embed and viewer in this window (across instances). */
const OPEN_SAMPLE_MS = 3_600_000;
/** Keys this instance remembers having recorded this window; beyond, the store marker still decides. */
const MAX_SAMPLED = 50_000;
/** Address digests this instance keeps; past it, it starts again. */
const MAX_REMEMBERED_ADDRESSES = 10_000;

/** Actors, built the same way everywhere. */
export const principalActor = (principalId: string, addressDigest: string | null = null): AuditActor => ({ kind: 'principal', id: principalId, addressDigest });

/**
 * The audit trail: append-only events, hash-chained per workspace (docs/audit.md). An append
 * takes the next `seq` after the workspace's newest event; the `(workspaceId, seq)` unique key
 * makes a second instance appending at the same place fail, and it retries after the new head,
 * so concurrent appends never fork the chain. Appends of one workspace are also queued in this
 * process, so they race only with other instances. A failed append is reported to `onError`,
 * never thrown into the action it records.
 */
export class AuditService {
  readonly #queues = new Map<string, Promise<void>>();
  readonly #pending = new Set<Promise<void>>();
  readonly #sampled = new Map<string, number>();
  readonly #addressKey: Uint8Array;
  /** Digests of recent addresses (a pure function of the address and this instance's key). */
  readonly #addressDigests = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly retentionDays: number,
    /** A key of its own (derived from the master key) for viewer address digests. */
    addressKey: Uint8Array,
    private readonly onError: (error: unknown) => void,
  ) {
    this.#addressKey = addressKey;
  }

  /** A keyed digest of a client address: the same address gives the same digest here, and nothing that reverses to it. */
  addressDigest(address: string | null | undefined): string | null {
    if (!address) return null;
    // Every render asks (its open is sampled by it); an HMAC per render cost more than the sampling saved.
    let digest = this.#addressDigests.get(address);
    if (digest === undefined) {
      if (this.#addressDigests.size >= MAX_REMEMBERED_ADDRESSES) this.#addressDigests.clear();
      digest = createHmac('sha256', this.#addressKey).update(address).digest('base64url').slice(0, 22);
      this.#addressDigests.set(address, digest);
    }
    return digest;
  }

  /** Appends one event and waits for it (administrative actions: their answer follows their event). */
  record(input: AuditInput): Promise<void> {
    const work = this.#enqueue(input).catch((error: unknown) => this.onError(error));
    this.#track(work);
    return work;
  }

  /**
   * An embed open, sampled: at most one event per embed and viewer per hour. Costs the render no
   * store work: this instance's memory answers first, and the rest (a marker in the store with
   * the hour's end as its TTL, so instances agree, then the event) runs after the render, tracked
   * so that a shutdown drains it.
   */
  recordOpen(input: AuditInput & { targets: { embedId: string } }, viewerKey: string): void {
    const now = this.clock.now().getTime();
    const window = Math.floor(now / OPEN_SAMPLE_MS);
    const key = `${input.targets.embedId}\u0000${viewerKey}`;
    if (this.#sampled.get(key) === window) return;
    if (this.#sampled.size >= MAX_SAMPLED) this.#sampled.delete(this.#sampled.keys().next().value!);
    this.#sampled.set(key, window);
    const marker = `audit-open:${createHmac('sha256', this.#addressKey).update(key).update(String(window)).digest('base64url').slice(0, 32)}`;
    const work = Promise.resolve()
      .then(() => this.store.counters.insertIfAbsent({ _id: marker, count: 1, expiresAt: new Date((window + 1) * OPEN_SAMPLE_MS) }))
      .then((first) => (first ? this.#enqueue(input) : undefined))
      .catch((error: unknown) => this.onError(error));
    this.#track(work);
  }

  /** Waits for every append under way (shutdown), as the usage counts are flushed. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #track(work: Promise<void>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  #enqueue(input: AuditInput): Promise<void> {
    const previous = this.#queues.get(input.workspaceId) ?? Promise.resolve();
    const next = previous.then(() => this.#append(input));
    const settled = next.catch(() => undefined);
    this.#queues.set(input.workspaceId, settled);
    void settled.then(() => {
      if (this.#queues.get(input.workspaceId) === settled) this.#queues.delete(input.workspaceId);
    });
    return next;
  }

  async #append(input: AuditInput): Promise<void> {
    const targets: Record<string, string> = {};
    for (const [kind, id] of Object.entries(input.targets ?? {})) if (typeof id === 'string' && id) targets[kind] = id;
    for (let attempt = 1; ; attempt++) {
      const [head] = await this.store.auditEvents.find({ workspaceId: input.workspaceId }, { sort: { seq: -1 }, limit: 1 });
      const at = this.clock.now();
      const seq = (head?.seq ?? 0) + 1;
      const fields: Omit<AuditEventDoc, '_id' | 'hash'> = {
        workspaceId: input.workspaceId,
        seq,
        at,
        action: input.action,
        actor: input.actor,
        targets,
        targetIds: [...new Set(Object.values(targets))],
        jti: input.jti ?? null,
        kid: input.kid ?? null,
        origin: input.origin ?? null,
        outcome: input.outcome ?? 'success',
        detail: { ...input.detail },
        prevHash: head?.hash ?? GENESIS_HASH,
        prevExpiresAt: head?.expiresAt ?? null,
        expiresAt: new Date(at.getTime() + this.retentionDays * 86_400_000),
      };
      try {
        await this.store.auditEvents.insertOne({ _id: auditEventId(input.workspaceId, seq), ...fields, hash: hashOfEvent(fields) });
        return;
      } catch (error) {
        // Another instance took this place first: chain after its event.
        if (!(error instanceof DuplicateKeyError) || attempt >= MAX_APPEND_ATTEMPTS) throw error;
      }
    }
  }

  /** The workspace's events, newest first (admins). `after`: the `endCursor` of the page before. */
  async list(viewer: Viewer, filter: AuditFilter = {}, first = 50, after?: string | null): Promise<AuditPage> {
    authorize(viewer, 'audit:read', viewer.workspace, { code: 'FORBIDDEN', message: 'Only a workspace admin may read the audit trail.' });
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be 1–${MAX_PAGE}.`);
    const workspaceId = viewer.workspace._id;
    if (after && !after.startsWith(`${workspaceId}:`)) throw badInput('after: not a cursor of this trail.');
    const match: Record<string, string> = { workspaceId };
    if (filter.action) match['action'] = filter.action;
    if (filter.actorId) match['actor.id'] = filter.actorId;
    if (filter.targetId) match['targetIds'] = filter.targetId;
    if (filter.outcome) match['outcome'] = filter.outcome;
    const found = await this.store.auditEvents.find(match as Match, { sort: { _id: 1 }, limit: first + 1, ...(after ? { afterId: after } : {}) });
    const events = found.slice(0, first);
    return { events, endCursor: events.at(-1)?._id ?? null, hasNextPage: found.length > first };
  }

  /** Checks the workspace's chain from its first kept event (admins). */
  async verify(viewer: Viewer): Promise<AuditChainReport> {
    authorize(viewer, 'audit:read', viewer.workspace, { code: 'FORBIDDEN', message: 'Only a workspace admin may read the audit trail.' });
    const events = await this.store.auditEvents.find({ workspaceId: viewer.workspace._id }, { sort: { seq: 1 } });
    return verifyChain(events, this.clock.now());
  }
}
