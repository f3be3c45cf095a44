/**
 * Defence in depth for the embed documents: each client renders only where its route serves it,
 * with the headers that route sets (frame-ancestors above all). Were the built page ever reachable
 * another way (a file server, a proxy rewriting paths), the client shows "unavailable" and never
 * sends its credential. The server is what enforces this; these checks only refuse, never allow.
 */

interface PageClaims {
  page?: unknown;
  /** Read before the first load, so the embed starts in the token's words and theme (the server still decides). */
  locale?: unknown;
  theme?: unknown;
  /** Seconds since the epoch (page embed tokens; a user's embed token has none). */
  exp?: unknown;
  origins?: unknown;
  audience?: unknown;
}

/** A token's claims as sent, unverified (the server verifies); null when they cannot be read. */
export function claimsOf(token: string): PageClaims | null {
  try {
    return JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as PageClaims;
  } catch {
    return null;
  }
}

/**
 * Whether a page embed document was served by `/embed-page/<slug>/<page>` for the page its token
 * names, inside frames its token's origins allow (`location.ancestorOrigins`, where the browser
 * has it, checked as frame-ancestors checks every ancestor).
 */
export function servedByPageRoute(where: Location, token: string): boolean {
  const match = /^\/embed-page\/[^/]+\/([^/]+)\/?$/.exec(where.pathname);
  const claims = claimsOf(token);
  if (!match || !claims) return false;
  try {
    if (claims.page !== decodeURIComponent(match[1]!)) return false;
    const origins = Array.isArray(claims.origins) ? claims.origins.map((origin) => new URL(String(origin)).origin) : [];
    return origins.length === 0 || [...(where.ancestorOrigins ?? [])].every((origin) => origins.includes(origin));
  } catch {
    return false;
  }
}

/** Whether a user dashboard document was served by its route, `/dashboard.html`. */
export const servedByDashboardRoute = (where: Location): boolean => where.pathname === '/dashboard.html';
