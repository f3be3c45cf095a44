import { serverAudits } from 'graphql-http';
import { CALLS, CALLS_PAGE, createPage, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The GraphQL-over-HTTP audits of graphql-http against both endpoints: no MUST fails.
 *
 * Deliberate choices the audits meet, and how:
 * - /embed/graphql answers every request without a valid embed credential with its one
 *   canonical 401, so its audits run with a page embed token in `Authorization`.
 * - Introspection on /graphql needs an API key (or a console session). Two MUST audits query
 *   `__type` — BF61 (utf-8 request, `{ __type(name: "Run🏃Swim🏊") { name } }`) and 28B9 (map
 *   variables, `__type(name: $name)`) — so they fail by design for an anonymous caller on
 *   /graphql (401), and pass wherever introspection is allowed.
 * - In production /embed/graphql runs only the embed client's trusted documents (sent by hash), so
 *   the audits' own documents are all refused there (400 PERSISTED_QUERY_NOT_FOUND): the audits
 *   run against a development server, and production is checked to run none of them.
 * - Both endpoints answer document parse and validation failures with 400 also for
 *   `application/json` (Apollo Server's behaviour): a SHOULD-level warning, not a MUST.
 * - GET with URL-encoded variables is refused by Apollo's CSRF prevention unless a
 *   preflight header is sent: MAY-level notices only.
 */

let t: TestServer;
let pageToken: string;

beforeAll(async () => {
  t = await startTestServer();
  await ingest(t, 'calls', CALLS);
  const pageId = await createPage(t, CALLS_PAGE);
  await createSecret(t);
  pageToken = (await mint(t, { pageId, audience: 'PUBLIC' })).token;
});
afterAll(() => t.close());

const withHeaders =
  (headers: Record<string, string>): typeof fetch =>
  (input, init) =>
    fetch(input, {
      ...init,
      headers: {
        ...Object.fromEntries(new Headers(init?.headers).entries()),
        ...headers,
      },
    });

async function mustFailures(url: string, fetchFn: typeof fetch): Promise<string[]> {
  const failures: string[] = [];
  for (const audit of serverAudits({ url, fetchFn })) {
    const result = await audit.fn();
    if (result.status === 'error') failures.push(`${result.id} ${result.name}: ${result.reason}`);
  }
  return failures;
}

const INTROSPECTING_AUDITS = ['BF61', '28B9'];
const ids = (failures: string[]) => failures.map((failure) => failure.split(' ')[0]);

test('/graphql, anonymously, fails only the two MUST audits that introspect, which need an API key', async () => {
  expect(ids(await mustFailures(`${t.ipUrl}/graphql`, fetch))).toEqual(INTROSPECTING_AUDITS);
});

test('/graphql passes every MUST of the GraphQL-over-HTTP audits with an API key', async () => {
  expect(await mustFailures(`${t.ipUrl}/graphql`, withHeaders({ 'x-api-key': t.apiKey }))).toEqual([]);
});

test('/embed/graphql passes every MUST of the GraphQL-over-HTTP audits with a page embed token', async () => {
  expect(await mustFailures(`${t.ipUrl}/embed/graphql`, withHeaders({ authorization: `Bearer ${pageToken}` }))).toEqual([]);
});

test("/embed/graphql in production runs none of the audits' documents: each is refused as untrusted before it runs", async () => {
  const production = await startTestServer({ env: { NODE_ENV: 'production' } });
  try {
    await ingest(production, 'calls', CALLS);
    const pageId = await createPage(production, CALLS_PAGE);
    await createSecret(production);
    const { token } = await mint(production, { pageId, audience: 'PUBLIC' });
    const answers: Array<{ status: number; code?: string; data: unknown }> = [];
    const recording: typeof fetch = async (input, init) => {
      const response = await withHeaders({ authorization: `Bearer ${token}` })(input, init);
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } | null;
      answers.push({ status: response.status, code: body?.errors?.[0]?.extensions?.code, data: body?.data ?? null });
      return response;
    };
    await mustFailures(`${production.ipUrl}/embed/graphql`, recording);
    // Only the embed client's own documents run in production (trusted documents): no audit's document ran.
    expect(answers.filter((answer) => answer.data !== null)).toEqual([]);
    expect(answers.filter((answer) => answer.code === 'PERSISTED_QUERY_NOT_FOUND').length).toBeGreaterThan(10);
    expect(answers.filter((answer) => answer.code === 'PERSISTED_QUERY_NOT_FOUND').every((answer) => answer.status === 400)).toBe(true);
  } finally {
    await production.close();
  }
});
