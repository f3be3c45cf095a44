import { existsSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Router } from 'express';
import { clientDistDir } from '../paths.js';

/**
 * The client's static files, as an allowlist: exactly the files Vite wrote to `dist/client/assets/`
 * (content-hashed names) and the loader `embed.js`, each answered only at its exact request path.
 *
 * Not `express.static`: a file server maps many spellings of a path onto one file (`%2f`, `%2e`,
 * `..`, backslashes, case on some file systems), and the HTML pages next to the assets were reached
 * that way without the headers their routes set (`/x/..%2fembed-page.html?t=…` rendered a token's
 * data framed by any site). Here the raw path, still percent-encoded, must equal one of the names
 * listed below, byte for byte; nothing is decoded or normalised, so no spelling reaches another file.
 * Every HTML page is served by its own route only.
 */

/** What the builds emit into `assets/`: scripts, styles, fonts, images, wasm. Never a document. */
const SERVABLE = new Set(['.js', '.mjs', '.css', '.woff', '.woff2', '.ttf', '.otf', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.ico', '.wasm']);
/** Vite's `[name]-[hash].[ext]`: a name that needs no percent-encoding and has no path in it. */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

interface Asset {
  file: string;
  /** Hashed names never change content; `embed.js` keeps its name across releases. */
  immutable: boolean;
}

/** The request paths that may be served, read from the build. */
function listAssets(distDir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const assetsDir = join(distDir, 'assets');
  if (existsSync(assetsDir)) {
    for (const entry of readdirSync(assetsDir, { withFileTypes: true })) {
      if (entry.isFile() && PLAIN_NAME.test(entry.name) && SERVABLE.has(extname(entry.name).toLowerCase())) {
        assets.set(`/assets/${entry.name}`, { file: join(assetsDir, entry.name), immutable: true });
      }
    }
  }
  if (existsSync(join(distDir, 'embed.js'))) assets.set('/embed.js', { file: join(distDir, 'embed.js'), immutable: false });
  return assets;
}

/**
 * `GET /assets/<hashed name>` and `GET /embed.js`; every other path passes on (to a 404).
 * The list is read once the build exists (as the HTML routes read their pages once): a rebuild
 * needs a restart, which it needs anyway for the pages that name the new hashes.
 */
export function staticAssetRoutes(distDir: string = clientDistDir()): Router {
  const router = Router();
  let cached: Map<string, Asset> | undefined;
  const assets = (): Map<string, Asset> => {
    if (cached) return cached;
    const listed = listAssets(distDir);
    if (listed.size > 0) cached = listed;
    return listed;
  };

  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // `req.path` is the raw path of the request line: still percent-encoded, never normalised.
    const asset = assets().get(req.path);
    if (!asset) return next();
    res.set({
      // Other sites load embed.js, and pages with COEP require-corp load the embed's assets.
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      ...(asset.immutable ? {} : { 'Access-Control-Allow-Origin': '*' }),
    });
    res.sendFile(asset.file, { dotfiles: 'deny', cacheControl: false }, (error) => {
      if (error) next(error);
    });
  });
  return router;
}
