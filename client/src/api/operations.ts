import {
  DashboardEmbedSelectionFragmentDoc,
  PageEmbedSelectionFragmentDoc,
  ValidateEmbedTokenDocument,
  type EmbeddedPageFieldsFragment,
  type TypedDocumentString,
  type ValidateEmbedTokenMutation,
} from "../generated/operations";
import { requestGraphQL } from "./graphql";

export type EmbeddedPage = EmbeddedPageFieldsFragment;
export type EmbeddedWidget = EmbeddedPage["widgets"][number];
export type EmbedSession = ValidateEmbedTokenMutation["validateEmbedToken"];

/** Same origin as the embed HTML: the server serves both. */
const EMBED_ENDPOINT = "/embed/graphql";
const API_ENDPOINT = "/graphql";

/**
 * Wraps a generated fragment on `EmbedQuery` into an anonymous query with the fragment's result type
 * (see api/embed.graphql for why the selections are fragments).
 */
function queryFromFragment<R>(
  fragment: TypedDocumentString<R, unknown>,
): TypedDocumentString<R, undefined> {
  const name = fragment.__meta__?.fragmentName as string;
  return `{...${name}}\n${fragment}` as unknown as TypedDocumentString<
    R,
    undefined
  >;
}

const PAGE_QUERY = queryFromFragment(PageEmbedSelectionFragmentDoc);
const DASHBOARD_QUERY = queryFromFragment(DashboardEmbedSelectionFragmentDoc);

/** The page a page-embed token opens, in that token's scope. */
export async function fetchEmbeddedPage(
  token: string,
  signal: AbortSignal,
): Promise<EmbeddedPage> {
  return (
    await requestGraphQL(EMBED_ENDPOINT, PAGE_QUERY, { bearer: token, signal })
  ).page;
}

/** The dashboard pages of the user whose session this is. */
export async function fetchDashboardPages(
  authToken: string,
  signal: AbortSignal,
): Promise<EmbeddedPage[]> {
  return (
    await requestGraphQL(EMBED_ENDPOINT, DASHBOARD_QUERY, {
      bearer: authToken,
      signal,
    })
  ).dashboard.pages;
}

/** Exchanges a user's embed token for a short-lived session (no API key: a public mutation). */
export async function exchangeEmbedToken(
  embedToken: string,
  signal: AbortSignal,
): Promise<EmbedSession> {
  const data = await requestGraphQL(API_ENDPOINT, ValidateEmbedTokenDocument, {
    variables: { embedToken },
    signal,
  });
  return data.validateEmbedToken;
}
