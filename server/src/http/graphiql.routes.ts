import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type Request } from 'express';
import { clientDistDir } from '../paths.js';

/**
 * GraphiQL runs only its own bundled scripts and workers, talks only to this origin, and loads
 * nothing remote (no CDN, no web font). Monaco injects its styles at run time, hence
 * `'unsafe-inline'` for styles only; its codicon font is a bundled asset.
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Porthole GraphQL</title></head>' +
  '<body><p>GraphiQL is not built. Run <code>npm run build:client</code>.</p></body></html>';

/** A browser navigating to /graphql (it prefers HTML), not a GraphQL-over-HTTP GET. */
function wantsIde(req: Request): boolean {
  return req.query['query'] === undefined && req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/**
 * `GET /graphql` from a browser: the GraphiQL that `vite build --mode graphiql` built from npm,
 * served by Porthole itself. Mount before the GraphQL endpoint; everything else passes through
 * to it unchanged (POST, and GETs that ask for JSON).
 */
export function graphiqlRoutes(): Router {
  const router = Router();
  let cached: string | undefined;
  const page = (): string => {
    if (cached !== undefined) return cached;
    const path = join(clientDistDir(), 'graphiql.html');
    if (!existsSync(path)) return NOT_BUILT;
    return (cached = readFileSync(path, 'utf8'));
  };

  router.get('/graphql', (req, res, next) => {
    if (!wantsIde(req)) return next();
    res.set({
      'Content-Security-Policy': GRAPHIQL_CSP,
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      Vary: 'Accept',
    });
    res.type('html').send(page());
  });
  // The built page is served only by the route above, with its headers: the static routes
  // (static-assets.ts) serve no HTML file at all.
  return router;
}
