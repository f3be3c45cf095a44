import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import { embedUnavailable } from '../errors.js';
import { clientDistDir } from '../paths.js';
import { clientAddress } from '../rate-limits/express.js';
import type { RateLimits } from '../rate-limits/surfaces.js';
import type { Services } from '../services.js';
import { answerFor, sendRestError } from './errors.js';
import { sendRefusal } from './refusal-page.js';
import { staticAssetRoutes } from './static-assets.js';

/** Headers for every embed document: framable only where allowed, no referrer, never cached. */
export function embedDocumentHeaders(res: Response, frameAncestors: readonly string[]): void {
  const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : '*';
  res.set({
    'Content-Security-Policy': `frame-ancestors ${ancestors}; base-uri 'none'; object-src 'none'; form-action 'none'`,
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // Lets host pages that set `Cross-Origin-Embedder-Policy: require-corp` frame us.
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  });
}

/**
 * The console runs only its own bundled scripts and talks only to its own origin; it frames
 * only its own embed previews, and nobody may frame it.
 */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const FALLBACK_HTML = (title: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><p>The Porthole client is not built. Run <code>npm run build:client</code>.</p></body></html>`;

/** Reads a built client page once; a missing build gets a page that says how to build it. */
function loadPage(file: string): () => string {
  let cached: string | undefined;
  return () => {
    if (cached !== undefined) return cached;
    const path = join(clientDistDir(), file);
    const html = existsSync(path) ? readFileSync(path, 'utf8') : FALLBACK_HTML(file);
    if (existsSync(path)) cached = html;
    return html;
  };
}

/**
 * The HTML surfaces a viewer opens: page embeds, the user dashboard, the loader and the
 * console, plus the client's static assets. A bad credential gets the same refusal document
 * and status for every reason ("This embed is unavailable.").
 */
export function embedHtmlRoutes(services: Services, logger: Logger, limits: RateLimits): Router {
  const router = Router();
  const embedPage = loadPage('embed-page.html');
  const dashboardPage = loadPage('dashboard.html');
  const consolePage = loadPage('console.html');

  /**
   * A refused credential gets the refusal document (never the embed client, which would read the
   * token and render it), with the status and headers of the error table: one answer for every
   * reason. An outage is the table's JSON 503.
   */
  const refuse = (res: Response, error: unknown) => {
    const answer = answerFor(error);
    if (answer.code !== 'EMBED_UNAVAILABLE' && answer.code !== 'RATE_LIMITED') {
      return sendRestError(res, error, (unknown) => logger.error({ err: unknown }, 'Embed document failed'));
    }
    sendRefusal(res, answer.code, answer.status, answer.headers);
  };

  router.get('/embed-page/:workspace/:page', async (req, res) => {
    try {
      const token = req.query['t'];
      const grant = await limits.authenticate(
        clientAddress(req),
        async () => {
          const opened = await services.embeds.openPageToken(token);
          // Only at the URL the embed's snippet names, byte for byte (`req.path` is not decoded): another
          // case, a trailing dot or slash, an encoded letter is another URL, refused like a wrong page.
          if (req.path !== `/embed-page/${encodeURIComponent(opened.workspaceSlug)}/${encodeURIComponent(opened.page._id)}`) throw embedUnavailable();
          return opened;
        },
        undefined,
        typeof token === 'string' ? token : undefined,
      );
      embedDocumentHeaders(res, grant.origins);
      res.type('html').send(embedPage());
    } catch (error) {
      refuse(res, error);
    }
  });

  router.get('/dashboard.html', async (req, res) => {
    try {
      // Routing ignores case and a trailing slash; the dashboard is served at its exact URL only.
      if (req.path !== '/dashboard.html') throw embedUnavailable();
      // Verify now so that the frame-ancestors come from the user's workspace.
      const token = req.query['token'];
      const grant = await limits.authenticate(
        clientAddress(req),
        () => services.embeds.openUserEmbedToken(token),
        undefined,
        typeof token === 'string' ? token : undefined,
      );
      embedDocumentHeaders(res, grant.origins);
      res.type('html').send(dashboardPage());
    } catch (error) {
      refuse(res, error);
    }
  });

  const consoleHeaders = {
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': CONSOLE_CSP,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  };
  // `/console/invite?code=…`: the console's invitation page (choose a password). No-referrer keeps the code out of every request it makes.
  router.get(['/console', '/console/', '/console/invite'], (_req, res) => {
    // No other window keeps a handle on the console (a page it opens, or that opened it).
    res.set({ ...consoleHeaders, 'Cross-Origin-Opener-Policy': 'same-origin' });
    res.type('html').send(consolePage());
  });

  // The "Sign in to view" popup of a SELF/WORKSPACE embed: the console's sign-in, which then posts a
  // viewer token to its opener (the embed frame, on this origin). `unsafe-none` keeps that opener:
  // the frame's top-level page is another site, and any stricter opener policy would sever the link.
  router.get('/console/embed-sign-in', (_req, res) => {
    res.set({ ...consoleHeaders, 'Cross-Origin-Opener-Policy': 'unsafe-none' });
    res.type('html').send(consolePage());
  });

  // The built pages are served only by the routes above, with their headers: the static routes
  // answer exactly the hashed assets and embed.js, never an HTML file, whatever the spelling.
  router.use(staticAssetRoutes());
  return router;
}
