import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import ExcelJS from 'exceljs';
import { asViewer, CALLS, CALLS_PAGE, createPage, createPrincipal, createSecret, ingest, mint, viewerToken } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface Widget {
  id: string;
  title: string;
  data: { columns: string[]; rows: unknown[][] };
  cut: { shown: number; total: number } | null;
}

/** A clock the tests move forward (token expiry, ticket expiry). */
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

let t: TestServer;
let pageId: string;

beforeAll(async () => {
  t = await startTestServer({ clock });
  await ingest(t, 'calls', [
    ...CALLS,
    // Text a spreadsheet would run as a formula, in every form the rule covers.
    { owner: 'mallory', at: '2026-11-04T10:00:00Z', channel: '=HYPERLINK("https://evil.example","x")', minutes: 1 },
    { owner: 'mallory', at: '2026-11-04T10:01:00Z', channel: '+1+1', minutes: 1 },
    { owner: 'mallory', at: '2026-11-04T10:02:00Z', channel: '-2+3', minutes: 1 },
    { owner: 'mallory', at: '2026-11-04T10:03:00Z', channel: '@SUM(A1)', minutes: 1 },
    { owner: 'mallory', at: '2026-11-04T10:04:00Z', channel: '\t=1', minutes: 1 },
    { owner: 'mallory', at: '2026-11-04T10:05:00Z', channel: 'said "hi", then left', minutes: 1 },
  ]);
  pageId = await createPage(t, {
    ...CALLS_PAGE,
    dashboard: false,
    widgets: [
      ...CALLS_PAGE.widgets,
      {
        title: 'Channels',
        kind: 'TABLE',
        query: { dataset: 'calls', groupBy: 'channel', metric: { fn: 'SUM', field: 'minutes' }, limit: 20 },
        format: { style: 'CURRENCY', currency: 'EUR', decimals: 2 },
      },
    ],
  });
  await createSecret(t);
});
afterAll(async () => {
  await t.close();
});

const EXPORT = (widgetId: string, format: string) => `{ exportWidget(widgetId: "${widgetId}", format: ${format}) { url expiresAt format } }`;
const PAGE = '{ page { exports widgets { id title data { columns rows } cut { shown total } } } }';

async function renderOf(token: string, headers: Record<string, string> = {}) {
  const response = await t.embedGql<{ page: { exports: string[]; widgets: Widget[] } }>(PAGE, token, headers);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.page;
}

async function requestExport(token: string, widgetId: string, format = 'CSV', headers: Record<string, string> = {}) {
  const response = await t.embedGql<{ exportWidget: { url: string; expiresAt: string; format: string } }>(EXPORT(widgetId, format), token, headers);
  return {
    status: response.status,
    code: response.body.errors?.[0]?.extensions?.code ?? null,
    job: response.body.data?.exportWidget ?? null,
    text: response.text,
  };
}

/** Downloads through 127.0.0.1 (the URL names the public origin, localhost: the same server). */
const download = (url: string) => fetch(url.replace(t.url, t.ipUrl));

/** RFC 4180 parsing, enough for the files under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index++;
    } else field += char;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A rendered cell as the CSV writes it (numbers as they are, null empty). */
const asCsvCell = (value: unknown): string => (value === null ? '' : String(value));

async function csvOf(url: string) {
  const response = await download(url);
  const text = await response.text();
  return { response, text, rows: parseCsv(text.replace(/^\uFEFF/, '')) };
}

