/**
 * Nesting depth, measured without recursion: a value nested thousands deep must be refused with a
 * message, not overflow the stack of whatever walks it first (JSON.stringify, a GraphQL scalar,
 * a validator) and surface as a RangeError. Each walk stops as soon as the limit is passed, so
 * its cost is bounded by the limit's depth times the value's width, never by how deep it goes.
 */

/** The deepest a request body may nest as JSON text (a GraphQL body's own envelope included); records have their own, lower limit. */
export const MAX_BODY_DEPTH = 32;

/**
 * Whether JSON text nests deeper than `max` arrays and objects, read character by character (strings
 * skipped, escapes included) before any parser runs. Text that is not JSON is the parser's to refuse.
 */
export function jsonTextDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index += 1; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (char === 0x5d || char === 0x7d) depth -= 1;
  }
  return false;
}

/** Whether a parsed value nests deeper than `max` arrays and objects (a top-level object is depth 1). */
export function valueDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object' || current instanceof Date) continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return false;
}

/** The part of a GraphQL value literal's AST that nests (graphql-js `ObjectValueNode` and `ListValueNode`), structurally. */
interface ValueNodeLike {
  kind: string;
  fields?: ReadonlyArray<{ value: ValueNodeLike }>;
  values?: readonly ValueNodeLike[];
}

/** Whether a GraphQL value literal nests deeper than `max` lists and objects. */
export function literalDeeperThan(node: ValueNodeLike, max: number): boolean {
  const stack: Array<[ValueNodeLike, number]> = [[node, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    const children =
      current.kind === 'ObjectValue' ? (current.fields ?? []).map((field) => field.value) : current.kind === 'ListValue' ? (current.values ?? []) : null;
    if (!children) continue;
    if (depth + 1 > max) return true;
    for (const child of children) stack.push([child, depth + 1]);
  }
  return false;
}
