#!/usr/bin/env node
/**
 * Prints the gzip size of what each embed makes a viewer download, and exits 1 when a budget is exceeded.
 *
 * "First load" counts every JS file an embed page loads at start: the entry its HTML names plus the
 * chunks that entry imports statically. The parts only some views need (the chart, the table, the
 * sign-in prompt: client/src/components/parts.svelte.ts) are chunks the entry imports dynamically,
 * loaded on use; each is listed apart, and the largest view (a page with a chart and a table) costs
 * the first load plus those two. The message catalogs of languages other than English
 * (client/src/lib/i18n/, assets the entry names by URL) are not in the first load either: an embed
 * fetches at most one, and only when it is shown in that language, so each is reported on its own
 * with a budget of its own. Sizes are gzip level 9; 1 kB = 1000 bytes, as Vite prints them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = join(import.meta.dirname, '..', 'dist', 'client');
/** The page embed's first load: 24 kB, with room left for the small features still to come to it. */
const BUDGETS = { 'embed-page.html': 24_000, 'embed.js': 2_000, catalog: 2_000, hostCommands: 4_000 };
/** A language's catalog, loaded on use (English, built in, is not a chunk of its own). */
const CATALOG = /lib\/i18n\/([a-z]{2})\.js$/;

const manifest = JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8'));
const gzipBytes = (file) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;
/** The manifest's chunk for a built file (an embed's entry is keyed by its chunk, not by its HTML). */
const chunkOf = (file) => Object.entries(manifest).find(([, chunk]) => chunk.file === file);

/**
 * The JS and CSS files an HTML entry loads at start, following static imports; `lazy`: the chunks it
 * imports dynamically, read from the code itself (both embeds build a Chart chunk of their own, and
 * the manifest keeps only the last build's entry for each source).
 */
function filesOf(html) {
  const entry = /<script type="module"[^>]* src="\/([^"]+)"/.exec(readFileSync(join(DIST, html), 'utf8'))?.[1];
  if (!entry) throw new Error(`${html} names no module script`);
  const js = [];
  const css = new Set();
  const visit = (file) => {
    if (js.includes(file)) return;
    js.push(file);
    const [, chunk] = chunkOf(file) ?? [];
    for (const sheet of chunk?.css ?? []) css.add(sheet);
    for (const key of chunk?.imports ?? []) visit(manifest[key].file);
  };
  visit(entry);
  const lazy = [
    ...new Set(js.flatMap((file) => [...readFileSync(join(DIST, file), 'utf8').matchAll(/import\(["`]\.\/([\w.-]+\.js)["`]\)/g)].map((m) => `assets/${m[1]}`))),
  ].filter((file) => !js.includes(file));
  return { js, css: [...css], lazy };
}

/** GraphiQL's JS files (its HTML entry is in the manifest), following static and dynamic imports. */
function graphiqlFiles(key = 'graphiql.html', seen = new Set()) {
  if (seen.has(key)) return { js: [] };
  seen.add(key);
  const chunk = manifest[key];
  const js = chunk.file.endsWith('.js') ? [chunk.file] : [];
  for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) js.push(...graphiqlFiles(next, seen).js);
  return { js };
}

const rows = [];
for (const entry of ['embed-page.html', 'dashboard.html']) {
  const { js, css, lazy } = filesOf(entry);
  const jsBytes = js.reduce((sum, file) => sum + gzipBytes(file), 0);
  const cssBytes = css.reduce((sum, file) => sum + gzipBytes(file), 0);
  rows.push({
    name: `${entry} JS first load (${js.length} files)`,
    bytes: jsBytes,
    budget: BUDGETS[entry],
  });
  rows.push({ name: `${entry} CSS (${css.length} files)`, bytes: cssBytes });
  for (const file of lazy) rows.push({ name: `  + ${/assets\/(.+)-[\w-]{8}\.js$/.exec(file)?.[1] ?? file} (loaded on use)`, bytes: gzipBytes(file) });
}
// GraphiQL (GET /graphql) is a developer tool of its own build: no budget, but never a file an embed loads.
const graphiql = manifest['graphiql.html'] ? graphiqlFiles() : { js: [] };
rows.push({ name: `graphiql.html JS (${graphiql.js.length} files)`, bytes: graphiql.js.reduce((sum, file) => sum + gzipBytes(file), 0) });
// Both embeds build the catalogs alike; the manifest keeps the last build's chunk of each.
const catalogs = Object.keys(manifest).filter((key) => CATALOG.test(key));
for (const key of catalogs.sort()) {
  rows.push({ name: `${CATALOG.exec(key)[1]} catalog (loaded on use)`, bytes: gzipBytes(manifest[key].file), budget: BUDGETS.catalog });
}
// The host page's commands (client/src/lib/host-actions.js): fetched, like a catalog, only when a host page uses them.
const HOST_COMMANDS = 'src/lib/host-actions.js';
if (manifest[HOST_COMMANDS]) {
  rows.push({ name: 'host commands (loaded on use)', bytes: gzipBytes(manifest[HOST_COMMANDS].file), budget: BUDGETS.hostCommands });
}
const embedFiles = new Set(['embed-page.html', 'dashboard.html'].flatMap((entry) => [...filesOf(entry).js, ...filesOf(entry).lazy]));
const shared = graphiql.js.filter((file) => embedFiles.has(file));
if (shared.length > 0) {
  console.error(`GraphiQL shares files with the embeds: ${shared.join(', ')}`);
  process.exit(1);
}
rows.push({
  name: 'embed.js loader',
  bytes: gzipBytes('embed.js'),
  budget: BUDGETS['embed.js'],
});

let over = false;
console.log('\nPorthole client bundle sizes (gzip -9)');
for (const { name, bytes, budget } of rows) {
  const verdict = budget === undefined ? '' : bytes <= budget ? `ok (budget ${kB(budget)})` : `OVER BUDGET (${kB(budget)})`;
  if (budget !== undefined && bytes > budget) over = true;
  console.log(`  ${name.padEnd(44)} ${kB(bytes).padStart(10)}  ${verdict}`);
}
if (over) {
  console.error('\nA bundle is over its budget.');
  process.exit(1);
}
