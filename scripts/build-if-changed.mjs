#!/usr/bin/env node
/**
 * `npm start`'s build step: builds the server (tsc) and the client (the five Vite builds, GraphiQL's
 * among them) only when their inputs changed since the last build, so a restart takes seconds. Each
 * part's inputs are hashed (every file's path and bytes, plus the lockfile and configs that shape
 * the output); the hash of the last successful build is kept in dist/.build-stamps.json, and a
 * part whose output is missing is built whatever the stamp says. A fresh clone has no stamps, so
 * its first start builds everything. `--force` builds both.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const stampsFile = join(root, 'dist', '.build-stamps.json');

const SHARED = ['package.json', 'package-lock.json', 'tsconfig.json'];
const PARTS = [
  { name: 'server', script: 'build:server', inputs: [...SHARED, 'tsconfig.build.json', 'server/src'], output: 'dist/server/src/main.js' },
  // The client builds share one output folder (the first of them empties it), so they are one part.
  { name: 'client', script: 'build:client', inputs: [...SHARED, 'vite.config.ts', 'scripts/report-sizes.mjs', 'client'], output: 'dist/client/graphiql.html' },
];

/** Every file under `path` (or `path` itself), sorted, so the hash does not depend on the order a folder lists in. */
function filesOf(path) {
  const absolute = join(root, path);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [absolute];
  return readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && !entry.name.startsWith('.'))
    .flatMap((entry) => filesOf(relative(root, join(absolute, entry.name))))
    .sort();
}

function hashOf(inputs) {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(filesOf)) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

const force = process.argv.includes('--force');
let stamps = {};
try {
  stamps = JSON.parse(readFileSync(stampsFile, 'utf8'));
} catch {
  // No stamps yet (a fresh clone, or dist/ removed): everything is built.
}
for (const part of PARTS) {
  const hash = hashOf(part.inputs);
  if (!force && stamps[part.name] === hash && existsSync(join(root, part.output))) continue;
  console.log(`porthole: building the ${part.name} (its sources changed since the last build)…`);
  const run = spawnSync('npm', ['run', part.script, '--silent'], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  stamps[part.name] = hash;
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(stampsFile, `${JSON.stringify(stamps, null, 2)}\n`);
}
