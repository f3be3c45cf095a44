import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CALLS, createPage, createPrincipal, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Widget widths (saved, validated, served to the embed) and what revoking a signing secret would stop
 * (the console asks before it confirms; admins only).
 */

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  await ingest(t, 'calls', CALLS);
});

afterAll(async () => {
  await t?.close();
});

const number = (title: string, width?: string) => ({
  title,
  kind: 'NUMBER',
  ...(width ? { width } : {}),
  query: { dataset: 'calls', metric: { fn: 'COUNT' } },
});
const line = (title: string, width?: string) => ({
  title,
  kind: 'LINE',
  ...(width ? { width } : {}),
  query: { dataset: 'calls', bucket: 'DAY', metric: { fn: 'COUNT' } },
});

describe('widget widths', () => {
  test('a page saves each widget’s width and the embed lays its cards out by it', async () => {
    await createSecret(t);
    const pageId = await createPage(t, {
      title: 'Layout',
      widgets: [line('Daily', 'HALF'), number('Calls', 'HALF'), number('Third', 'THIRD'), line('Full', 'FULL')],
    });
    const saved = await t.gql<{ page: { widgets: Array<{ title: string; width: string }> } }>('query($id: ID!) { page(id: $id) { widgets { title width } } }', {
      id: pageId,
    });
    expect(saved.body.data?.page.widgets).toEqual([
      { title: 'Daily', width: 'HALF' },
      { title: 'Calls', width: 'HALF' },
      { title: 'Third', width: 'THIRD' },
      { title: 'Full', width: 'FULL' },
    ]);
    const embed = await mint(t, { pageId, audience: 'PUBLIC' });
    const rendered = await t.embedGql<{ page: { widgets: Array<{ width: string }> } }>('{ page { widgets { width } } }', embed.token);
    expect(rendered.body.data?.page.widgets.map((widget) => widget.width)).toEqual(['HALF', 'HALF', 'THIRD', 'FULL']);
  });

  test('a widget saved without a width sits three to a row when it is a number and takes the whole row otherwise', async () => {
    const pageId = await createPage(t, { title: 'Defaults', widgets: [number('Calls'), line('Daily')] });
    const saved = await t.gql<{ page: { widgets: Array<{ width: string }> } }>('query($id: ID!) { page(id: $id) { widgets { width } } }', { id: pageId });
    expect(saved.body.data?.page.widgets).toEqual([{ width: 'THIRD' }, { width: 'FULL' }]);
  });

  test('an unknown width is refused, over GraphQL and over REST, naming the widget', async () => {
    const refused = await t.gql('mutation($input: CreatePageInput!) { createPage(input: $input) { id } }', {
      input: { title: 'Bad', widgets: [{ ...number('Calls'), width: 'QUARTER' }] },
    });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const rest = await t.rest(
      'POST',
      '/api/platform/v1/pages',
      { title: 'Bad', widgets: [{ ...number('Calls'), width: 'QUARTER' }] },
      { 'x-api-key': t.apiKey },
    );
    expect(rest.status).toBe(400);
    expect(JSON.stringify(rest.body)).toMatch(/width/);
  });

  test('REST saves and returns a widget’s width', async () => {
    const created = await t.rest(
      'POST',
      '/api/platform/v1/pages',
      { title: 'Over REST', widgets: [{ ...number('Calls'), width: 'HALF' }] },
      { 'x-api-key': t.apiKey },
    );
    expect(created.status).toBe(201);
    expect((created.body['page'] as { widgets: Array<{ width: string }> }).widgets[0]?.width).toBe('HALF');
  });
});

describe('what revoking a signing secret would stop', () => {
  const IMPACT = 'query($id: ID!) { signingSecretImpact(id: $id) { secret { id } liveEmbeds pages { pageId title liveEmbeds } sites anySite } }';

  test('an admin is told the live embeds a secret signed: how many, which pages, which sites', async () => {
    // Only this secret signs from here on: it is the newest.
    const secret = await createSecret(t);
    const sales = await createPage(t, { title: 'Sales', widgets: [number('Calls')] });
    const support = await createPage(t, { title: 'Support', widgets: [number('Calls')] });
    await mint(t, { pageId: sales, audience: 'PUBLIC', origins: ['https://partner.example'] });
    await mint(t, { pageId: sales, audience: 'WORKSPACE', origins: ['https://intranet.example', 'https://partner.example'] });
    await mint(t, { pageId: support, audience: 'PUBLIC' });
    const revoked = await mint(t, { pageId: support, audience: 'PUBLIC', origins: ['https://gone.example'] });
    await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { id } }', { id: revoked.id });

    const answer = await t.gql<{ signingSecretImpact: Record<string, unknown> }>(IMPACT, { id: secret.id });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.signingSecretImpact).toEqual({
      secret: { id: secret.id },
      liveEmbeds: 3,
      pages: [
        { pageId: sales, title: 'Sales', liveEmbeds: 2 },
        { pageId: support, title: 'Support', liveEmbeds: 1 },
      ],
      sites: ['https://intranet.example', 'https://partner.example'],
      anySite: 1,
    });
  });

  test('a revoked secret stops nothing more', async () => {
    const secret = await createSecret(t);
    const pageId = await createPage(t, { title: 'Short lived', widgets: [number('Calls')] });
    await mint(t, { pageId, audience: 'PUBLIC' });
    await t.gql('mutation($id: ID!) { revokeSigningSecret(id: $id) { id } }', { id: secret.id });
    const answer = await t.gql<{ signingSecretImpact: { liveEmbeds: number; pages: unknown[] } }>(IMPACT, { id: secret.id });
    expect(answer.body.data?.signingSecretImpact).toMatchObject({ liveEmbeds: 0, pages: [], sites: [], anySite: 0 });
  });

  test('a member who is not an admin is refused, for a real secret and an unknown id alike', async () => {
    const secret = await createSecret(t);
    const member = await createPrincipal(t, { name: 'Mo', role: 'MEMBER' });
    for (const id of [secret.id, 'no-such-secret']) {
      const refused = await t.gql(IMPACT, { id }, { apiKey: member.apiKey });
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  test('another workspace’s secret is not found', async () => {
    const secret = await createSecret(t);
    const answer = await t.gql(IMPACT, { id: secret.id }, { apiKey: t.otherApiKey });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
