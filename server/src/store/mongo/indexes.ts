import { collectionIndexes, type CollectionName, type IndexKeys } from '../port.js';

/** An index as this version of Porthole declares it. */
export interface DeclaredIndex {
  name: string;
  key: IndexKeys;
  unique: boolean;
  expireAfterSeconds?: number;
  /** Only documents matching it are indexed (`uniqueIfPresent`: each field `$type: 'string'`). */
  partialFilterExpression?: Record<string, unknown>;
}

/** An index as `listIndexes` describes it. */
export interface ExistingIndex {
  name: string;
  key: Record<string, unknown>;
  unique?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Record<string, unknown>;
}

export interface IndexPlan {
  /** Declared and missing: to be built. */
  create: DeclaredIndex[];
  /** Present under the declared keys or name, but not as declared (other keys, uniqueness or TTL). */
  changed: Array<{ declared: DeclaredIndex; existing: ExistingIndex; difference: string }>;
  /** Present, but declared by no version of this code that is running now (left alone: another version may still use it). */
  undeclared: ExistingIndex[];
}

/** The name MongoDB gives an index by default (`workspaceId_1_dataset_1_at_-1__id_1`), so the names stay the ones a DBA expects. */
export const indexName = (key: IndexKeys): string =>
  Object.entries(key)
    .map(([field, direction]) => `${field}_${direction}`)
    .join('_');

/** Every index a collection declares, in the shape `createIndex` and `listIndexes` speak. */
export function declaredIndexes(collection: CollectionName): DeclaredIndex[] {
  const spec = collectionIndexes[collection];
  const declared: DeclaredIndex[] = [];
  for (const fields of spec.unique ?? []) {
    const key = Object.fromEntries(fields.map((field) => [field, 1 as const]));
    declared.push({ name: indexName(key), key, unique: true });
  }
  for (const fields of spec.uniqueIfPresent ?? []) {
    const key = Object.fromEntries(fields.map((field) => [field, 1 as const]));
    const partialFilterExpression = Object.fromEntries(fields.map((field) => [field, { $type: 'string' }]));
    declared.push({ name: indexName(key), key, unique: true, partialFilterExpression });
  }
  for (const key of spec.lookup ?? []) declared.push({ name: indexName(key), key, unique: false });
  if (spec.ttl) declared.push({ name: indexName({ [spec.ttl]: 1 }), key: { [spec.ttl]: 1 }, unique: false, expireAfterSeconds: 0 });
  return declared;
}

const sameKey = (left: Record<string, unknown>, right: Record<string, unknown>): boolean => {
  const a = Object.entries(left);
  const b = Object.entries(right);
  return a.length === b.length && a.every(([field, direction], index) => b[index]![0] === field && Number(b[index]![1]) === Number(direction));
};

const describeOptions = (index: { unique?: boolean; expireAfterSeconds?: number; partialFilterExpression?: Record<string, unknown> }): string =>
  [
    index.unique ? 'unique' : 'not unique',
    index.expireAfterSeconds === undefined ? 'no TTL' : `TTL ${index.expireAfterSeconds} s`,
    ...(index.partialFilterExpression ? [`partial ${JSON.stringify(index.partialFilterExpression)}`] : []),
  ].join(', ');

/** The server may list a partial filter's keys in another order; compare them as sets of conditions. */
const samePartial = (left: Record<string, unknown> | undefined, right: Record<string, unknown> | undefined): boolean => {
  if (!left || !right) return !left && !right;
  const a = Object.keys(left).sort();
  const b = Object.keys(right).sort();
  return a.length === b.length && a.every((field, index) => field === b[index] && JSON.stringify(left[field]) === JSON.stringify(right[field]));
};

/** Compares what is declared with what exists; pure, so it is tested without a server. */
export function planIndexes(declared: readonly DeclaredIndex[], existing: readonly ExistingIndex[]): IndexPlan {
  const plan: IndexPlan = { create: [], changed: [], undeclared: [] };
  const matched = new Set<ExistingIndex>();
  for (const want of declared) {
    const byKey = existing.find((index) => sameKey(index.key, want.key));
    const byName = existing.find((index) => index.name === want.name);
    const found = byKey ?? byName;
    if (!found) {
      plan.create.push(want);
      continue;
    }
    matched.add(found);
    if (!sameKey(found.key, want.key)) {
      plan.changed.push({ declared: want, existing: found, difference: `keys ${JSON.stringify(found.key)}, declared ${JSON.stringify(want.key)}` });
    } else if (
      Boolean(found.unique) !== want.unique ||
      found.expireAfterSeconds !== want.expireAfterSeconds ||
      !samePartial(found.partialFilterExpression, want.partialFilterExpression)
    ) {
      plan.changed.push({ declared: want, existing: found, difference: `${describeOptions(found)}, declared ${describeOptions(want)}` });
    }
  }
  plan.undeclared = existing.filter((index) => index.name !== '_id_' && !matched.has(index));
  return plan;
}
