import type {
  DateRangeInput,
  DashboardEmbedSelectionFragment,
  EmbeddedPageFieldsFragment,
  PageEmbedSelectionFragment,
  ValidateEmbedTokenMutation,
  ValidateEmbedTokenMutationVariables,
} from '../generated/operations.js';
import { requestGraphQL } from './graphql.js';
import { DASHBOARD_QUERY_HASH, PAGE_QUERY_HASH } from '../generated/embed-documents.js';
import { VALIDATE_EMBED_TOKEN } from './queries.js';

export type EmbeddedPage = EmbeddedPageFieldsFragment;
export type EmbeddedWidget = EmbeddedPage['widgets'][number];
export type EmbedSession = ValidateEmbedTokenMutation['validateEmbedToken'];
export type RangeInput = DateRangeInput;

/** What the viewer chose: a range (null: the page's or token's own) and a time zone (null: the token's or page's). */
export interface ViewChoices {
  range: RangeInput | null;
  timezone: string | null;
}

/** Same origin as the embed HTML: the server serves both. */
const EMBED_ENDPOINT = '/embed/graphql';

/** The page a page-embed token opens, in that token's scope, for the signed-in viewer (if any). */
export async function fetchEmbeddedPage(token: string, choices: ViewChoices, signal: AbortSignal, viewer: string | null): Promise<EmbeddedPage> {
  return (await requestGraphQL<PageEmbedSelectionFragment>(EMBED_ENDPOINT, { hash: PAGE_QUERY_HASH }, token, signal, { ...choices }, viewer)).page;
}

/** What the viewer of a user dashboard chose: each page's own range (its picker, or the host's set-range) and a zone. */
export interface DashboardChoices {
  ranges: { pageId: string; range: RangeInput }[];
  timezone: string | null;
}

/** The dashboard pages of the user whose session this is. */
export async function fetchDashboardPages(authToken: string, choices: DashboardChoices, signal: AbortSignal): Promise<EmbeddedPage[]> {
  return (await requestGraphQL<DashboardEmbedSelectionFragment>(EMBED_ENDPOINT, { hash: DASHBOARD_QUERY_HASH }, authToken, signal, { ...choices })).dashboard
    .pages;
}

/** Exchanges a user's embed token for a short-lived session (no API key: a public mutation). */
export async function exchangeEmbedToken(embedToken: string, signal: AbortSignal): Promise<EmbedSession> {
  return (
    await requestGraphQL<ValidateEmbedTokenMutation>('/graphql', { query: VALIDATE_EMBED_TOKEN }, undefined, signal, {
      embedToken,
    } satisfies ValidateEmbedTokenMutationVariables)
  ).validateEmbedToken;
}
