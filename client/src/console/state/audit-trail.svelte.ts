import { fetchAuditEvents, verifyAuditChain, type AuditChain, type AuditEvent } from '../api/console-api';
import { messageOf } from '../api/graphql-client';

/** Settings → Audit: the trail (newest first, 50 at a time) under equality filters, and the chain check. */
export class AuditTrail {
  action = $state('');
  actorId = $state('');
  targetId = $state('');
  outcome = $state('');
  #events = $state.raw<AuditEvent[]>([]);
  #cursor: string | null = null;
  #more = $state(false);
  #loading = $state(false);
  #error = $state('');
  #chain = $state.raw<AuditChain | null>(null);

  get events(): AuditEvent[] {
    return this.#events;
  }
  get hasMore(): boolean {
    return this.#more;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get error(): string {
    return this.#error;
  }
  get chain(): AuditChain | null {
    return this.#chain;
  }

  /** The first page under the current filters (`more`: the next page, appended). */
  async load(more = false): Promise<void> {
    this.#loading = true;
    this.#error = '';
    try {
      const filter = {
        action: this.action || null,
        actorId: this.actorId.trim() || null,
        targetId: this.targetId.trim() || null,
        outcome: this.outcome || null,
      };
      const page = await fetchAuditEvents(filter, more ? this.#cursor : null);
      this.#events = more ? [...this.#events, ...page.nodes] : page.nodes;
      this.#cursor = page.endCursor ?? null;
      this.#more = page.hasNextPage;
    } catch (error) {
      this.#error = messageOf(error);
    } finally {
      this.#loading = false;
    }
  }

  async verify(): Promise<void> {
    try {
      this.#chain = await verifyAuditChain();
    } catch (error) {
      this.#error = messageOf(error);
    }
  }
}
