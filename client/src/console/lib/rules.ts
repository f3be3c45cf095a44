import type { RuleInput, RuleOp } from '../api/console-api';

/** One editable row of the rules editor; `value` is what the member typed. */
export interface RuleDraft {
  field: string;
  op: RuleOp;
  value: string;
}

export const RULE_OPS: ReadonlyArray<{ op: RuleOp; label: string }> = [
  { op: 'EQ', label: 'equals' },
  { op: 'NE', label: 'does not equal' },
  { op: 'GT', label: 'greater than' },
  { op: 'GTE', label: 'at least' },
  { op: 'LT', label: 'less than' },
  { op: 'LTE', label: 'at most' },
  { op: 'IN', label: 'is one of' },
  { op: 'NIN', label: 'is none of' },
];

/** A typed literal: numbers and true/false as themselves, anything else as text. */
function literal(text: string): string | number | boolean {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  return trimmed;
}

/** Drafts as the API wants them; `is one of` takes a comma-separated list. Blank rows are dropped. */
export function toRuleInputs(drafts: readonly RuleDraft[]): RuleInput[] {
  return drafts
    .filter((draft) => draft.field.trim() !== '')
    .map((draft) => {
      const value =
        draft.op === 'IN' || draft.op === 'NIN'
          ? draft.value
              .split(',')
              .filter((part) => part.trim() !== '')
              .map(literal)
          : literal(draft.value);
      // Codegen types the JSON scalar without lists; the server accepts a list of literals for IN/NIN.
      return {
        field: draft.field.trim(),
        op: draft.op,
        value: value as RuleInput['value'],
      };
    });
}

/** One origin per line (or comma-separated), blanks dropped. The server validates each one. */
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/** A rule as a person reads it: `channel is one of phone, chat`. */
export function describeRule(rule: { field: string; op: RuleOp; value: unknown }): string {
  const label = RULE_OPS.find((entry) => entry.op === rule.op)?.label ?? rule.op;
  const value = Array.isArray(rule.value) ? rule.value.join(', ') : String(rule.value);
  return `${rule.field} ${label} ${value}`;
}
