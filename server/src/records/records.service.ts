import { createHash } from 'node:crypto';
import type { CatalogService } from '../catalog/catalog.service.js';
import { newId } from '../crypto/random.js';
import type { RecordDoc } from '../domain/types.js';
import { assertDatasetName, isFieldName } from '../domain/validation.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { badInput, forbidden } from '../errors.js';
import { authorize, can } from '../policies/policies.js';
import { compileOwnersOfIds } from '../query/compiler.js';
import type { RollupsService } from '../rollups/rollups.service.js';
import { valueDeeperThan } from '../domain/nesting.js';
import { StorageQuota } from '../rate-limits/storage-quota.js';
import type { Store } from '../store/port.js';

export const MAX_RECORDS_PER_CALL = 5000;
const MAX_RECORD_BYTES = 16 * 1024;
const MAX_DEPTH = 5;
export const MAX_RECORD_ID_LENGTH = 64;

/** What an ingest call did: records stored now, and records whose `id` was already stored for their owner (or repeated in the call). */
export interface IngestResult {
  inserted: number;
  duplicates: number;
}

/**
 * The stored `_id` of a record that carries an `id`: a digest of workspace, dataset, owner and id,
 * so the same id sent again for the same owner lands on the same document and is stored once,
 * while another owner, dataset or workspace may use the same id freely. Ids are per owner so that
 * nothing about another owner's records can be learned from an ingest's answer (a caller limited
 * to one owner could otherwise test ids, or claim them first and have a partner's records for
 * other owners dropped as duplicates).
 */
function recordDocId(workspaceId: string, dataset: string, owner: string | null, id: string): string {
  return createHash('sha256')
    .update(`v2\u0000${JSON.stringify([workspaceId, dataset, owner, id])}`)
    .digest('hex')
    .slice(0, 40);
}

/**
 * The `_id` versions before per-owner ids gave a record with an `id` (workspace, dataset and id
 * only). Records stored so keep it; a retry of one (same id, same owner) must still find it.
 */
function legacyRecordDocId(workspaceId: string, dataset: string, id: string): string {
  return createHash('sha256').update(`${workspaceId}\u0000${dataset}\u0000${id}`).digest('hex').slice(0, 40);
}

/** A record's optional `id`: a string of 1–64 characters or an integer (read as its decimal string). */
function parseRecordId(value: unknown, where: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RECORD_ID_LENGTH) {
    throw badInput(`${where}: "id" must be a string of 1–${MAX_RECORD_ID_LENGTH} characters or an integer.`);
  }
  return value;
}

/** Refuses `$`-prefixed, dotted or otherwise odd keys at any depth, so stored data can never read as an operator. */
function assertSafeKeys(value: unknown, where: string, depth = 0): void {
  if (depth > MAX_DEPTH) throw badInput(`${where}: nested deeper than ${MAX_DEPTH} levels.`);
  if (Array.isArray(value)) value.forEach((item) => assertSafeKeys(item, where, depth + 1));
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (!isFieldName(key))
        throw badInput(`${where}: "${key.slice(0, 80)}" is not a valid field name (no "$", no dots; not __proto__, constructor or prototype).`);
      assertSafeKeys(inner, where, depth + 1);
    }
  }
}

function parseAt(value: unknown, where: string, now: Date): Date {
  if (value === undefined || value === null) return now;
  if (typeof value !== 'string' && typeof value !== 'number') throw badInput(`${where}: "at" must be an ISO date or epoch milliseconds.`);
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw badInput(`${where}: "at" is not a valid date.`);
  return at;
}

