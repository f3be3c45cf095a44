import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import { repoRoot } from '../../server/src/paths.js';
import { CALLS, CALLS_PAGE, createPage, DASHBOARD_QUERY, ingest } from '../support/factories.js';
import type { paths } from '../support/generated/porthole-rest.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The OpenAPI document is worth generating clients from (issue 23.7): `openapi-typescript` turns it
 * into types (committed, and checked here for staleness), and an `openapi-fetch` client typed by
 * them runs the partner flow over real HTTP — API key → user → embed token → session → dashboard.
 */

const GENERATED = join(repoRoot(), 'tests', 'support', 'generated', 'porthole-rest.ts');
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  await ingest(t, 'calls', CALLS);
  await createPage(t, CALLS_PAGE);
});
afterAll(async () => {
  await t.close();
});

describe('a client generated from the OpenAPI document', () => {
  test('the committed generated types are what openapi-typescript makes of the document now', async () => {
    const document = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as Record<string, unknown>;
    const fresh = astToString(await openapiTS(document as never));
    // Stale: run this test with WRITE_GENERATED=1 (or scripts/generate-rest-client-types.mjs against a running server).
    if (process.env['WRITE_GENERATED'] === '1') writeFileSync(GENERATED, fresh);
    expect(readFileSync(GENERATED, 'utf8')).toBe(fresh);
  }, 60_000);

  test('runs the partner flow: API key → createUser → embed token → auth token → dashboard data', async () => {
    const client = createClient<paths>({ baseUrl: t.url });
    const created = await client.POST('/api/v1/users', {
      headers: { 'x-api-key': t.apiKey },
      body: { external_id: 'ada', email: 'ada@example.com' },
    });
    expect(created.response.status).toBe(201);
    const userId = created.data!.user.id;

    const token = await client.GET('/api/v1/users/{id}/embed-token', { params: { path: { id: userId } }, headers: { 'x-api-key': t.apiKey } });
    expect(token.data!.embed_token).toBe(created.data!.embed_token);

    const session = await client.POST('/api/validate-embed-token', { body: { embed_token: token.data!.embed_token } });
    expect(session.response.status).toBe(200);
    expect(typeof session.data!.auth_token).toBe('string');

    const dashboard = await t.embedGql<{ dashboard: { pages: Array<{ widgets: Array<{ title: string; data: { rows: unknown[][] } }> }> } }>(
      DASHBOARD_QUERY,
      session.data!.auth_token,
    );
    const calls = dashboard.body.data!.dashboard.pages[0]!.widgets.find((widget) => widget.title === 'Calls')!;
    expect(calls.data.rows[0]![0]).toBe(CALLS.filter((call) => call.owner === 'ada').length);

    // A failure arrives typed as the document's error body, the REST field named as REST spells it.
    const refused = await client.POST('/api/v1/users', { headers: { 'x-api-key': t.apiKey }, body: { external_id: '' } });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.error.code).toBe('BAD_USER_INPUT');
    expect(refused.error?.error.message).toContain('external_id');
  }, 30_000);
});
