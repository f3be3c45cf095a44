/**
 * A value's identity as MongoDB's `$group` sees it: numbers by value (so 1 and 1.0, 0 and -0
 * agree), strings, booleans and dates apart from each other, null and missing alike, arrays and
 * documents element by element (a document's field order counts, as in BSON). Used for group and
 * rollup row ids, so the memory store and the rollups agree with the server on what is "one value".
 */
export function groupKeyOf(value: unknown): string {
  if (value === undefined) return 'u';
  if (value === null) return 'n';
  if (value instanceof Date) return `D${value.getTime()}`;
  if (typeof value === 'number') return `#${value === 0 ? 0 : value}`;
  if (typeof value === 'string') return `s${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (Array.isArray(value)) return `[${value.map(groupKeyOf).join(',')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, inner]) => `${JSON.stringify(key)}:${groupKeyOf(inner)}`)
      .join(',')}}`;
  }
  return `?${String(value)}`;
}
