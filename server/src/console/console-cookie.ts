import type { Request } from 'express';

/**
 * The console session cookie. On a real host it is `Secure` and carries the `__Host-` prefix
 * (the browser then refuses it unless it is Secure, host-only and `Path=/`, so a sibling
 * subdomain cannot plant one). Plain-HTTP localhost development cannot use either, so loopback
 * hosts get an unprefixed, non-Secure cookie, and only loopback hosts ever read that name.
 */
const SECURE_NAME = '__Host-porthole_console';
const LOCAL_NAME = 'porthole_console';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether the request was addressed to this machine itself (development and tests). */
export function isLoopbackRequest(req: Request): boolean {
  return LOOPBACK_HOSTS.has((req.hostname ?? '').toLowerCase());
}

const cookieNameFor = (req: Request): string => (isLoopbackRequest(req) ? LOCAL_NAME : SECURE_NAME);

/** The session token from the request's cookie, if any. */
export function readSessionCookie(req: Request): string | undefined {
  return readCookie(req, cookieNameFor(req));
}

/**
 * The viewer bridge: the same session token in a second cookie that only `POST /console/viewer-token`
 * receives (`Path`), `SameSite=None` so that an embed iframe on another site that the browser grants
 * storage access (the Storage Access API) can learn who is viewing without a popup. The console's
 * own cookie stays `SameSite=Strict`: this one can do nothing but mint a short-lived viewer token,
 * whose answer a cross-site page cannot read (no CORS).
 */
const BRIDGE_PATH = '/console/viewer-token';
const bridgeNameFor = (req: Request): string => (isLoopbackRequest(req) ? 'porthole_viewer' : '__Secure-porthole_viewer');

/** The session token from the viewer bridge cookie, if any. */
export function readViewerBridgeCookie(req: Request): string | undefined {
  return readCookie(req, bridgeNameFor(req));
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    // Tokens are base64url, so anything else is not one of ours.
    return /^[A-Za-z0-9_-]+$/.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * `Set-Cookie` headers for a new session: the console cookie (HttpOnly, SameSite=Strict, Path=/, Secure
 * off loopback) and the viewer bridge (HttpOnly, SameSite=None, Secure, Path=/console/viewer-token).
 * Every sign-in sets its cookies through this one function.
 */
export function sessionCookie(req: Request, token: string, maxAgeSeconds: number): string[] {
  return [serialize(req, token, maxAgeSeconds), serializeBridge(req, token, maxAgeSeconds)];
}

/** `Set-Cookie` headers that make the browser forget both session cookies. */
export function clearedSessionCookie(req: Request): string[] {
  return [serialize(req, '', 0), serializeBridge(req, '', 0)];
}

function serialize(req: Request, value: string, maxAgeSeconds: number): string {
  const attributes = [`${cookieNameFor(req)}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict'];
  if (!isLoopbackRequest(req)) attributes.push('Secure');
  return attributes.join('; ');
}

/** SameSite=None needs Secure; browsers accept Secure cookies from http://localhost (a secure context). */
function serializeBridge(req: Request, value: string, maxAgeSeconds: number): string {
  return [`${bridgeNameFor(req)}=${value}`, `Path=${BRIDGE_PATH}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=None', 'Secure'].join('; ');
}
