import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FaultyStore } from '../../server/src/store/faulty-store.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { createPage, createSecret, createUser, DASHBOARD_QUERY, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * No request stalls another (issue 21.3): every response is bounded in cells and bytes, and a request
 * over a bound is refused with 400 BAD_USER_INPUT before the store is asked for anything. The store is
 * wrapped to count the aggregations it is asked for, so "before the work" is counted, not timed.
 */

const WIDE = 20;
const LONG = 'long text '.repeat(1000).slice(0, 10_000);

/**
 * A record with 20 fields (f0 a 10 000-character string; f1 a nested document in every other record, which
 * the catalog does not count, so a number in the others) and a label with an emoji at characters 199–200.
 */
const wideRecord = (index: number) => ({
  owner: `cust-${index % 5}`,
  at: new Date(Date.UTC(2026, 9, 1) + index * 60_000).toISOString(),
  label: `${'é'.repeat(198)}🙂${'x'.repeat(100)}`,
  ...Object.fromEntries(
    Array.from({ length: WIDE }, (_, field) => [
      `f${field}`,
      field === 0 ? `${index} ${LONG}` : field === 1 && index % 2 === 0 ? { nested: LONG.slice(0, 500) } : field,
    ]),
  ),
});

const wideTable = (limit: number, title = 'Wide') => ({
  title,
  kind: 'TABLE',
  query: { dataset: 'wide', select: Array.from({ length: WIDE }, (_, field) => `f${field}`), limit },
});

let t: TestServer;
let store: FaultyStore;
/** Aggregations the store was asked for (records or rollups, one by one or together). */
let aggregations = 0;

beforeAll(async () => {
  store = new FaultyStore(new MemoryStore());
  store.intercept = (call) => {
    if (call.startsWith('aggregate')) aggregations += 1;
  };
  t = await startTestServer({ store });
  await createSecret(t);
  for (let start = 0; start < 1200; start += 150)
    await ingest(
      t,
      'wide',
      Array.from({ length: 150 }, (_, index) => wideRecord(start + index)),
    );
});
afterAll(() => t.close());

/** The aggregations `run` made the store do. */
async function counted<T>(run: () => Promise<T>): Promise<{ result: T; aggregations: number }> {
  const before = aggregations;
  const result = await run();
  return { result, aggregations: aggregations - before };
}

const aliases = (count: number, field: (index: number) => string) =>
  `{ ${Array.from({ length: count }, (_, index) => `a${index}: ${field(index)}`).join(' ')} }`;

describe('/graphql: fieldValues, previewWidget and pages are counted together before anything runs', () => {
  test('thirty aliased fieldValues are refused with 400 BAD_USER_INPUT, and the store is never asked to aggregate', async () => {
    const { result, aggregations: made } = await counted(() => t.gql(aliases(30, () => 'fieldValues(dataset: "wide", field: "f2", limit: 100)')));
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.body.errors?.[0]?.message).toBe(
      'This request asks for 30 of fieldValues, previewWidget, previewEmbeddedWidget, and pages (each alias counts); at most 5 may be asked for in one request.',
    );
    expect(result.body.data).toBeUndefined();
    expect(made).toBe(0);
  });

  test('fieldValues, previewWidget and pages hidden in fragments count together with the ones in sight', async () => {
    const document = `query { ...Values ...Values2 ... on Query { p1: pages { id } p2: pages { id } p3: pages { id } } }
      fragment Values on Query { v1: fieldValues(dataset: "wide", field: "f2") v2: fieldValues(dataset: "wide", field: "f3") }
      fragment Values2 on Query { w: previewWidget(input: { title: "P", kind: TABLE, query: { dataset: "wide", limit: 1 } }) { columns } }`;
    const { result, aggregations: made } = await counted(() => t.gql(document));
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.message).toMatch(/^This request asks for 6 of/);
    expect(made).toBe(0);
  });

  test('five are allowed: five fieldValues run, one aggregation each', async () => {
    const { result, aggregations: made } = await counted(() => t.gql(aliases(5, (index) => `fieldValues(dataset: "wide", field: "f${index + 2}")`)));
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(made).toBe(5);
  });

  test('previews whose limit × columns exceed 50 000 cells together are refused before any work, their limits read from variables', async () => {
    const document = `query($input: WidgetInput!) { ${['a', 'b', 'c'].map((alias) => `${alias}: previewWidget(input: $input) { rows }`).join(' ')} }`;
    const { result, aggregations: made } = await counted(() => t.gql(document, { input: wideTable(1000) }));
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // 3 × (1000 rows × 20 columns).
    expect(result.body.errors?.[0]?.message).toMatch(/^This request could return 60000 cells .*at most 50000/);
    expect(made).toBe(0);
  });

  test('two such previews (40 000 cells) run, and every cell of theirs is at most 200 characters', async () => {
    const document = 'query($input: WidgetInput!) { a: previewWidget(input: $input) { rows } b: previewWidget(input: $input) { rows } }';
    const { result, aggregations: made } = await counted(() =>
      t.gql<{ a: { rows: unknown[][] }; b: { rows: unknown[][] } }>(document, { input: wideTable(1000) }),
    );
    expect(result.status).toBe(200);
    expect(made).toBe(2);
    const cells = [...result.body.data!.a.rows, ...result.body.data!.b.rows].flat();
    expect(cells).toHaveLength(2 * 1000 * WIDE);
    expect(Math.max(...cells.map((cell) => (typeof cell === 'string' ? cell.length : 0)))).toBe(200);
    // Two columns of at most 200 characters (a few more escaped), eighteen of small numbers: the
    // ten-thousand-character strings and the nested documents would have made this about 21 MB.
    expect(result.text.length).toBeLessThan(2 * 1000 * (2 * 212 + 18 * 3 + 2) + 1_000);
  });
});

