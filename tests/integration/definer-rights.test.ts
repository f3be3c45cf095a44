import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CALLS, createPage, createPrincipal, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Definer rights cover every setting that changes what a page shows: a member limited to one
 * owner who saves any of them becomes the page's author, so every embed of the page (an admin's
 * PUBLIC one included) reads within that member's access from then on: an edit can only narrow.
 */

let t: TestServer;
let adaOnly: string;

beforeAll(async () => {
  t = await startTestServer();
  await ingest(t, 'calls', CALLS);
  await createSecret(t);
  adaOnly = (await createPrincipal(t, { name: 'Ada desk', dataAccess: { all: false, owners: ['ada'] } })).apiKey;
});
afterAll(() => t.close());

const COUNT_PAGE = {
  title: 'Calls',
  dashboard: false,
  widgets: [{ title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }],
};

async function calls(token: string): Promise<unknown> {
  const response = await t.embedGql<{ page: { widgets: Array<{ data: { rows: unknown[][] } }> } }>('{ page { widgets { data { rows } } } }', token);
  return response.body.data?.page.widgets[0]?.data.rows[0]?.[0];
}

describe('definer rights', () => {
  test.each([
    ['dateRange', { dateRange: { default: 'ALL_TIME' } }],
    ['timezone', { timezone: 'Europe/Paris' }],
    ['weekStart', { weekStart: 'SUNDAY' }],
    ['dashboard', { dashboard: false }],
    ['widgets', { widgets: COUNT_PAGE.widgets }],
  ])("saving only %s makes the saver the author: an admin's PUBLIC embed then shows only what the saver may read", async (setting, input) => {
    // Only taking a page off the dashboards is open to a member limited to one owner; putting it on is not.
    const pageId = await createPage(t, { ...COUNT_PAGE, dashboard: setting === 'dashboard' });
    const shared = await t.gql('mutation($id: ID!) { setPageAccess(pageId: $id, sharing: WORKSPACE_EDIT) { id } }', { id: pageId });
    expect(shared.body.errors).toBeUndefined();
    const { token } = await mint(t, { pageId, audience: 'PUBLIC' });
    expect(await calls(token)).toBe(CALLS.length);

    const saved = await t.gql(
      'mutation($id: ID!, $input: UpdatePageInput!) { updatePage(id: $id, input: $input) { id } }',
      { id: pageId, input },
      { apiKey: adaOnly },
    );
    expect(saved.body.errors).toBeUndefined();
    expect(await calls(token)).toBe(CALLS.filter((call) => call.owner === 'ada').length);
  });

  test('saving only a title or a description leaves the author as it was', async () => {
    const pageId = await createPage(t, COUNT_PAGE);
    await t.gql('mutation($id: ID!) { setPageAccess(pageId: $id, sharing: WORKSPACE_EDIT) { id } }', { id: pageId });
    const { token } = await mint(t, { pageId, audience: 'PUBLIC' });
    const saved = await t.gql(
      'mutation($id: ID!, $input: UpdatePageInput!) { updatePage(id: $id, input: $input) { id } }',
      { id: pageId, input: { title: 'Calls, renamed', description: 'Same numbers' } },
      { apiKey: adaOnly },
    );
    expect(saved.body.errors).toBeUndefined();
    expect(await calls(token)).toBe(CALLS.length);
  });
});
