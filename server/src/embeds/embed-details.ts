import type { PageDoc, PageEmbedDoc, PrincipalDoc, Rule } from '../domain/types.js';
import { can } from '../policies/policies.js';

/**
 * A page embed as one viewer of its page sees it. Its rules, origins and label name owners and
 * partner sites that the users API hides from most members, so they are null except for those
 * the policy lets read them (`page-embed:read-details`: its minter, an editor of the page, an
 * admin); everyone who may see the page still sees that the embed exists, its audience and its use.
 */
export type PageEmbedView = Omit<PageEmbedDoc, 'rules' | 'origins' | 'label'> & {
  rules: Rule[] | null;
  origins: string[] | null;
  label?: string | null;
};

/**
 * The embed as `actor` may see it on `page` (whose VIEW the caller has already checked). Its id is
 * its token's `jti`, also for a self-minted one (stored under an id derived from workspace and `jti`).
 */
export function embedViewFor(actor: PrincipalDoc, embed: PageEmbedDoc, page: PageDoc | null): PageEmbedView {
  const shown = embed.jti ? { ...embed, _id: embed.jti } : embed;
  if (can(actor, 'page-embed:read-details', { embed, page })) return shown;
  return { ...shown, rules: null, origins: null, label: null };
}
