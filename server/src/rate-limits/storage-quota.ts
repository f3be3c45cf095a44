import { AppError } from '../errors.js';
import type { Store } from '../store/port.js';

/** The counter that holds a workspace's stored records (in `counters`, with no `expiresAt`: it never expires). */
const counterId = (workspaceId: string): string => `quota:records:${workspaceId}`;

const formatCount = (count: number): string => count.toLocaleString('en-US');

/**
 * The storage quota: records one workspace may store (`PORTHOLE_MAX_RECORDS_PER_WORKSPACE`).
 *
 * The count is kept, not counted: a counter per workspace, moved by one atomic increment per
 * ingest call and per erasure, so checking it costs one small write however many records are
 * stored. It is right under races because an ingest reserves its records before it writes them:
 * the increment returns the total with every concurrent reservation in it, so two calls that
 * would each fit alone but not together cannot both pass; a call that goes over takes its
 * reservation back. After the write, the reservation is corrected to what was stored (retried
 * ids are not stored twice). A process that dies between the two leaves the count too high by
 * that call, never too low: the quota can only err towards refusing. The first ingest of a
 * workspace without a counter (data stored before this quota existed) starts it from a count of
 * its records; of two such first ingests, one creates it (insert-if-absent) and both then add.
 */
export class StorageQuota {
  constructor(
    private readonly store: Store,
    readonly maxRecords: number,
  ) {}

  /**
   * Reserves room for `incoming` records, or throws QUOTA_EXCEEDED (how many are stored, and the
   * limit). `alreadyStored` counts those of them stored before (a retried call), asked only at the
   * limit. Returns `settle(stored)`, to be called once the write is done with how many it stored.
   */
  async reserve(workspaceId: string, incoming: number, alreadyStored: () => Promise<number> = async () => 0): Promise<(stored: number) => Promise<void>> {
    const id = counterId(workspaceId);
    if (!(await this.store.counters.findOne({ _id: id }))) {
      const count = await this.store.records.count({ workspaceId });
      await this.store.counters.insertIfAbsent({ _id: id, count });
    }
    const counter = await this.store.counters.upsertIncrement(id, 'count', incoming, {});
    // Only at the limit is it worth a read to see whether the call is a retry of records already stored, which take no room.
    if (counter.count > this.maxRecords && counter.count - (await alreadyStored()) <= this.maxRecords) {
      return async (stored) => {
        if (stored !== incoming) await this.#add(id, stored - incoming);
      };
    }
    if (counter.count > this.maxRecords) {
      await this.#add(id, -incoming);
      const stored = counter.count - incoming;
      throw new AppError(
        'QUOTA_EXCEEDED',
        `This workspace stores ${formatCount(stored)} records and its limit is ${formatCount(this.maxRecords)} (PORTHOLE_MAX_RECORDS_PER_WORKSPACE): ` +
          `${formatCount(incoming)} more would pass it, so nothing was stored. Erase records or raise the limit.`,
      );
    }
    return async (stored) => {
      if (stored !== incoming) await this.#add(id, stored - incoming);
    };
  }

  /** Records that left the workspace (an erasure). */
  async released(workspaceId: string, erased: number): Promise<void> {
    if (erased > 0 && (await this.store.counters.findOne({ _id: counterId(workspaceId) }))) await this.#add(counterId(workspaceId), -erased);
  }

  #add(id: string, by: number): Promise<unknown> {
    return this.store.counters.updateOne({ _id: id }, { inc: { count: by } });
  }
}