describe('an export carries the clamp', () => {
  test.each([
    ['PUBLIC, anonymous', { audience: 'PUBLIC' }, null],
    ['WORKSPACE, a signed-in teammate', { audience: 'WORKSPACE' }, 'teammate'],
    ['SELF, its minter signed in', { audience: 'SELF' }, 'minter'],
    ['PUBLIC narrowed by a rule', { audience: 'PUBLIC', rules: [{ field: 'owner', op: 'EQ', value: 'ada' }] }, null],
  ])('every widget of an embed (%s) downloads as exactly the rows, order and headings the widget renders', async (_name, input, who) => {
    const { token } = await mint(t, { pageId, exports: ['CSV', 'XLSX'], ...input });
    const teammate = who === 'teammate' ? (await createPrincipal(t, { name: 'Teammate', role: 'MEMBER', dataAccess: { all: true } })).apiKey : null;
    const headers = who === 'minter' ? asViewer(await viewerToken(t)) : teammate ? asViewer(await viewerToken(t, teammate)) : {};
    const page = await renderOf(token, headers);
    expect(page.exports).toEqual(['CSV', 'XLSX']);
    for (const widget of page.widgets) {
      const { job } = await requestExport(token, widget.id, 'CSV', headers);
      const { response, rows } = await csvOf(job!.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toContain('attachment');
      const [heading, ...body] = rows;
      expect(heading).toEqual(widget.data.columns);
      // A widget that shows fewer rows than its query matched: the file holds the same rows, and says so last.
      if (widget.cut) expect(body.pop()).toEqual([`Cut: the widget shows the first ${widget.cut.shown} of the ${widget.cut.total} rows its query matched.`]);
      expect(body).toEqual(
        widget.data.rows.map((row) => row.map((cell) => (typeof cell === 'string' && /^[=+\-@\t]/.test(cell) ? `'${cell}` : asCsvCell(cell)))),
      );
    }
    if ('rules' in input) {
      const latest = page.widgets.find((widget) => widget.title === 'Latest')!;
      expect(latest.data.rows.every((row) => row[0] === 'ada')).toBe(true);
    }
  });

  test('the spreadsheet holds real numbers and dates, the widget format as a number format, and no formula', async () => {
    const { token } = await mint(t, { pageId, audience: 'PUBLIC', exports: ['XLSX'] });
    const page = await renderOf(token);
    const channels = page.widgets.find((widget) => widget.title === 'Channels')!;
    const { job } = await requestExport(token, channels.id, 'XLSX');
    const response = await download(job!.url);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...channels.data.columns]);
    channels.data.rows.forEach((row, index) => {
      const cells = sheet.getRow(index + 2);
      const [channel, minutes] = row as [string, number];
      expect(typeof cells.getCell(2).value).toBe('number');
      expect(cells.getCell(2).value).toBe(minutes);
      expect(cells.getCell(2).numFmt).toBe('[$EUR] #,##0.00');
      // Text that looks like a formula is a string with the apostrophe, never a formula cell.
      expect(cells.getCell(1).type).toBe(ExcelJS.ValueType.String);
      expect(cells.getCell(1).value).toBe(/^[=+\-@\t]/.test(channel) ? `'${channel}` : channel);
    });
    const perDay = page.widgets.find((widget) => widget.title === 'Per day')!;
    const daily = await download((await requestExport(token, perDay.id, 'XLSX')).job!.url);
    const days = new ExcelJS.Workbook();
    await days.xlsx.load(Buffer.from(await daily.arrayBuffer()) as never);
    const first = days.worksheets[0]!.getRow(2).getCell(1).value;
    expect(first).toBeInstanceOf(Date);
    expect((first as Date).toISOString()).toBe(perDay.data.rows[0]![0]);
  });

  test('CSV injection is neutralised: a cell starting with =, +, -, @ or a tab is written as text', async () => {
    const { token } = await mint(t, { pageId, audience: 'PUBLIC', exports: ['CSV'] });
    const channels = (await renderOf(token)).widgets.find((widget) => widget.title === 'Channels')!;
    const { text } = await csvOf((await requestExport(token, channels.id)).job!.url);
    expect(text).toContain(`"'=HYPERLINK(""https://evil.example"",""x"")"`);
    expect(text).toContain(`"'+1+1"`);
    expect(text).toContain(`"'-2+3"`);
    expect(text).toContain(`"'@SUM(A1)"`);
    expect(text).toContain(`"'\t=1"`);
    expect(text).toContain(`"said ""hi"", then left"`);
    expect(text.split('\r\n').some((line) => /^[=+\-@]/.test(line) || /,[=+\-@]/.test(line))).toBe(false);
  });
});

