import type { Member } from '../api/console-api';
import { describeRule, toRuleInputs, type RuleDraft } from './rules';

/** A principal's data access as the Members form edits it. */
export interface DataAccessDraft {
  all: boolean;
  /** Comma- or line-separated owner ids (end users' external ids). */
  owners: string;
  rules: RuleDraft[];
}

export const fullAccess = (): DataAccessDraft => ({ all: true, owners: '', rules: [] });
/** What a new member starts with: nothing, until an admin chooses (access is granted, never assumed). */
export const noAccess = (): DataAccessDraft => ({ all: false, owners: '', rules: [] });

export function draftOf(access: Member['dataAccess']): DataAccessDraft {
  if (!access) return { all: false, owners: '', rules: [] };
  return {
    all: access.all,
    owners: access.owners.join(', '),
    rules: access.rules.map((rule) => ({
      field: rule.field,
      op: rule.op,
      value: Array.isArray(rule.value) ? rule.value.join(', ') : rule.value == null ? '' : String(rule.value),
    })),
  };
}

export function toDataAccessInput(draft: DataAccessDraft) {
  return {
    all: draft.all,
    owners: draft.all
      ? []
      : draft.owners
          .split(/[\s,]+/)
          .map((owner) => owner.trim())
          .filter(Boolean),
    rules: toRuleInputs(draft.rules),
  };
}

/** `All records`, `Owners ada, grace · channel equals phone`, `No records`. */
export function describeAccess(access: Member['dataAccess']): string {
  if (!access) return '—';
  const base = access.all ? 'All records' : access.owners.length ? `Owners ${access.owners.join(', ')}` : 'No records';
  return [base, ...access.rules.map(describeRule)].join(' · ');
}
