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

/** A short-lived viewer token for the signed-in person, to hand to an embed (the sign-in popup). */
export async function fetchViewerToken(): Promise<{ viewerToken: string; expiresAt: string }> {
  const response = await fetch('/console/viewer-token', { method: 'POST', credentials: 'same-origin' }).catch(() => null);
  if (!response) throw new ApiError('NETWORK', 'Porthole did not answer. Check your connection and try again.');
  const body = (await response.json().catch(() => ({}))) as { viewerToken?: string; expiresAt?: string; error?: { code?: string; message?: string } };
  if (!response.ok || !body.viewerToken || !body.expiresAt)
    throw new ApiError(body.error?.code ?? 'INTERNAL', body.error?.message ?? 'Could not sign the embed in.');
  return { viewerToken: body.viewerToken, expiresAt: body.expiresAt };
}
