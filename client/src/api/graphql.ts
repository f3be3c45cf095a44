import type { TypedDocumentString } from "../generated/operations";

/**
 * The one answer every embed credential failure gets (bad, expired, revoked, wrong page…).
 * The client cannot tell why, and must not try: it shows a neutral state and no data.
 */
export class EmbedUnavailableError extends Error {
  readonly code = "EMBED_UNAVAILABLE";
  constructor() {
    super("This embed is unavailable.");
  }
}

/** A response that is neither data nor the unavailable answer: network down, server error… */
export class RequestFailedError extends Error {}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

interface RequestOptions<V> {
  variables?: V;
  /** Sent as `Authorization: Bearer …`; never stored by this module. */
  bearer?: string;
  signal?: AbortSignal;
}

/**
 * POSTs one typed operation and returns its `data`.
 * Throws EmbedUnavailableError on HTTP 401 or an EMBED_UNAVAILABLE error, RequestFailedError otherwise.
 */
export async function requestGraphQL<R, V>(
  endpoint: string,
  document: TypedDocumentString<R, V>,
  { variables, bearer, signal }: RequestOptions<V> = {},
): Promise<R> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
  };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: String(document), variables }),
      signal,
      credentials: "omit",
      referrerPolicy: "no-referrer",
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new RequestFailedError("The network request failed.");
  }
  if (response.status === 401) throw new EmbedUnavailableError();
  const body = (await response.json().catch(() => ({}))) as GraphQLResponse<R>;
  if (body.errors?.some((e) => e.extensions?.code === "EMBED_UNAVAILABLE"))
    throw new EmbedUnavailableError();
  if (!response.ok || body.errors?.length || !body.data) {
    throw new RequestFailedError(
      `The request failed (HTTP ${response.status}).`,
    );
  }
  return body.data;
}
