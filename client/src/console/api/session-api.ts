import { ApiError } from './graphql-client';

/**
 * Sign-in and sign-out: the only REST calls the console makes. The API key goes to the server
 * once, in this request body; the answer is an HttpOnly cookie that scripts cannot read.
 */

/** Exchanges an API key for the session cookie. Resolves once the cookie is set. */
export async function openSession(apiKey: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch('/console/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey }),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError('NETWORK', 'Porthole did not answer. Check your connection and try again.');
  }
  if (response.ok) return;
  const body = (await response.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string };
  };
  const code = body.error?.code ?? 'INTERNAL';
  throw new ApiError(code, code === 'UNAUTHENTICATED' ? 'That API key is not valid. Check it and try again.' : (body.error?.message ?? 'Sign-in failed.'));
}

/** Ends the session on the server and clears the cookie. */
export async function closeSession(): Promise<void> {
  await fetch('/console/session', {
    method: 'DELETE',
    credentials: 'same-origin',
  }).catch(() => undefined);
}
