/**
 * The one answer every embed credential failure gets (bad, expired, revoked, wrong page…).
 * The client cannot tell why, and must not try: it shows a neutral state and no data.
 */
export class EmbedUnavailableError extends Error {}

/** A valid SELF or WORKSPACE embed, and no signed-in viewer (none yet, or the viewer token ended). */
export class SignInRequiredError extends Error {}

/** A valid SELF or WORKSPACE embed, and a signed-in viewer it is not for. */
export class ViewerForbiddenError extends Error {}

/**
 * What is sent: a trusted document by its SHA-256 (the embed endpoint, which in production runs
 * nothing else: `extensions.persistedQuery`, Apollo's convention), or a document's text.
 */
export type GraphQLDocument = { hash: string } | { query: string };

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { extensions?: { code?: string } }[];
}

/**
 * POSTs one GraphQL document and returns its `data`, typed `R` by the caller (from codegen's types).
 * Throws EmbedUnavailableError on HTTP 401 or an EMBED_UNAVAILABLE error, and any other error for
 * anything else (network down, server error…), which callers treat as transient.
 *
 * @param bearer sent as `Authorization: Bearer …`; never stored by this module
 * @param viewer a viewer token, sent as `X-Porthole-Viewer` (who is signed in); never stored by this module
 */
export async function requestGraphQL<R>(
  endpoint: string,
  document: GraphQLDocument,
  bearer: string | undefined,
  signal: AbortSignal,
  variables?: Record<string, unknown>,
  viewer?: string | null,
): Promise<R> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(bearer && { authorization: `Bearer ${bearer}` }),
      ...(viewer && { 'x-porthole-viewer': viewer }),
    },
    body: JSON.stringify({ ...('hash' in document ? { extensions: { persistedQuery: { version: 1, sha256Hash: document.hash } } } : document), variables }),
    signal,
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  const body: GraphQLResponse<R> = await response.json().catch(() => ({}));
  const codes = new Set(body.errors?.map((e) => e.extensions?.code));
  if (codes.has('EMBED_SIGN_IN_REQUIRED')) throw new SignInRequiredError();
  if (codes.has('EMBED_VIEWER_FORBIDDEN')) throw new ViewerForbiddenError();
  if (response.status === 401 || body.errors?.some((e) => e.extensions?.code === 'EMBED_UNAVAILABLE')) throw new EmbedUnavailableError();
  if (!response.ok || body.errors?.length || !body.data) throw new Error(`The request failed (HTTP ${response.status}).`);
  return body.data;
}
