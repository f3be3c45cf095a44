import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import { clientDistDir } from '../paths.js';

/**
 * `GET /api/docs`: the REST reference, rendered from `/api/openapi.json` by Scalar's standalone build,
 * which `npm run build:client` copies into the client build. Nothing remote is loaded (no CDN, no
 * web font: `withDefaultFonts: false`); the page talks only to this origin. Scalar injects its
 * styles at run time, hence `'unsafe-inline'` for styles only; no inline script (the configuration
 * is a data attribute).
 */
export const API_DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONFIGURATION = JSON.stringify({
  withDefaultFonts: false,
  hideClientButton: true,
  hideDarkModeToggle: false,
  telemetry: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
});

const PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<title>Porthole REST API</title></head><body>' +
  `<script id="api-reference" data-url="/api/openapi.json" data-configuration='${CONFIGURATION}'></script>` +
  '<script src="/api/docs/reference.js"></script></body></html>';

const NOT_BUILT =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Porthole REST API</title></head>' +
  '<body><p>The API reference is not built. Run <code>npm run build:client</code>; the document itself is at <a href="/api/openapi.json">/api/openapi.json</a>.</p></body></html>';

const HEADERS = {
  'Content-Security-Policy': API_DOCS_CSP,
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/** The reference page and its script, each served only by its route with its headers. */
export function apiDocsRoutes(router: Router): void {
  let script: Buffer | undefined;
  const scriptPath = join(clientDistDir(), 'api-reference', 'standalone.js');
  router.get('/api/docs', (_req, res) => {
    res
      .set({ ...HEADERS, 'Cache-Control': 'no-store' })
      .type('html')
      .send(existsSync(scriptPath) ? PAGE : NOT_BUILT);
  });
  router.get('/api/docs/reference.js', (_req, res) => {
    if (!existsSync(scriptPath)) return res.status(404).end();
    script ??= readFileSync(scriptPath);
    return res
      .set({ ...HEADERS, 'Cache-Control': 'public, max-age=3600' })
      .type('js')
      .send(script);
  });
}
