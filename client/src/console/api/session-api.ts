import { startAuthentication } from '@simplewebauthn/browser';
import { ApiError } from './graphql-client';

/**
 * Sign-in and sign-out: the only REST calls the console makes. A password, an API key or an
 * invitation code goes to the server once, in a request body; the answer is an HttpOnly cookie
 * that scripts cannot read.
 */

const NETWORK = () => new ApiError('NETWORK', 'Porthole did not answer. Check your connection and try again.');

/** POSTs JSON to one of the console's own routes; the server's `{ error: { code, message } }` becomes an ApiError. */
async function postJson<T>(path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw NETWORK();
  }
  const answer = (await response.json().catch(() => ({}))) as T & { error?: { code?: string; message?: string } };
  if (response.ok) return answer;
  throw new ApiError(answer.error?.code ?? 'INTERNAL', answer.error?.message ?? `Something went wrong (HTTP ${response.status}).`);
}

/** Email and password (and the workspace, for an email in several). Resolves once the cookie is set. */
export async function openSessionWithPassword(email: string, password: string, workspace: string): Promise<void> {
  await postJson('/console/session', { email, password, ...(workspace ? { workspace } : {}) });
}

/**
 * A passkey: a fresh challenge from the server, the browser's passkey prompt (any passkey of this
 * site: they are discoverable, so no email comes first), the signed answer back.
 */
export async function openSessionWithPasskey(): Promise<void> {
  const { options } = await postJson<{ options: Parameters<typeof startAuthentication>[0]['optionsJSON'] }>('/console/passkey/options', {});
  let passkey: unknown;
  try {
    passkey = await startAuthentication({ optionsJSON: options });
  } catch (error) {
    throw new ApiError('PASSKEY_CANCELLED', (error as Error).name === 'AbortError' ? '' : 'No passkey was used. Try again, or sign in another way.');
  }
  await postJson('/console/session', { passkey });
}

/** Whose invitation a code is, without using it. */
export const lookupInvitation = (code: string) =>
  postJson<{ name: string; email: string | null; workspace: { slug: string; name: string }; expiresAt: string }>('/console/invite/lookup', { code });

/** Sets the password, uses the invitation up and signs in. */
export async function acceptInvitation(code: string, password: string): Promise<void> {
  await postJson('/console/invite/accept', { code, password });
}

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
