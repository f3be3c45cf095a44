import type { TypedDocumentString } from '../../generated/operations';

/**
 * The console's GraphQL client: the one place the console calls `POST /graphql`.
 *
 * It is separate from the embed client's `requestGraphQL` (api/graphql.ts) on purpose: that one
 * sends no cookies (`credentials: 'omit'`) and folds every failure into "embed unavailable",
 * while the console authenticates with its session cookie and shows each error's message.
 * `content-type: application/json` is what lets the request through Apollo's CSRF prevention.
 */

/** An error the server explained (`extensions.code`), or a network or server failure (`code` NETWORK / INTERNAL). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let onSignedOut: () => void = () => {};

/** Called whenever the server says the session is gone (expired, signed out elsewhere, key revoked). */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/** Sends one typed operation with the session cookie and returns its `data`, or throws ApiError. */
export async function gql<R, V>(document: TypedDocumentString<R, V>, variables?: V, signal?: AbortSignal): Promise<R> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: String(document),
        variables: variables ?? {},
      }),
      credentials: 'same-origin',
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('NETWORK', 'Porthole did not answer. Check your connection and try again.');
  }
  const body = (await response.json().catch(() => ({}))) as GraphQLResponse<R>;
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'INTERNAL';
    if (code === 'UNAUTHENTICATED') onSignedOut();
    throw new ApiError(code, first.message);
  }
  if (!response.ok || !body.data) throw new ApiError('INTERNAL', `Something went wrong (HTTP ${response.status}).`);
  return body.data;
}

/** A message fit to show a person, whatever was thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.name === 'AbortError') return '';
  return 'Something went wrong.';
}
