/** The console's screens. Hash routes, because the server serves the console at `/console` alone. */
export type Route =
  | { name: 'pages' }
  | { name: 'page'; id: string }
  | { name: 'new-page' }
  | { name: 'edit-page'; id: string }
  | { name: 'members' }
  | { name: 'dashboards' }
  | { name: 'users' }
  | { name: 'embedding' }
  | { name: 'api-keys' }
  | { name: 'security' }
  | { name: 'audit' }
  | { name: 'data' }
  | { name: 'check-token' };

export const links = {
  pages: '#/pages',
  page: (id: string) => `#/pages/${encodeURIComponent(id)}`,
  newPage: '#/pages/new',
  editPage: (id: string) => `#/pages/${encodeURIComponent(id)}/edit`,
  users: '#/users',
  embedding: '#/settings/developer/embedding',
  apiKeys: '#/settings/developer/api-keys',
  members: '#/settings/members',
  dashboards: '#/settings/dashboards',
  security: '#/settings/security',
  audit: '#/settings/audit',
  data: '#/data',
  checkToken: '#/settings/developer/check-token',
};

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/pages/new') return { name: 'new-page' };
  const edit = /^\/pages\/([^/]+)\/edit$/.exec(path);
  if (edit) return { name: 'edit-page', id: decodeURIComponent(edit[1]!) };
  const page = /^\/pages\/([^/]+)$/.exec(path);
  if (page) return { name: 'page', id: decodeURIComponent(page[1]!) };
  if (path === '/users') return { name: 'users' };
  if (path === '/settings/developer/embedding' || path === '/settings') return { name: 'embedding' };
  if (path === '/settings/developer/api-keys') return { name: 'api-keys' };
  if (path === '/settings/members') return { name: 'members' };
  if (path === '/settings/dashboards') return { name: 'dashboards' };
  if (path === '/settings/security') return { name: 'security' };
  if (path === '/settings/audit') return { name: 'audit' };
  if (path === '/data') return { name: 'data' };
  if (path === '/settings/developer/check-token') return { name: 'check-token' };
  return { name: 'pages' };
}

/** The current route, following `hashchange` (back and forward buttons included). */
export class Router {
  #route = $state.raw<Route>(parseRoute(location.hash));

  constructor() {
    addEventListener('hashchange', () => {
      this.#route = parseRoute(location.hash);
    });
  }

  get route(): Route {
    return this.#route;
  }
}
