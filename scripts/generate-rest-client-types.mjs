/**
 * Writes the types `openapi-typescript` generates from GET /api/openapi.json into
 * tests/support/generated/porthole-rest.ts, for the test that runs the partner flow through a
 * client generated from the document (tests/integration/generated-client.test.ts). That test
 * generates them again and fails when this file is stale: run `node scripts/generate-rest-client-types.mjs <url>`
 * against a running server, or that test with WRITE_GENERATED=1.
 */
import { writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';

const url = process.argv[2] ?? 'http://localhost:4000';
const response = await fetch(`${url}/api/openapi.json`);
const source = astToString(await openapiTS(await response.json()));
writeFileSync(new URL('../tests/support/generated/porthole-rest.ts', import.meta.url), source);
console.log('tests/support/generated/porthole-rest.ts');