describe('who may export, and when', () => {
  test('a format the token does not allow is refused with EMBED_EXPORT_NOT_ALLOWED (403), as is an embed without exports', async () => {
    const csvOnly = await mint(t, { pageId, audience: 'PUBLIC', exports: ['CSV'] });
    const none = await mint(t, { pageId, audience: 'PUBLIC' });
    const widgetId = (await renderOf(csvOnly.token)).widgets[0]!.id;
    for (const [token, format] of [
      [csvOnly.token, 'XLSX'],
      [none.token, 'CSV'],
    ] as const) {
      const refused = await requestExport(token, widgetId, format);
      expect(refused.status).toBe(403);
      expect(refused.code).toBe('EMBED_EXPORT_NOT_ALLOWED');
    }
    expect((await renderOf(none.token)).exports).toEqual([]);
  });

  test('the download URL works once', async () => {
    const { token } = await mint(t, { pageId, audience: 'PUBLIC', exports: ['CSV'] });
    const { job } = await requestExport(token, (await renderOf(token)).widgets[0]!.id);
    expect((await download(job!.url)).status).toBe(200);
    const again = await download(job!.url);
    expect(again.status).toBe(401);
    expect(await again.json()).toEqual({ error: { code: 'EMBED_UNAVAILABLE', message: 'This embed is unavailable.' } });
  });

  test('two downloads racing for one URL: exactly one gets the file', async () => {
    const { token } = await mint(t, { pageId, audience: 'PUBLIC', exports: ['CSV'] });
    const { job } = await requestExport(token, (await renderOf(token)).widgets[0]!.id);
    const statuses = await Promise.all(Array.from({ length: 4 }, async () => (await download(job!.url)).status));
    expect(statuses.sort()).toEqual([200, 401, 401, 401]);
  });

  test('a revoked token cannot export, and a URL asked for before the revocation no longer downloads (the same refusal as any dead token)', async () => {
    const { id, token } = await mint(t, { pageId, audience: 'PUBLIC', exports: ['CSV'] });
    const widgetId = (await renderOf(token)).widgets[0]!.id;
    const { job } = await requestExport(token, widgetId);
    await t.gql('mutation ($id: ID!) { revokePageEmbed(id: $id) { id } }', { id });
    const refused = await requestExport(token, widgetId);
    const garbage = await requestExport('not-a-token', widgetId);
    expect(refused.status).toBe(401);
    expect(refused.text).toBe(garbage.text);
    const late = await download(job!.url);
    const unknown = await download(`${t.ipUrl}/embed/export/${'A'.repeat(43)}`);
    expect(late.status).toBe(401);
    expect(await late.text()).toBe(await unknown.text());
  });

  test('an expired token cannot export, and a URL older than 5 minutes does not download', async () => {
    const { token } = await mint(t, { pageId, audience: 'PUBLIC', exports: ['CSV'], ttlSeconds: 600 });
    const widgetId = (await renderOf(token)).widgets[0]!.id;
    const { job } = await requestExport(token, widgetId);
    offsetMs = 301_000;
    try {
      expect((await download(job!.url)).status).toBe(401);
      offsetMs = 601_000;
      expect((await requestExport(token, widgetId)).code).toBe('EMBED_UNAVAILABLE');
    } finally {
      offsetMs = 0;
    }
  });

  test('a minter narrowed between the request and the download gets a narrowed file', async () => {
    const minter = await createPrincipal(t, { name: 'Narrowed later', role: 'MEMBER', dataAccess: { all: true } });
    // The page must be visible to the minter: share it with the workspace.
    await t.gql('mutation ($pageId: ID!) { setPageAccess(pageId: $pageId, sharing: WORKSPACE_VIEW) { id } }', { pageId });
    const { token } = await mint(t, { pageId, audience: 'WORKSPACE', exports: ['CSV'] }, minter.apiKey);
    const headers = asViewer(await viewerToken(t, minter.apiKey));
    const latest = (await renderOf(token, headers)).widgets.find((widget) => widget.title === 'Latest')!;
    const { job } = await requestExport(token, latest.id, 'CSV', headers);
    const narrowed = await t.gql('mutation ($id: ID!) { updatePrincipal(id: $id, input: { dataAccess: { all: false, owners: ["grace"] } }) { id } }', {
      id: minter.id,
    });
    expect(narrowed.body.errors).toBeUndefined();
    const { rows } = await csvOf(job!.url);
    const owners = rows.slice(1).map((row) => row[0]);
    expect(owners.length).toBeGreaterThan(0);
    expect(new Set(owners)).toEqual(new Set(['grace']));
  });
});

describe('the row cap', () => {
  let capped: TestServer;
  beforeAll(async () => {
    capped = await startTestServer({ env: { PORTHOLE_MAX_EXPORT_ROWS: '2' } });
    await ingest(capped, 'calls', CALLS);
    await createSecret(capped);
  });
  afterAll(async () => {
    await capped.close();
  });

  test('a file holds at most PORTHOLE_MAX_EXPORT_ROWS rows and says so in its last line', async () => {
    const cappedPage = await createPage(capped, { ...CALLS_PAGE, dashboard: false });
    const { token } = await mint(capped, { pageId: cappedPage, audience: 'PUBLIC', exports: ['CSV', 'XLSX'] });
    const page = await capped.embedGql<{ page: { widgets: Widget[] } }>(PAGE, token);
    const latest = page.body.data!.page.widgets.find((widget) => widget.title === 'Latest')!;
    expect(latest.data.rows).toHaveLength(3);
    const job = await capped.embedGql<{ exportWidget: { url: string } }>(EXPORT(latest.id, 'CSV'), token);
    const text = await (await fetch(job.body.data!.exportWidget.url.replace(capped.url, capped.ipUrl))).text();
    const rows = parseCsv(text.replace(/^\uFEFF/, ''));
    expect(rows).toHaveLength(1 + 2 + 1);
    expect(rows.slice(1, 3)).toEqual(latest.data.rows.slice(0, 2).map((row) => row.map(asCsvCell)));
    expect(rows.at(-1)![0]).toBe('Cut: this file holds the first 2 of the 3 rows the widget shows (PORTHOLE_MAX_EXPORT_ROWS).');
    const sheetJob = await capped.embedGql<{ exportWidget: { url: string } }>(EXPORT(latest.id, 'XLSX'), token);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await (await fetch(sheetJob.body.data!.exportWidget.url.replace(capped.url, capped.ipUrl))).arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(4).getCell(1).value).toContain('Cut: this file holds the first 2');
  });
});
