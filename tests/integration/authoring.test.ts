import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { asViewer, CALLS, CALLS_PAGE, createPage, createPrincipal, createSecret, ingest, mint, PAGE_QUERY, viewerToken } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let t: TestServer;
/** A member who may read only ada's records. */
let adaOnly: string;

const codeOf = (response: { body: { errors?: Array<{ extensions?: { code?: string } }> } }) => response.body.errors?.[0]?.extensions?.code;
const messageOf = (response: { body: { errors?: Array<{ message: string }> } }) => response.body.errors?.[0]?.message;

const viewers = new Map<string, Promise<string>>();
/** The `X-Porthole-Viewer` header of `apiKey`'s principal, signed in (one per key): SELF embeds open only for their minter. */
function viewerOf(apiKey = t.apiKey): Promise<Record<string, string>> {
  if (!viewers.has(apiKey)) viewers.set(apiKey, viewerToken(t, apiKey));
  return viewers.get(apiKey)!.then(asViewer);
}

const DATASET = 'query($name: String!) { dataset(name: $name) { name recordCount lastRecordAt fields { name types count } } }';
const FIELD_VALUES = 'query($d: String!, $f: String!, $l: Int) { fieldValues(dataset: $d, field: $f, limit: $l) }';
const PREVIEW = 'query($input: WidgetInput!) { previewWidget(input: $input) { columns rows } }';
const CREATE = 'mutation($input: CreatePageInput!) { createPage(input: $input) { id problems } }';

beforeAll(async () => {
  t = await startTestServer();
  await ingest(t, 'calls', CALLS);
  await ingest(t, 'calls', [{ owner: 'ada', at: '2026-11-04T08:00:00Z', channel: 'phone', minutes: 3.5, resolved: true, openedAt: '2026-11-04' }]);
  await createSecret(t);
  adaOnly = (await createPrincipal(t, { name: 'Ada only', dataAccess: { all: false, owners: ['ada'] } })).apiKey;
});
afterAll(async () => {
  await t.close();
});

