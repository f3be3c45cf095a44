import { badInput } from '../errors.js';
import type { Literal, Rule, RuleOp } from './types.js';

/** Field names users may reference in records, filters and rules. No `$`, no dots. */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const DATASET_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const RULE_OPS: readonly RuleOp[] = ['EQ', 'NE', 'GT', 'GTE', 'LT', 'LTE', 'IN', 'NIN'];
const MAX_LIST = 100;
const MAX_STRING = 512;

/**
 * Names that match the pattern but mean something to every JavaScript object: as a key they
 * reach `Object.prototype` (or shadow it) wherever a record, a rule or a result row becomes
 * an object, so they are refused everywhere a field name is accepted.
 */
const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a string may name a field: the strict pattern, and not a reserved name. */
export const isFieldName = (field: string): boolean => FIELD_NAME.test(field) && !RESERVED_FIELD_NAMES.has(field);

export function assertFieldName(field: unknown, where: string): asserts field is string {
  if (typeof field !== 'string' || !isFieldName(field)) {
    throw badInput(
      `${where}: "${String(field).slice(0, 80)}" is not a valid field name (letters, digits and _ only, starting with a letter or _; not __proto__, constructor or prototype).`,
    );
  }
}

export function assertDatasetName(dataset: unknown): asserts dataset is string {
  if (typeof dataset !== 'string' || !DATASET_NAME.test(dataset)) {
    throw badInput('dataset must be 1–64 lowercase letters, digits, "-" or "_".');
  }
}

function isLiteral(value: unknown): value is Literal {
  return (
    value === null ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.length <= MAX_STRING)
  );
}

const ORDERING_OPS: ReadonlySet<RuleOp> = new Set(['GT', 'GTE', 'LT', 'LTE']);

/**
 * Validates a rule from a client or a token: a known operator, a strict field name, and a
 * literal (or a list of literals for IN/NIN; no null for GT/GTE/LT/LTE). Objects are refused,
 * so a value can never be read as an operator.
 */
export function parseRule(input: { field: unknown; op: unknown; value?: unknown }, where: string): Rule {
  assertFieldName(input.field, where);
  if (!RULE_OPS.includes(input.op as RuleOp)) throw badInput(`${where}: unknown operator.`);
  const op = input.op as RuleOp;
  const value = input.value === undefined ? null : input.value;
  if (op === 'IN' || op === 'NIN') {
    if (!Array.isArray(value) || value.length > MAX_LIST || !value.every(isLiteral)) {
      throw badInput(`${where}: ${op} needs a list of at most ${MAX_LIST} literals.`);
    }
    return { field: input.field, op, value: [...value] };
  }
  if (!isLiteral(value)) throw badInput(`${where}: the value must be a string, number, boolean or null.`);
  // MongoDB matches a missing field with `{ $gte: null }` and `{ $lte: null }`; mingo does not. No order is defined on null, so it is refused.
  if (value === null && ORDERING_OPS.has(op)) throw badInput(`${where}: ${op} needs a value; null has no order (use EQ or NE with null).`);
  return { field: input.field, op, value };
}

/** Parses an origin allowlist entry; it must be exactly an origin (scheme, host, optional port). */
export function parseOrigin(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw badInput(`"${input.slice(0, 100)}" is not an origin such as https://example.com.`);
  }
  const plainHost = /^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i.test(url.hostname);
  if (!['http:', 'https:'].includes(url.protocol) || !plainHost || url.origin !== input.replace(/\/$/, '')) {
    throw badInput(`"${input.slice(0, 100)}" is not an origin such as https://example.com (no path, query or wildcard).`);
  }
  return url.origin;
}
