import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json lives), from the sources or from `dist/`. */
export function repoRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    if (existsSync(join(directory, 'package.json')) && existsSync(join(directory, 'schema.graphql'))) return directory;
    directory = dirname(directory);
  }
  throw new Error('Cannot find the repository root above server/src.');
}

/** Where `npm run build:client` puts the Svelte client. */
export const clientDistDir = (): string => join(repoRoot(), 'dist', 'client');