/** Stores JSON records for the caller's workspace; `owner` names the end user, `at` the time. */
export class RecordsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: CatalogService,
    private readonly rollups: RollupsService,
    private readonly quota: StorageQuota,
  ) {}

  /**
   * Stores records; one that carries an `id` already stored for its owner in this dataset (or
   * earlier in the same call) is counted as a duplicate and not stored again, so a retried call is
   * harmless. Another owner's record with the same `id` is another record.
   */
  async ingest(viewer: Viewer, dataset: string, records: ReadonlyArray<Record<string, unknown>>): Promise<IngestResult> {
    assertDatasetName(dataset);
    if (records.length === 0) return { inserted: 0, duplicates: 0 };
    if (records.length > MAX_RECORDS_PER_CALL) throw badInput(`At most ${MAX_RECORDS_PER_CALL} records per call.`);
    const now = this.clock.now();
    const legacyIds = new Map<string, string>();
    const docs = records.map((record, index): RecordDoc => {
      const where = `records[${index}]`;
      // Depth before size: JSON.stringify recurses, and a value thousands deep would overflow the stack.
      if (valueDeeperThan(record, MAX_DEPTH + 1)) throw badInput(`${where}: nested deeper than ${MAX_DEPTH} levels.`);
      if (JSON.stringify(record).length > MAX_RECORD_BYTES) throw badInput(`${where}: larger than ${MAX_RECORD_BYTES} bytes.`);
      assertSafeKeys(record, where);
      const { owner, at, ...data } = record;
      if (owner !== undefined && owner !== null && (typeof owner !== 'string' || owner.length > 200)) throw badInput(`${where}: "owner" must be a string.`);
      const id = parseRecordId(data['id'], where);
      const ownerOf = (owner as string | undefined) ?? null;
      const _id = id === null ? newId() : recordDocId(viewer.workspace._id, dataset, ownerOf, id);
      if (id !== null) legacyIds.set(_id, legacyRecordDocId(viewer.workspace._id, dataset, id));
      return { _id, workspaceId: viewer.workspace._id, dataset, owner: ownerOf, at: parseAt(at, where, now), data };
    });
    // Write only what you could read: a forged row would otherwise show in another owner's dashboard.
    const offending = docs.findIndex((doc) => !can(viewer.principal, 'records:write', { workspaceId: viewer.workspace._id, records: [doc] }));
    if (offending !== -1) {
      throw forbidden(`records[${offending}]: your data access does not cover this record (its owner or your rules), so nothing was stored.`);
    }
    const fresh = await this.#withoutLegacyCopies(viewer.workspace._id, dataset, docs, legacyIds);
    // Room for them all is reserved first (QUOTA_EXCEEDED otherwise), then corrected to what was stored.
    const settle = await this.quota.reserve(viewer.workspace._id, fresh.length, () =>
      this.store.records.count({ workspaceId: viewer.workspace._id, _id: { oneOf: fresh.map((doc) => doc._id) } }),
    );
    // The rollups and the catalog count exactly the records stored now, so a retried record is never counted twice
    // (and a write that fails before both have counted it leaves a mark that a retry or the reconcile repairs).
    const insertedIds = await this.rollups.ingest(
      viewer.workspace._id,
      dataset,
      () => this.store.records.insertNew(fresh),
      (ids) => {
        const pending = new Set(ids);
        // A repeated id in one call is stored once: take its first document only.
        return this.catalog.observe(
          viewer.workspace._id,
          dataset,
          docs.filter((doc) => pending.delete(doc._id)),
        );
      },
    );
    await settle(insertedIds.length);
    return { inserted: insertedIds.length, duplicates: docs.length - insertedIds.length };
  }

  /**
   * The documents whose record is not already stored under its id from before per-owner ids: one
   * stored then, with the same id and the same owner, is this record, sent again. (Another owner's
   * record under that old id is not, and says nothing about this one.)
   */
  async #withoutLegacyCopies(workspaceId: string, dataset: string, docs: RecordDoc[], legacyIds: ReadonlyMap<string, string>): Promise<RecordDoc[]> {
    if (legacyIds.size === 0) return docs;
    const stored = await this.store.aggregateRecords(compileOwnersOfIds(workspaceId, dataset, [...new Set(legacyIds.values())]));
    if (stored.length === 0) return docs;
    const owners = new Map(stored.map((row) => [row['_id'] as string, (row['owner'] as string | null | undefined) ?? null]));
    return docs.filter((doc) => {
      const legacy = legacyIds.get(doc._id);
      return legacy === undefined || !owners.has(legacy) || owners.get(legacy) !== doc.owner;
    });
  }

  /**
   * Erases an owner's records (an end user's erasure request), in one dataset or in all of
   * them. Only a principal that may read every record of that owner may erase them (the
   * `records:erase` policy: data access covering the owner, with no rules narrowing it).
   * Returns how many went.
   */
  async eraseOwner(viewer: Viewer, owner: string, dataset: string | null): Promise<number> {
    if (dataset !== null) assertDatasetName(dataset);
    if (typeof owner !== 'string' || owner.length === 0 || owner.length > 200) throw badInput('owner must be 1–200 characters.');
    authorize(
      viewer,
      'records:erase',
      { workspaceId: viewer.workspace._id, owner },
      { code: 'FORBIDDEN', message: "Only a principal that may read all of this owner's records may erase them." },
    );
    const erased = await this.rollups.erase(viewer.workspace._id, dataset, () =>
      this.store.records.deleteMany({ workspaceId: viewer.workspace._id, owner, ...(dataset !== null ? { dataset } : {}) }),
    );
    await this.quota.released(viewer.workspace._id, erased);
    return erased;
  }
}
