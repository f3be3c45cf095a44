import type { CatalogService } from '../catalog/catalog.service.js';
import { newId } from '../crypto/random.js';
import type { RecordDoc } from '../domain/types.js';
import { assertDatasetName, FIELD_NAME } from '../domain/validation.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { badInput, forbidden } from '../errors.js';
import { can } from '../policies/policies.js';
import type { Store } from '../store/port.js';

export const MAX_RECORDS_PER_CALL = 5000;
const MAX_RECORD_BYTES = 16 * 1024;
const MAX_DEPTH = 5;

/** Refuses `$`-prefixed, dotted or otherwise odd keys at any depth, so stored data can never read as an operator. */
function assertSafeKeys(value: unknown, where: string, depth = 0): void {
  if (depth > MAX_DEPTH) throw badInput(`${where}: nested deeper than ${MAX_DEPTH} levels.`);
  if (Array.isArray(value)) value.forEach((item) => assertSafeKeys(item, where, depth + 1));
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (!FIELD_NAME.test(key)) throw badInput(`${where}: "${key.slice(0, 80)}" is not a valid field name (no "$", no dots).`);
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
  ) {}

  async ingest(viewer: Viewer, dataset: string, records: ReadonlyArray<Record<string, unknown>>): Promise<number> {
    assertDatasetName(dataset);
    if (records.length === 0) return 0;
    if (records.length > MAX_RECORDS_PER_CALL) throw badInput(`At most ${MAX_RECORDS_PER_CALL} records per call.`);
    const now = this.clock.now();
    const docs = records.map((record, index): RecordDoc => {
      const where = `records[${index}]`;
      if (JSON.stringify(record).length > MAX_RECORD_BYTES) throw badInput(`${where}: larger than ${MAX_RECORD_BYTES} bytes.`);
      assertSafeKeys(record, where);
      const { owner, at, ...data } = record;
      if (owner !== undefined && owner !== null && (typeof owner !== 'string' || owner.length > 200)) throw badInput(`${where}: "owner" must be a string.`);
      return { _id: newId(), workspaceId: viewer.workspace._id, dataset, owner: (owner as string | undefined) ?? null, at: parseAt(at, where, now), data };
    });
    // Write only what you could read: a forged row would otherwise show in another owner's dashboard.
    const offending = docs.findIndex((doc) => !can(viewer.principal, 'records:write', { workspaceId: viewer.workspace._id, records: [doc] }));
    if (offending !== -1) {
      throw forbidden(`records[${offending}]: your data access does not cover this record (its owner or your rules), so nothing was stored.`);
    }
    await this.store.records.insertMany(docs);
    await this.catalog.observe(viewer.workspace._id, dataset, docs);
    return docs.length;
  }
}
