import type { GraphiQLProps } from 'graphiql';

type Fetcher = GraphiQLProps['fetcher'];

/**
 * Sends GraphiQL's operations to this origin's POST /graphql. The console session cookie goes
 * along by itself (same origin, SameSite=Strict); `content-type: application/json` is not a
 * "simple" request, so Apollo's CSRF prevention accepts the cookie. Headers typed in the header
 * editor (an X-API-KEY, say) are sent as given; empty ones are dropped, so the placeholder never
 * hides the session.
 */
export function sameOriginFetcher(endpoint: string): Fetcher {
  return async (params, options) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    for (const [name, value] of Object.entries(options?.headers ?? {})) {
      if (typeof value === 'string' && value.trim() !== '') headers[name] = value;
    }
    const response = await fetch(endpoint, { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify(params) });
    return response.json();
  };
}

/** The console session's principal, or null when this browser is not signed in to the console. */
export async function consoleViewer(endpoint: string): Promise<{ name: string; workspace: string } | null> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { name workspace { slug } } }' }),
    });
    const body = (await response.json()) as { data?: { viewer?: { name: string; workspace: { slug: string } } } };
    const viewer = body.data?.viewer;
    return viewer ? { name: viewer.name, workspace: viewer.workspace.slug } : null;
  } catch {
    return null;
  }
}
