import type { FindOptions, Match, OneOf } from './port.js';

const isScalar = (value: unknown): boolean => value === null || value instanceof Date || ['string', 'number', 'boolean'].includes(typeof value);

const isOneOf = (value: unknown): value is OneOf =>
  value !== null && typeof value === 'object' && !(value instanceof Date) && Object.keys(value).length === 1 && Array.isArray((value as OneOf).oneOf);

/**
 * Escapes a text so that it matches itself inside a regular expression. A NUL becomes `\x00`:
 * MongoDB refuses a pattern that holds the byte itself, and both engines read the escape.
 */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\0/g, '\\x00');

/** The sort both adapters apply: the caller's keys, then `_id` ascending to break ties (MongoDB returns equal keys in any order). */
export function toMongoSort(sort: Readonly<Record<string, 1 | -1>> | undefined): Record<string, 1 | -1> {
  return sort && '_id' in sort ? { ...sort } : { ...sort, _id: 1 };
}

/**
 * Turns an equality match into a MongoDB filter, shared by both adapters (the memory
 * adapter evaluates it with mingo). Each value is wrapped in `$eq`, and a value that
 * is not a scalar is refused: a client-supplied object can never become an operator.
 */
export function toMongoFilter(match: Match, options: Pick<FindOptions, 'afterId' | 'search'> = {}): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(match)) {
    if (field.startsWith('$')) throw new TypeError(`Refusing a non-literal filter on ${field}.`);
    if (isOneOf(value)) {
      if (!value.oneOf.every(isScalar)) throw new TypeError(`Refusing a non-literal filter on ${field}.`);
      filter[field] = { $in: [...value.oneOf] };
      continue;
    }
    if (!isScalar(value)) throw new TypeError(`Refusing a non-literal filter on ${field}.`);
    filter[field] = { $eq: value };
  }
  if (options.afterId !== undefined) filter['_id'] = { ...(filter['_id'] as object), $gt: String(options.afterId) };
  if (options.search && options.search.text) {
    const pattern = escapeRegExp(options.search.text.slice(0, 200));
    filter['$or'] = options.search.fields.map((field) => ({ [field]: { $regex: pattern, $options: 'i' } }));
  }
  return filter;
}

export function toMongoUpdate<T>(update: {
  set?: Partial<T>;
  inc?: Partial<Record<string, number>>;
  max?: Partial<Record<string, Date>>;
}): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (update.set && Object.keys(update.set).length > 0) result['$set'] = update.set;
  if (update.inc && Object.keys(update.inc).length > 0) result['$inc'] = update.inc;
  if (update.max && Object.keys(update.max).length > 0) result['$max'] = update.max;
  return result;
}
