import { svelte } from '@sveltejs/vite-plugin-svelte';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const clientRoot = fileURLToPath(new URL('./client', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/client', import.meta.url));
const page = (name: string) => fileURLToPath(new URL(`./client/${name}.html`, import.meta.url));

/**
 * Keeps the entries an earlier build of this run wrote to dist/client/.vite/manifest.json, which
 * scripts/report-sizes.mjs reads: each embed page is a build of its own (see embedPage), and each
 * build writes the manifest afresh.
 */
function keepEarlierManifest(): Plugin {
  const file = join(outDir, '.vite', 'manifest.json');
  let earlier: Record<string, unknown> = {};
  return {
    name: 'porthole:keep-earlier-manifest',
    apply: 'build',
    buildStart() {
      earlier = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    },
    writeBundle() {
      const current = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, JSON.stringify({ ...earlier, ...current }, null, 2));
    },
  };
}

/** Vite's module that preloads what a chunk loaded on use imports (other chunks, CSS). */
const PRELOAD_HELPER = '\0vite/preload-helper.js';

/**
 * The embeds' chunks loaded on use (the chart, the table, the sign-in prompt: components/parts.svelte.ts)
 * import nothing but the entry, which is loaded already, and carry no CSS (their styles are in
 * styles/): there is nothing to preload, so Vite's preload helper (0.65 kB gzip in every embed)
 * becomes a plain call. The build fails if a chunk ever does need something preloaded.
 */
function nothingToPreload(): Plugin {
  return {
    name: 'porthole:nothing-to-preload',
    apply: 'build',
    enforce: 'pre',
    load(id) {
      return id === PRELOAD_HELPER ? 'export const __vitePreload = (load) => load();' : null;
    },
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && chunk.code.includes('__vite__mapDeps'))
          this.error(`${chunk.fileName} preloads files for a chunk loaded on use; an embed's lazy chunks must import only the entry and carry no CSS.`);
      }
    },
  };
}

/**
 * `vite build` (the page embed, first: it empties dist/client/) and `vite build --mode dashboard`:
 * one embed page each, hashed assets under dist/client/assets/, and the manifest.
 *
 * Each page is bundled alone, so it loads a single JS file at start holding what every view of it
 * uses, and the parts only some need (chart, table, sign-in) on use. Built together,
 * the two pages split into an entry plus a shared chunk, and the page embed cost 0.43 kB gzip more
 * (a second request, the imports and exports between the chunks, less inlining across them).
 */
const embedPage = (name: 'embed-page' | 'dashboard'): UserConfig => ({
  root: clientRoot,
  base: '/',
  // The version beacon costs bytes in every embed and tells visitors nothing.
  plugins: [nothingToPreload(), svelte({ compilerOptions: { discloseVersion: false } }), ...(name === 'dashboard' ? [keepEarlierManifest()] : [])],
  build: {
    outDir,
    emptyOutDir: name === 'embed-page',
    manifest: true,
    target: 'es2022',
    // Every browser that runs the embed supports <link rel=modulepreload>; the polyfill would cost 0.4 KB.
    modulePreload: { polyfill: false },
    // Language catalogs stay files of their own, fetched on use (client/src/lib/i18n/index.ts), never inlined.
    // So do the host page's commands (client/src/lib/host-actions.js, loaded on first use).
    assetsInlineLimit: (file: string) => (file.includes('/lib/i18n/') || file.endsWith('/lib/host-actions.js') ? false : undefined),
    rollupOptions: {
      input: { [name]: page(name) },
      output: {
        // Everything the page loads at start in its entry chunk, whatever the chunks loaded on use
        // import from it too: split out as shared chunks, the first load cost 1.2 kB gzip more.
        codeSplitting: { groups: [{ name, tags: ['$initial'] }] },
      },
    },
  },
});

/**
 * `vite build --mode loader`: the script loader alone, as one unhashed IIFE at dist/client/embed.js,
 * added next to the pages (so it runs after them and keeps outDir).
 */
const loader: UserConfig = {
  root: clientRoot,
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2019',
    lib: {
      entry: fileURLToPath(new URL('./client/src/loader/embed.ts', import.meta.url)),
      formats: ['iife'],
      name: 'PortholeLoader',
      fileName: () => 'embed.js',
    },
  },
};

/**
 * `vite build --mode console`: the console, added next to the pages (run after them). A build of its
 * own, so the larger share of the Svelte runtime the console uses never lands in the chunks the
 * embeds load: built together, the page embed grew by about 4.7 kB gzip.
 */
const consoleApp: UserConfig = {
  root: clientRoot,
  base: '/',
  publicDir: false,
  plugins: [svelte({ compilerOptions: { discloseVersion: false } })],
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    rollupOptions: { input: { console: page('console') } },
  },
};

/**
 * `vite build --mode graphiql`: GraphiQL (React, Monaco and its workers) for `GET /graphql`, added
 * next to the pages (run after them). A build of its own, so nothing of React or Monaco can reach
 * a chunk the embeds or the console load; `npm run build` prints its size.
 */
const graphiqlApp: UserConfig = {
  root: clientRoot,
  base: '/',
  publicDir: false,
  plugins: [keepEarlierManifest()],
  build: {
    outDir,
    emptyOutDir: false,
    manifest: true,
    target: 'es2022',
    // GraphiQL is a developer tool of several MB; it is loaded once and cached (hashed assets).
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      input: { graphiql: page('graphiql') },
      // React libraries mark their modules "use client"; the directive means nothing outside a server-components bundler.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  worker: { format: 'es' },
};

export default defineConfig(({ mode }) =>
  mode === 'loader'
    ? loader
    : mode === 'console'
      ? consoleApp
      : mode === 'graphiql'
        ? graphiqlApp
        : embedPage(mode === 'dashboard' ? 'dashboard' : 'embed-page'),
);
