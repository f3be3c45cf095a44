/**
 * Copies Scalar's standalone browser build (@scalar/api-reference, one self-contained script) into
 * the client build, where `GET /api/docs/reference.js` serves it: the API reference needs no CDN.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The package exports no ./package.json; its `browser` build sits at a fixed place in node_modules.
const packageDir = join(root, 'node_modules', '@scalar', 'api-reference');
const target = join(root, 'dist', 'client', 'api-reference');
mkdirSync(target, { recursive: true });
copyFileSync(join(packageDir, 'dist', 'browser', 'standalone.js'), join(target, 'standalone.js'));
console.log('API reference: dist/client/api-reference/standalone.js');
