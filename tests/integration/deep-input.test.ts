import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Bad input is a 400 everywhere: records nested too deep (objects or arrays), on REST (JSON and
 * NDJSON) and GraphQL (variables and inline literals), are refused with a clear message before
 * any work that recurses over them, and no answer or log line carries an internal error text.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const deepArray = (depth: number): unknown => {
  let value: unknown = 1;
  for (let index = 0; index < depth; index += 1) value = [value];
  return value;
};
/** Built as text: JSON.stringify itself would overflow the stack on the deepest ones. */
const deepArrayText = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const deepObjectText = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const INTERNAL = /Maximum call stack|RangeError|stack size|Internal server error/i;

function expectNoInternalText() {
  const logs = t.logs.join('\n');
  expect(logs).not.toMatch(INTERNAL);
}

async function raw(path: string, body: string, contentType = 'application/json') {
  const response = await fetch(`${t.ipUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType, 'x-api-key': t.apiKey }, body });
  return { status: response.status, text: await response.text() };
}

describe.each([
  ['arrays', deepArrayText],
  ['objects', deepObjectText],
])('records nested as deep %s', (_kind, deepText) => {
  test('REST ingest answers 400 with a clear message, at a modest depth and at a stack-breaking one', async () => {
    // 12: past the records' own limit (the service's message); 40 and 20 000: past the body's (refused before parsing).
    for (const depth of [12, 40, 20_000]) {
      const body = `[{"owner":"ada","value":${deepText(depth)}}]`;
      const answer = await raw('/api/platform/v1/datasets/calls/records', body);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).error.code).toBe('BAD_USER_INPUT');
      expect(answer.text).toMatch(/nested deeper than \d+ levels/);
      expect(answer.text).not.toMatch(INTERNAL);
    }
    const ndjson = await raw('/api/platform/v1/datasets/calls/records', `{"owner":"ada","value":${deepText(20_000)}}\n`, 'application/x-ndjson');
    expect(ndjson.status).toBe(400);
    expect(ndjson.text).toMatch(/nested deeper than \d+ levels/);
    expectNoInternalText();
  });

  test('GraphQL ingest answers 400 with a clear message, for variables and for inline literals', async () => {
    for (const depth of [40, 20_000]) {
      const variables = `{"records":[{"owner":"ada","value":${deepText(depth)}}]}`;
      const viaVariables = await raw(
        '/graphql',
        `{"query":"mutation($records: [JSONObject!]!) { ingestRecords(dataset: \\"calls\\", records: $records) { inserted } }","variables":${variables}}`,
      );
      expect(viaVariables.status).toBe(400);
      expect(viaVariables.text).toMatch(/nested deeper than \d+ levels/);
      expect(viaVariables.text).not.toMatch(INTERNAL);

      const literal = deepText(depth).replace(/"a":/g, 'a: ');
      const inline = await raw(
        '/graphql',
        JSON.stringify({ query: `mutation { ingestRecords(dataset: "calls", records: [{ owner: "ada", value: ${literal} }]) { inserted } }` }),
      );
      expect(inline.status).toBe(400);
      expect(inline.text).not.toMatch(INTERNAL);
    }
    expectNoInternalText();
  });
});

test('a record just within the depth limit is stored', async () => {
  const answer = await raw('/api/platform/v1/datasets/calls/records', JSON.stringify([{ owner: 'ada', value: deepArray(4) }]));
  expect(answer.status).toBe(200);
});