describe('a render carries at most 200 characters a cell', () => {
  let token: string;
  beforeAll(async () => {
    const pageId = await createPage(t, {
      title: 'Long cells',
      widgets: [
        { title: 'Rows', kind: 'TABLE', query: { dataset: 'wide', select: ['f0', 'f1', 'label', 'f2'], sort: { field: 'at', direction: 'ASC' }, limit: 1000 } },
        { title: 'By label', kind: 'BAR', query: { dataset: 'wide', groupBy: 'f0', metric: { fn: 'COUNT' }, limit: 10 } },
      ],
    });
    token = (await mint(t, { pageId, audience: 'PUBLIC' })).token;
  });

  test('a TABLE of 1 000 rows over 10 000-character strings: the rows of its limit, long strings cut to 200 characters ending in "…"', async () => {
    const response = await t.embedGql<{ page: { widgets: Array<{ data: { columns: string[]; rows: unknown[][] } }> } }>(PAGE_QUERY, token);
    expect(response.status).toBe(200);
    const [table, bar] = response.body.data!.page.widgets as unknown as [{ data: { rows: unknown[][] } }, { data: { rows: unknown[][] } }];
    expect(table.data.rows).toHaveLength(1000);
    expect(table.data.rows.every((row) => row.length === 4)).toBe(true);
    const [text, nested, label, number] = table.data.rows[0]! as [string, string, string, number];
    expect(text).toBe(`0 ${LONG}`.slice(0, 199) + '…');
    // A nested document is sent as its JSON text, cut like any string.
    expect(nested).toBe(JSON.stringify({ nested: LONG.slice(0, 500) }).slice(0, 199) + '…');
    // The cut would fall between the two halves of the emoji: it falls before it instead.
    expect(label).toBe(`${'é'.repeat(198)}…`);
    expect(number).toBe(2);
    // Group keys are cells too.
    expect(bar.data.rows.every(([key]) => typeof key === 'string' && key.length === 200 && key.endsWith('…'))).toBe(true);
    // 1 000 × 4 cells of at most 200 characters, not 1 000 × 10.5 kB.
    expect(response.text.length).toBeLessThan(1000 * 4 * 210 + 10 * 2 * 210 + 2_000);
  });

  test('fieldValues leaves out strings longer than a cell, so its limit bounds its answer', async () => {
    const response = await t.gql<{ long: unknown[]; short: unknown[] }>(
      '{ long: fieldValues(dataset: "wide", field: "f0", limit: 100) short: fieldValues(dataset: "wide", field: "owner") }',
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.long).toEqual([]);
    expect(response.body.data!.short).toEqual(['cust-0', 'cust-1', 'cust-2', 'cust-3', 'cust-4']);
  });
});

describe('a user dashboard renders at most 50 000 cells', () => {
  let authToken: string;
  let first: string;
  beforeAll(async () => {
    // 2 × 20 000 cells: a page within the page budget, on the dashboard.
    first = await createPage(t, { title: 'Dashboard one', dashboard: true, widgets: [wideTable(1000, 'One'), wideTable(1000, 'Two')] });
    const user = await createUser(t, 'cust-1');
    const exchange = await t.gql<{ validateEmbedToken: { authToken: string } }>(
      'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }',
      { t: user.embedToken },
      { apiKey: null },
    );
    authToken = exchange.body.data!.validateEmbedToken.authToken;
  });

  test('publishing a page that brings the dashboard over 50 000 cells is refused, naming the total', async () => {
    const CREATE = 'mutation($input: CreatePageInput!) { createPage(input: $input) { id } }';
    const created = await t.gql(CREATE, { input: { title: 'Dashboard two', dashboard: true, widgets: [wideTable(1000, 'Three')] } });
    expect(created.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(created.body.errors?.[0]?.message).toMatch(/^With this page, the dashboard's pages could return 60000 cells together .*at most 50000/);
    const second = await createPage(t, { title: 'Off the dashboard', widgets: [wideTable(1000, 'Three')] });
    const published = await t.gql('mutation($id: ID!) { updatePage(id: $id, input: { dashboard: true }) { id } }', { id: second });
    expect(published.body.errors?.[0]?.message).toMatch(/could return 60000 cells together/);
    // Within the budget, it is published.
    const smaller = await t.gql('mutation($id: ID!, $input: UpdatePageInput!) { updatePage(id: $id, input: $input) { id } }', {
      id: second,
      input: { dashboard: true, widgets: [wideTable(500, 'Three')] },
    });
    expect(smaller.body.errors).toBeUndefined();
    await t.gql('mutation($id: ID!) { updatePage(id: $id, input: { dashboard: false }) { id } }', { id: second });
  });

  test('a dashboard over the budget all the same (pages published at the same moment) is refused at render, before any aggregation', async () => {
    const raced = await createPage(t, { title: 'Raced', widgets: [wideTable(1000, 'Four')] });
    await t.store.pages.updateOne({ _id: raced }, { set: { dashboard: true } });
    const { result, aggregations: made } = await counted(() => t.embedGql(DASHBOARD_QUERY, authToken));
    // A resolver's refusal, as GraphQL answers those: 200, no data, the error.
    expect(result.body.data).toBeNull();
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.body.errors?.[0]?.message).toMatch(/^The dashboard's 2 pages could return 60000 cells together/);
    expect(made).toBe(0);
    await t.store.pages.updateOne({ _id: raced }, { set: { dashboard: false } });
    const rendered = await t.embedGql<{ dashboard: { pages: Array<{ id: string }> } }>(DASHBOARD_QUERY, authToken);
    expect(rendered.status).toBe(200);
    expect(rendered.body.data!.dashboard.pages.map((page) => page.id)).toEqual([first]);
  });
});
