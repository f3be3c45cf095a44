import { Query } from 'mingo';
import type { DataAccess, PrincipalDoc, Rule } from '../domain/types.js';
import { ruleToMatch, type Scope } from '../query/compiler.js';

/**
 * What a principal may read, as data: the owners its data access names (or all of them) and
 * the rules that narrow it. Every permission that touches records or end users is stated in
 * terms of these helpers, so "could this reveal more than the principal may read?" has one answer.
 */

/** Whether the access reaches records of `owner` at all (a record without owner needs `all`). */
export function coversOwner(access: DataAccess, owner: string | null): boolean {
  if (access.all) return true;
  return owner !== null && access.owners.includes(owner);
}

/**
 * Whether the access reaches *every* record of `owner`: covered and not narrowed by rules.
 * Needed to hand out something that shows an owner's data beyond the principal's own eyes
 * (an end user's embed token, an erasure of that owner's records).
 */
export function coversOwnerFully(access: DataAccess, owner: string | null): boolean {
  return coversOwner(access, owner) && access.rules.length === 0;
}

/** The scope a principal may read, narrowed by extra rules (a token's). */
export function scopeOf(principal: PrincipalDoc, extraRules: readonly Rule[] = []): Scope {
  return {
    workspaceId: principal.workspaceId,
    owners: principal.dataAccess.all ? null : [...principal.dataAccess.owners],
    rules: [...principal.dataAccess.rules, ...extraRules],
  };
}

/** What both scopes may read: the common owners and every rule of each. Never wider than either. */
export function intersectScopes(a: Scope, b: Scope): Scope {
  if (a.workspaceId !== b.workspaceId) return { workspaceId: a.workspaceId, owners: [], rules: [...a.rules, ...b.rules] };
  let owners: string[] | null;
  if (a.owners === null) owners = b.owners === null ? null : [...b.owners];
  else if (b.owners === null) owners = [...a.owners];
  else {
    const inB = new Set(b.owners);
    owners = a.owners.filter((owner) => inB.has(owner));
  }
  return { workspaceId: a.workspaceId, owners, rules: [...a.rules, ...b.rules] };
}

/** A record as a caller sends it, before it is stored: the fields rules may name. */
export interface CandidateRecord {
  owner: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/**
 * Whether the principal could read this record once stored: its owner is covered and it
 * satisfies every rule of the principal's access. Rules are evaluated by the same match
 * the query compiler emits, so "readable" here means what an embed would show.
 */
export function recordReadable(access: DataAccess, record: CandidateRecord): boolean {
  if (!coversOwner(access, record.owner)) return false;
  if (access.rules.length === 0) return true;
  return new Query({ $and: access.rules.map(ruleToMatch) }).test(record as unknown as Record<string, unknown>);
}