describe('the dataset catalog', () => {
  test('lists each field with its observed types and how many records carried it, kept at ingest', async () => {
    const response = await t.gql<{ dataset: { name: string; recordCount: number; lastRecordAt: string; fields: unknown[] } }>(DATASET, { name: 'calls' });
    expect(response.body.data?.dataset).toEqual({
      name: 'calls',
      recordCount: 7,
      lastRecordAt: '2026-11-04T08:00:00.000Z',
      fields: [
        { name: 'at', types: ['DATE'], count: 7 },
        { name: 'channel', types: ['STRING'], count: 7 },
        { name: 'minutes', types: ['NUMBER'], count: 7 },
        { name: 'owner', types: ['STRING'], count: 7 },
        { name: 'openedAt', types: ['DATE'], count: 1 },
        { name: 'resolved', types: ['BOOLEAN'], count: 1 },
      ],
    });
  });

  test('a field seen with two types lists both; datasets lists every dataset, another workspace sees none of them', async () => {
    await ingest(t, 'tickets', [{ priority: 2 }, { priority: 'high' }, { priority: 3 }]);
    const response = await t.gql<{ datasets: Array<{ name: string; fields: Array<{ name: string; types: string[]; count: number }> }> }>(
      '{ datasets { name fields { name types count } } }',
    );
    expect(response.body.data?.datasets.map((dataset) => dataset.name)).toEqual(['calls', 'tickets']);
    const priority = response.body.data?.datasets[1]!.fields.find((field) => field.name === 'priority');
    expect(priority).toEqual({ name: 'priority', types: ['NUMBER', 'STRING'], count: 3 });
    const other = await t.gql<{ datasets: unknown[] }>('{ datasets { name } }', {}, { apiKey: t.otherApiKey });
    expect(other.body.data?.datasets).toEqual([]);
    const unknown = await t.gql(DATASET, { name: 'nothing-here' });
    expect(unknown.body.data).toEqual({ dataset: null });
  });

  test('a retried ingest (records with an id) is not counted twice', async () => {
    const batch = [
      { id: 'r1', owner: 'ada', kind: 'refund', amount: 5 },
      { id: 'r2', owner: 'ada', kind: 'refund', amount: 7 },
    ];
    await ingest(t, 'refunds', batch);
    await ingest(t, 'refunds', batch);
    await ingest(t, 'refunds', [...batch, { id: 'r3', owner: 'grace', kind: 'chargeback', amount: 1 }, { id: 'r3', owner: 'grace', kind: 'x', amount: 1 }]);
    const response = await t.gql<{ dataset: { recordCount: number; fields: Array<{ name: string; count: number }> } }>(DATASET, { name: 'refunds' });
    expect(response.body.data?.dataset.recordCount).toBe(3);
    expect(response.body.data?.dataset.fields.find((field) => field.name === 'amount')?.count).toBe(3);
  });

  test('fieldValues returns the most frequent values first', async () => {
    const response = await t.gql<{ fieldValues: unknown[] }>(FIELD_VALUES, { d: 'calls', f: 'channel' });
    expect(response.body.data?.fieldValues).toEqual(['phone', 'chat', 'email']);
    const limited = await t.gql<{ fieldValues: unknown[] }>(FIELD_VALUES, { d: 'calls', f: 'channel', l: 1 });
    expect(limited.body.data?.fieldValues).toEqual(['phone']);
  });

  test('fieldValues counts only records the caller may read: values of other owners never appear', async () => {
    const owners = await t.gql<{ fieldValues: unknown[] }>(FIELD_VALUES, { d: 'calls', f: 'owner' }, { apiKey: adaOnly });
    expect(owners.body.data?.fieldValues).toEqual(['ada']);
    // "email" is only in grace's records.
    const channels = await t.gql<{ fieldValues: unknown[] }>(FIELD_VALUES, { d: 'calls', f: 'channel' }, { apiKey: adaOnly });
    expect(channels.body.data?.fieldValues).toEqual(['phone', 'chat']);
    const minutes = await t.gql<{ fieldValues: number[] }>(FIELD_VALUES, { d: 'calls', f: 'minutes', l: 100 }, { apiKey: adaOnly });
    expect([...minutes.body.data!.fieldValues].sort((a, b) => a - b)).toEqual([3.5, 4, 6, 10]);
  });

  test('fieldValues refuses a bad field name or limit', async () => {
    expect(codeOf(await t.gql(FIELD_VALUES, { d: 'calls', f: '$where' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(FIELD_VALUES, { d: 'calls', f: 'channel', l: 1000 }))).toBe('BAD_USER_INPUT');
  });
});

describe('queries checked against the catalog', () => {
  test('a widget naming a field its dataset never had is refused, naming the closest field', async () => {
    const response = await t.gql(CREATE, {
      input: { title: 'Typo', widgets: [{ title: 'By channel', kind: 'BAR', query: { dataset: 'calls', groupBy: 'chanel', metric: { fn: 'COUNT' } } }] },
    });
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    expect(messageOf(response)).toBe('Unknown field "chanel" in dataset "calls"; did you mean "channel"?');
  });

  test('filters, select and sort are checked too, on create and on update', async () => {
    const filter = await t.gql(CREATE, {
      input: {
        title: 'Typo',
        widgets: [
          { title: 'Phone', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' }, filters: [{ field: 'chanel', op: 'EQ', value: 'phone' }] } },
        ],
      },
    });
    expect(messageOf(filter)).toBe('Unknown field "chanel" in dataset "calls"; did you mean "channel"?');
    const id = await createPage(t, { title: 'Fine', widgets: [] });
    const update = await t.gql('mutation($id: ID!, $input: UpdatePageInput!) { updatePage(id: $id, input: $input) { id } }', {
      id,
      input: { widgets: [{ title: 'Latest', kind: 'TABLE', query: { dataset: 'calls', select: ['owner', 'minuts'] } }] },
    });
    expect(codeOf(update)).toBe('BAD_USER_INPUT');
    expect(messageOf(update)).toBe('Unknown field "minuts" in dataset "calls"; did you mean "minutes"?');
  });

  test('SUM, AVG, MIN and MAX need a number field', async () => {
    for (const fn of ['SUM', 'AVG', 'MIN', 'MAX']) {
      const response = await t.gql(CREATE, {
        input: { title: 'Sum', widgets: [{ title: 'x', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn, field: 'channel' } } }] },
      });
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(messageOf(response)).toBe(`${fn} needs a number field, and "channel" in dataset "calls" is not a number. Number fields: "minutes".`);
    }
  });

  test('a dataset without records yet is allowed, and Page.problems says what does not resolve', async () => {
    const response = await t.gql<{ createPage: { id: string; problems: string[] } }>(CREATE, {
      input: {
        title: 'Early',
        widgets: [
          { title: 'Count', kind: 'NUMBER', query: { dataset: 'callz', metric: { fn: 'COUNT' } } },
          { title: 'Fine', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } },
        ],
      },
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.createPage.problems).toEqual(['“Count”: dataset "callz" has no records yet; did you mean "calls"?']);
    await ingest(t, 'callz', [{ minutes: 1 }]);
    const later = await t.gql<{ page: { problems: string[] } }>('query($id: ID!) { page(id: $id) { problems } }', { id: response.body.data!.createPage.id });
    expect(later.body.data?.page.problems).toEqual([]);
  });

  test('the pages the suite has always saved still save', async () => {
    const response = await t.gql<{ createPage: { problems: string[] } }>(CREATE, { input: CALLS_PAGE });
    expect(response.body.data?.createPage.problems).toEqual([]);
  });
});

describe('previewWidget', () => {
  const byChannel = { title: 'By channel', kind: 'BAR', query: { dataset: 'calls', groupBy: 'channel', metric: { fn: 'COUNT' } } };

  test('renders an unsaved widget', async () => {
    const response = await t.gql<{ previewWidget: { columns: string[]; rows: unknown[][] } }>(PREVIEW, { input: byChannel });
    expect(response.body.data?.previewWidget).toEqual({
      columns: ['channel', 'count'],
      rows: [
        ['phone', 4],
        ['chat', 2],
        ['email', 1],
      ],
    });
  });

  test('renders within the caller’s own data access, as an embed the caller minted for itself would', async () => {
    const response = await t.gql<{ previewWidget: { rows: unknown[][] } }>(PREVIEW, { input: byChannel }, { apiKey: adaOnly });
    expect(response.body.data?.previewWidget.rows).toEqual([
      ['phone', 3],
      ['chat', 1],
    ]);
    const pageId = await createPage(t, { title: 'Same', widgets: [byChannel] });
    const embed = await mint(t, { pageId, audience: 'SELF' }, adaOnly);
    const rendered = await t.embedGql<{ page: { widgets: Array<{ data: { rows: unknown[][] } }> } }>(PAGE_QUERY, embed.token, await viewerOf(adaOnly));
    expect(rendered.body.data?.page.widgets[0]!.data.rows).toEqual(response.body.data?.previewWidget.rows);
  });

  test('refuses what a save would refuse, with the same message', async () => {
    const response = await t.gql(PREVIEW, { input: { ...byChannel, query: { ...byChannel.query, groupBy: 'chanel' } } });
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    expect(messageOf(response)).toBe('Unknown field "chanel" in dataset "calls"; did you mean "channel"?');
  });

  test('needs an API key', async () => {
    expect(codeOf(await t.gql(PREVIEW, { input: byChannel }, { apiKey: null }))).toBe('UNAUTHENTICATED');
  });
});

describe('embeds you can manage', () => {
  const EMBEDS = 'query($id: ID!) { pageEmbeds(pageId: $id) { id label audience } }';
  const PREVIEW_EMBED = 'mutation($id: ID!) { previewPageEmbed(pageId: $id) { id token expiresAt audience } }';

  test('a label given at mint time is listed with the embed', async () => {
    const pageId = await createPage(t, CALLS_PAGE);
    const embed = await mint(t, { pageId, audience: 'WORKSPACE', label: '  partner.example  ' });
    const listed = await t.gql<{ pageEmbeds: Array<{ id: string; label: string | null }> }>(EMBEDS, { id: pageId });
    expect(listed.body.data?.pageEmbeds).toEqual([{ id: embed.id, label: 'partner.example', audience: 'WORKSPACE' }]);
    const tooLong = await t.gql('mutation($input: MintPageEmbedInput!) { mintPageEmbed(input: $input) { id } }', {
      input: { pageId, audience: 'SELF', label: 'x'.repeat(101) },
    });
    expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');
  });

  test('REST minting takes a label too, and lists it', async () => {
    const pageId = await createPage(t, CALLS_PAGE);
    const minted = await t.rest(
      'POST',
      `/api/platform/v1/pages/${pageId}/embed-token`,
      { audience: 'workspace', label: 'docs.partner.example' },
      { 'x-api-key': t.apiKey },
    );
    expect(minted.status).toBe(201);
    const listed = await t.rest('GET', `/api/platform/v1/pages/${pageId}/embeds`, undefined, { 'x-api-key': t.apiKey });
    expect((listed.body['embeds'] as Array<{ id: string; label: string | null }>).map(({ id, label }) => ({ id, label }))).toEqual([
      { id: minted.body['id'], label: 'docs.partner.example' },
    ]);
  });

  test('the console preview is one reused embed per page and caller, never listed, and stops when ended', async () => {
    const pageId = await createPage(t, CALLS_PAGE);
    const first = await t.gql<{ previewPageEmbed: { id: string; token: string; audience: string } }>(PREVIEW_EMBED, { id: pageId });
    const second = await t.gql<{ previewPageEmbed: { id: string; token: string } }>(PREVIEW_EMBED, { id: pageId });
    expect(first.body.data?.previewPageEmbed.audience).toBe('SELF');
    expect(second.body.data?.previewPageEmbed.id).toBe(first.body.data?.previewPageEmbed.id);
    const other = await t.gql<{ previewPageEmbed: { id: string } }>(PREVIEW_EMBED, { id: pageId }, { apiKey: adaOnly });
    expect(other.body.data?.previewPageEmbed.id).not.toBe(first.body.data?.previewPageEmbed.id);
    const listed = await t.gql<{ pageEmbeds: unknown[] }>(EMBEDS, { id: pageId });
    expect(listed.body.data?.pageEmbeds).toEqual([]);

    // The preview is SELF: the console's iframe loads it as its caller, signed in.
    const token = second.body.data!.previewPageEmbed.token;
    expect((await t.embedGql(PAGE_QUERY, token, await viewerOf())).status).toBe(200);
    const ended = await t.gql<{ endPageEmbedPreview: boolean }>('mutation($id: ID!) { endPageEmbedPreview(pageId: $id) }', { id: pageId });
    expect(ended.body.data?.endPageEmbedPreview).toBe(true);
    for (const viewer of [await viewerOf(), {}]) {
      const after = await t.embedGql(PAGE_QUERY, token, viewer);
      expect(after.body.errors?.[0]?.extensions?.code).toBe('EMBED_UNAVAILABLE');
    }
    const fresh = await t.gql<{ previewPageEmbed: { id: string; token: string } }>(PREVIEW_EMBED, { id: pageId });
    expect(fresh.body.data?.previewPageEmbed.id).not.toBe(first.body.data?.previewPageEmbed.id);
    expect((await t.embedGql(PAGE_QUERY, fresh.body.data!.previewPageEmbed.token, await viewerOf())).body.errors).toBeUndefined();
  });
});
