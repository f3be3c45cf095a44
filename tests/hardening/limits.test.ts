import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PAGE_QUERY_HASH } from '../../client/src/generated/embed-documents.js';
import {
  getIntrospectionQuery,
  Kind,
  parse,
  print,
  specifiedRules,
  validate,
  visit,
  type ASTNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { API_LIMITS, EMBED_LIMITS, graphqlArmor, type DocumentLimits } from '../../server/src/graphql/armor.js';
import { buildSchemas } from '../../server/src/graphql/schema.js';
import { repoRoot } from '../../server/src/paths.js';
import { CALLS, CALLS_PAGE, createPage, createSecret, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * GraphQL limits on both endpoints: every limit answers 400 with a message that names it,
 * never 500; no answer ever suggests a field ("Did you mean"); batching stays off;
 * introspection is for authenticated callers on /graphql.
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

const aliases = (count: number, field: string) => `{ ${Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ')} }`;

/** A selection nested `levels` deep: `{ a { a { … } } }`. */
const nested = (levels: number) => `{ ${'a { '.repeat(levels - 1)}a${' }'.repeat(levels - 1)} }`;

const messagesOf = (response: Awaited<ReturnType<TestServer['gql']>>) => (response.body.errors ?? []).map((error) => error.message).join('\n');

describe('document limits on /graphql', () => {
  test.each([
    ['characters', `{ viewer { id } }${' '.repeat(20_001)}`, /characters long; the limit is 20000/],
    ['tokens', `{ ${'viewer { id } '.repeat(600)}}`, /more tha[nt] 2000 tokens/],
    ['depth', nested(11), /depth limit of 10 exceeded/i],
    ['aliases', aliases(31, 'viewer { id }'), /Aliases limit of 30 exceeded/],
    ['directives', `{ viewer { id ${'@include(if: true) '.repeat(11)} } }`, /Directives limit of 10 exceeded/],
    [
      'cost',
      '{ a: users(first: 200) { nodes { id externalId email name status createdAt } } b: users(first: 200) { nodes { id externalId email name status createdAt } } }',
      /Cost limit of 5000 exceeded/,
    ],
  ])('an over-limit document (%s) answers 400 with a message that names the limit', async (_name, query, message) => {
    const response = await t.gql(query);
    expect(response.status).toBe(400);
    expect(messagesOf(response)).toMatch(message);
    expect(response.body.data).toBeUndefined();
  });

  test('a syntax error is a 400 parse failure, not a 500', async () => {
    const response = await t.gql('{ viewer { ');
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});

describe('document limits on /embed/graphql', () => {
  test('the page query a viewer sends is well within every limit', async () => {
    expect((await t.embedGql(PAGE_QUERY, pageToken)).status).toBe(200);
  });

  test.each([
    ['characters', `${PAGE_QUERY}${' '.repeat(4_001)}`, /characters long; the limit is 4000/],
    ['tokens', `{ ${'a '.repeat(600)}}`, /more tha[nt] 500 tokens/],
    ['depth', nested(9), /depth limit of 8 exceeded/i],
    ['aliases', aliases(6, 'page { id }'), /Aliases limit of 5 exceeded/],
    ['directives', `{ page { id ${'@include(if: true) '.repeat(6)} } }`, /Directives limit of 5 exceeded/],
    [
      'cost',
      `{ page { widgets { ${'...W '.repeat(10)}} } } fragment W on EmbeddedWidget { id title kind data { columns rows } }`,
      /Cost limit of 300 exceeded/,
    ],
  ])('an over-limit document (%s) answers 400 before any render', async (_name, query, message) => {
    const before = t.server.services.renderer.queriesIssued;
    const response = await t.embedGql(query, pageToken);
    expect(response.status).toBe(400);
    expect(messagesOf(response)).toMatch(message);
    expect(t.server.services.renderer.queriesIssued).toBe(before);
  });
});

describe('the documents our own clients send', () => {
  const withinLimits = (schema: GraphQLSchema, limits: DocumentLimits, source: string): string[] => {
    if (source.length > limits.characters) return [`${source.length} characters`];
    const document = parse(source, { maxTokens: limits.tokens });
    return validate(schema, document, [...specifiedRules, ...graphqlArmor(limits).validationRules]).map((error) => error.message);
  };

  test('every console operation is within the /graphql limits', () => {
    const { api } = buildSchemas();
    const document = parse(readFileSync(join(repoRoot(), 'client/src/console/api/console.graphql'), 'utf8'));
    // Codegen compiles every client document together, so a console operation may spread a fragment of embed.graphql.
    const embedDocument = parse(readFileSync(join(repoRoot(), 'client/src/api/embed.graphql'), 'utf8'));
    const fragments = [...document.definitions, ...embedDocument.definitions].filter(
      (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
    );
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    expect(operations.length).toBeGreaterThan(5);
    for (const operation of operations) {
      // Each operation with the fragments it spreads, directly or through other fragments, as the console sends it.
      const used = new Map<string, FragmentDefinitionNode>();
      const collect = (node: ASTNode) =>
        visit(node, {
          FragmentSpread(spread) {
            const fragment = fragments.find((candidate) => candidate.name.value === spread.name.value);
            if (fragment && !used.has(fragment.name.value)) {
              used.set(fragment.name.value, fragment);
              collect(fragment);
            }
          },
        });
      collect(operation);
      const source = [operation, ...used.values()].map((definition) => print(definition)).join('\n');
      expect([operation.name?.value, withinLimits(api, API_LIMITS, source)]).toEqual([operation.name?.value, []]);
    }
  });

  test("the embed client's queries are within the /embed/graphql limits, and its token exchange within the /graphql ones", async () => {
    const { embed, api } = buildSchemas();
    const sent = (await import(pathToFileURL(join(repoRoot(), 'client/src/api/queries.ts')).href)) as Record<string, string>;
    expect(withinLimits(embed, EMBED_LIMITS, sent['PAGE_QUERY']!)).toEqual([]);
    expect(withinLimits(embed, EMBED_LIMITS, sent['DASHBOARD_QUERY']!)).toEqual([]);
    expect(withinLimits(api, API_LIMITS, sent['VALIDATE_EMBED_TOKEN']!)).toEqual([]);
  });
});

describe('no field suggestions', () => {
  const probes: Array<[string, () => ReturnType<TestServer['gql']>]> = [
    ['an unknown field', () => t.gql('{ viewr { id } }')],
    ['an unknown field, anonymously', () => t.gql('{ pagez { id } }', {}, { apiKey: null })],
    ['an unknown argument', () => t.gql('{ page(idd: "x") { id } }')],
    ['an unknown type in a fragment', () => t.gql('{ ...F } fragment F on Quer { __typename }')],
    [
      'a misspelt enum value in a variable',
      () => t.gql('mutation($input: MintPageEmbedInput!) { mintPageEmbed(input: $input) { id } }', { input: { pageId: 'x', audience: 'PUBLC' } }),
    ],
    ['a misspelt enum literal', () => t.gql('mutation { mintPageEmbed(input: { pageId: "x", audience: PUBLC }) { id } }')],
    ['a misspelt input field', () => t.gql('mutation { createUser(input: { externalID: "x" }) { embedToken } }')],
    ['an unknown embed field', () => t.embedGql('{ pag { id } }', pageToken)],
  ];

  test.each(probes)('%s gets an error without "Did you mean"', async (_name, probe) => {
    const response = await probe();
    expect(response.status).toBe(400);
    expect(response.body.errors?.length).toBeGreaterThan(0);
    expect(response.text).not.toMatch(/did you mean/i);
  });
});

describe('requests', () => {
  test('batched requests are refused', async () => {
    const response = await fetch(`${t.ipUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': t.apiKey },
      body: JSON.stringify([{ query: '{ viewer { id } }' }, { query: '{ viewer { id } }' }]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/batching/i);
  });

  test('a body that is not JSON answers 400 in the GraphQL error shape, without echoing it', async () => {
    const response = await fetch(`${t.ipUrl}/embed/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{ "query": "secret-ish',
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text).errors[0].message).toMatch(/not.*JSON|JSON/);
    expect(text).not.toContain('secret-ish');
  });

  test('a body over the endpoint size limit answers 413 with a JSON error', async () => {
    const response = await fetch(`${t.ipUrl}/embed/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${pageToken}`,
      },
      body: JSON.stringify({
        query: PAGE_QUERY,
        variables: { pad: 'x'.repeat(70_000) },
      }),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].message).toMatch(/larger than/);
  });
});

describe('introspection', () => {
  test('is answered on /graphql for a caller with an API key', async () => {
    const response = await t.gql<{ __schema: { queryType: { name: string } } }>(getIntrospectionQuery());
    expect(response.status).toBe(200);
    expect(response.body.data?.__schema.queryType.name).toBe('Query');
  });

  test.each([
    ['__schema', '{ __schema { queryType { name } } }'],
    ['__type', '{ __type(name: "Query") { name } }'],
    ['__schema inside a fragment', 'query { ...F } fragment F on Query { __schema { types { name } } }'],
    ['__type inside an inline fragment', 'query { ... on Query { __type(name: "Principal") { fields { name } } } }'],
  ])('is refused on /graphql without credentials (%s)', async (_name, query) => {
    const response = await t.gql(query, {}, { apiKey: null });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.text).not.toContain('Principal"');
  });

  test('__typename needs no credentials', async () => {
    const response = await t.gql('{ __typename }', {}, { apiKey: null });
    expect(response.status).toBe(200);
  });

  test('is off on /embed/graphql in production, even with a valid token', async () => {
    const production = await startTestServer({
      env: { NODE_ENV: 'production' },
    });
    try {
      await ingest(production, 'calls', CALLS);
      const pageId = await createPage(production, CALLS_PAGE);
      await createSecret(production);
      const { token } = await mint(production, { pageId, audience: 'PUBLIC' });
      const refused = await production.embedGql('{ __schema { queryType { name } } }', token);
      expect(refused.status).toBe(400);
      expect(refused.body.data).toBeUndefined();
      // In production the endpoint runs only the embed client's trusted documents, sent by hash.
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const render = await fetch(`${production.ipUrl}/embed/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: PAGE_QUERY_HASH } } }),
      });
      expect(render.status).toBe(200);
      // /graphql keeps it for authenticated callers in production too.
      expect((await production.gql('{ __schema { queryType { name } } }')).status).toBe(200);
    } finally {
      await production.close();
    }
  });
});
