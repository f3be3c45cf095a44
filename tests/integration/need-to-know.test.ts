import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CALLS, createPage, createPrincipal, createSecret, createUser, DASHBOARD_QUERY, ingest, mint } from '../support/factories.js';
import { HeldCalls } from '../support/held-calls.js';
import { startTestServer, type GqlResponse, type TestServer } from '../support/server.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';

/**
 * Need to know, written as the attacks and the refusals: who may put words on every end user's
 * dashboard, who may read an embed's rules, origins and label, and how the last admin stays.
 */

let t: TestServer;
/** An agent whose data access covers the owner "ada" only. */
let narrowAgent: { id: string; apiKey: string };
/** A member who reads every owner, but only phone calls. */
let phoneOnly: { id: string; apiKey: string };
/** A member who reads every owner without rules. */
let everyOwner: { id: string; apiKey: string };
/** ada's end-user session, to read her dashboard as she would. */
let adaSession: string;

const codeOf = (response: GqlResponse) => response.body.errors?.[0]?.extensions?.code;
const messageOf = (response: GqlResponse) => response.body.errors?.[0]?.message ?? '';

const WIDGETS = [{ title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }];
const REST_WIDGETS = [{ title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }];

async function rest(method: string, path: string, apiKey: string, body?: unknown) {
  return t.rest(method, path, body, { 'x-api-key': apiKey });
}

async function dashboardTitles(): Promise<string[]> {
  const response = await t.embedGql<{ dashboard: { pages: Array<{ title: string }> } }>(DASHBOARD_QUERY, adaSession);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.dashboard.pages.map((page) => page.title);
}

function createPageAs(apiKey: string, input: Record<string, unknown>) {
  return t.gql<{ createPage: { id: string } }>('mutation($input: CreatePageInput!) { createPage(input: $input) { id } }', { input }, { apiKey });
}

function updatePageAs(apiKey: string, id: string, input: Record<string, unknown>) {
  return t.gql<{ updatePage: { id: string; title: string; dashboard: boolean } }>(
    'mutation($id: ID!, $input: UpdatePageInput!) { updatePage(id: $id, input: $input) { id title dashboard } }',
    { id, input },
    { apiKey },
  );
}

beforeAll(async () => {
  t = await startTestServer();
  await createSecret(t);
  await ingest(t, 'calls', CALLS);
  narrowAgent = await createPrincipal(t, { name: 'Narrow agent', kind: 'AGENT', dataAccess: { owners: ['ada'] } });
  phoneOnly = await createPrincipal(t, { name: 'Phone only', dataAccess: { all: true, rules: [{ field: 'channel', op: 'EQ', value: 'phone' }] } });
  everyOwner = await createPrincipal(t, { name: 'Every owner', dataAccess: { all: true } });
  const ada = await createUser(t, 'ada');
  const exchanged = await t.gql<{ validateEmbedToken: { authToken: string } }>(
    'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }',
    { t: ada.embedToken },
    { apiKey: null },
  );
  adaSession = exchanged.body.data!.validateEmbedToken.authToken;
});

afterAll(() => t.close());

describe('who may publish to dashboards', () => {
  test("an agent limited to one owner cannot create a dashboard page, over GraphQL or REST, and no end user's dashboard shows it", async () => {
    const viaGraphQL = await createPageAs(narrowAgent.apiKey, { title: 'Injected over GraphQL', dashboard: true, widgets: WIDGETS });
    expect(codeOf(viaGraphQL)).toBe('FORBIDDEN');
    expect(messageOf(viaGraphQL)).toMatch(/data access covers every owner, with no rules/);
    const viaRest = await rest('POST', '/api/platform/v1/pages', narrowAgent.apiKey, { title: 'Injected over REST', dashboard: true, widgets: REST_WIDGETS });
    expect(viaRest.status).toBe(403);
    expect(viaRest.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.stringMatching(/every owner, with no rules/) } });
    const titles = await dashboardTitles();
    expect(titles).not.toContain('Injected over GraphQL');
    expect(titles).not.toContain('Injected over REST');
    // Nothing was stored either: the admin lists no such page.
    const pages = await t.gql<{ pages: Array<{ title: string }> }>('{ pages { title } }');
    expect(pages.body.data!.pages.map((page) => page.title)).not.toEqual(expect.arrayContaining(['Injected over GraphQL']));
  });

  test('it cannot turn its own page into a dashboard page with updatePage or PATCH; the page stays off the dashboards', async () => {
    const pageId = await createPage(t, { title: 'Agent notes', widgets: WIDGETS }, narrowAgent.apiKey);
    const viaGraphQL = await updatePageAs(narrowAgent.apiKey, pageId, { dashboard: true, title: 'Injected by update' });
    expect(codeOf(viaGraphQL)).toBe('FORBIDDEN');
    const viaRest = await rest('PATCH', `/api/platform/v1/pages/${pageId}`, narrowAgent.apiKey, { dashboard: true, title: 'Injected by PATCH' });
    expect(viaRest.status).toBe(403);
    expect((viaRest.body['error'] as { code: string }).code).toBe('FORBIDDEN');
    const read = await rest('GET', `/api/platform/v1/pages/${pageId}`, narrowAgent.apiKey);
    expect(read.body['page']).toMatchObject({ title: 'Agent notes', dashboard: false });
    const titles = await dashboardTitles();
    expect(titles.filter((title) => title.startsWith('Injected') || title === 'Agent notes')).toEqual([]);
  });

  test('a member narrowed by a rule is refused too; a member reading every owner without rules may publish, and the page shows', async () => {
    expect(codeOf(await createPageAs(phoneOnly.apiKey, { title: 'Phone calls for everyone', dashboard: true, widgets: WIDGETS }))).toBe('FORBIDDEN');
    const published = await createPageAs(everyOwner.apiKey, { title: 'Published by every-owner', dashboard: true, widgets: WIDGETS });
    expect(codeOf(published)).toBeUndefined();
    const titles = await dashboardTitles();
    expect(titles).toContain('Published by every-owner');
    expect(titles).not.toContain('Phone calls for everyone');
  });

  test('an editor narrower than every owner cannot retitle or rewire a dashboard page (its words would reach every end user), but may take it off the dashboards', async () => {
    const pageId = await createPage(t, { title: 'Team numbers', dashboard: true, widgets: WIDGETS });
    await t.gql('mutation($id: ID!) { setPageAccess(pageId: $id, sharing: WORKSPACE_EDIT) { id } }', { id: pageId });
    const retitle = await updatePageAs(narrowAgent.apiKey, pageId, { title: 'Visit evil.example for a refund' });
    expect(codeOf(retitle)).toBe('FORBIDDEN');
    const rewire = await updatePageAs(narrowAgent.apiKey, pageId, { widgets: [{ ...WIDGETS[0], title: 'Call +1 555 0100 now' }] });
    expect(codeOf(rewire)).toBe('FORBIDDEN');
    const viaRest = await rest('PATCH', `/api/platform/v1/pages/${pageId}`, narrowAgent.apiKey, { title: 'Visit evil.example' });
    expect(viaRest.status).toBe(403);
    expect(await dashboardTitles()).toContain('Team numbers');
    expect((await dashboardTitles()).filter((title) => /evil|555/.test(title))).toEqual([]);
    // Taking the page off the dashboards reveals nothing and adds nothing: EDIT is enough, as it is to delete it.
    const unpublish = await updatePageAs(narrowAgent.apiKey, pageId, { dashboard: false });
    expect(codeOf(unpublish)).toBeUndefined();
    expect(unpublish.body.data!.updatePage).toMatchObject({ title: 'Team numbers', dashboard: false });
    expect(await dashboardTitles()).not.toContain('Team numbers');
    // Off the dashboards, the same editor may change it as any page it may edit.
    expect(codeOf(await updatePageAs(narrowAgent.apiKey, pageId, { title: 'Team numbers (draft)' }))).toBeUndefined();
  });
});

describe('embed details by need to know', () => {
  let pageId: string;
  let embedId: string;
  let minter: { id: string; apiKey: string };
  let viewerOnly: { id: string; apiKey: string };
  let editor: { id: string; apiKey: string };
  const DETAILS = {
    label: 'Ada and Grace partner portal',
    origins: ['https://partner.example'],
    rules: [{ field: 'owner', op: 'IN', value: ['ada', 'grace'] }],
  };

  beforeAll(async () => {
    minter = await createPrincipal(t, { name: 'Minter', dataAccess: { all: true } });
    viewerOnly = await createPrincipal(t, { name: 'Viewer only', dataAccess: { owners: ['alan'] } });
    editor = await createPrincipal(t, { name: 'Editor', dataAccess: { owners: ['alan'] } });
    // The default sharing (WORKSPACE_VIEW) gives every member VIEW; the editor gets an EDIT grant.
    pageId = await createPage(t, { title: 'Embedded calls', widgets: WIDGETS });
    await t.gql('mutation($id: ID!, $grants: [PageGrantInput!]) { setPageAccess(pageId: $id, grants: $grants) { id } }', {
      id: pageId,
      grants: [{ principalId: editor.id, level: 'EDIT' }],
    });
    embedId = (await mint(t, { pageId, audience: 'WORKSPACE', ...DETAILS }, minter.apiKey)).id;
  });

  const EMBEDS = 'query($id: ID!) { pageEmbeds(pageId: $id) { id audience minterName loadCount label origins rules { field op value } } }';
  type Listed = { id: string; audience: string; minterName: string; label: string | null; origins: string[] | null; rules: unknown[] | null };

  async function listedOverGraphQL(apiKey: string): Promise<Listed> {
    const response = await t.gql<{ pageEmbeds: Listed[] }>(EMBEDS, { id: pageId }, { apiKey });
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.pageEmbeds.find((embed) => embed.id === embedId)!;
  }

  async function listedOverRest(apiKey: string) {
    const response = await rest('GET', `/api/platform/v1/pages/${pageId}/embeds`, apiKey);
    expect(response.status).toBe(200);
    return (response.body['embeds'] as Array<Record<string, unknown>>).find((embed) => embed['id'] === embedId)!;
  }

  test('a VIEW-only member sees that the embed exists, its audience and minter, but its rules, origins and label are null (GraphQL and REST)', async () => {
    expect(await listedOverGraphQL(viewerOnly.apiKey)).toMatchObject({
      audience: 'WORKSPACE',
      minterName: 'Minter',
      label: null,
      origins: null,
      rules: null,
    });
    expect(await listedOverRest(viewerOnly.apiKey)).toMatchObject({ audience: 'workspace', minter_name: 'Minter', label: null, origins: null, rules: null });
  });

  test('its minter, an editor of the page and an admin see them (GraphQL and REST)', async () => {
    for (const apiKey of [minter.apiKey, editor.apiKey, t.apiKey]) {
      expect(await listedOverGraphQL(apiKey)).toMatchObject(DETAILS);
      expect(await listedOverRest(apiKey)).toMatchObject(DETAILS);
    }
  });
});

describe('the last admin stays', () => {
  const DELETE = 'mutation($id: ID!) { deletePrincipal(id: $id) }';
  const VIEWER = '{ viewer { id role } }';

  async function adminsOf(server: TestServer, apiKey: string): Promise<string[]> {
    const response = await server.gql<{ principals: Array<{ id: string; role: string }> }>('{ principals { id role } }', {}, { apiKey });
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.principals.filter((principal) => principal.role === 'ADMIN').map((principal) => principal.id);
  }

  test('the last admin deleting itself is told it is the last admin (CONFLICT), and stays', async () => {
    const fresh = await startTestServer();
    try {
      const adminId = (await fresh.gql<{ viewer: { id: string } }>(VIEWER)).body.data!.viewer.id;
      const response = await fresh.gql(DELETE, { id: adminId });
      expect(codeOf(response)).toBe('CONFLICT');
      expect(messageOf(response)).toBe('A workspace needs at least one admin: make another principal an admin first.');
      expect((await fresh.gql<{ viewer: { id: string; role: string } }>(VIEWER)).body.data!.viewer).toEqual({ id: adminId, role: 'ADMIN' });
    } finally {
      await fresh.close();
    }
  });

  test('an admin may leave while another admin remains: it is deleted and its key opens nothing', async () => {
    const fresh = await startTestServer();
    try {
      const second = await createPrincipal(fresh, { name: 'Leaving admin', role: 'ADMIN', dataAccess: { all: true } });
      const response = await fresh.gql(DELETE, { id: second.id }, { apiKey: second.apiKey });
      expect(response.body).toEqual({ data: { deletePrincipal: true } });
      expect(codeOf(await fresh.gql(VIEWER, {}, { apiKey: second.apiKey }))).toBe('UNAUTHENTICATED');
      expect(await adminsOf(fresh, fresh.apiKey)).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  test('two admins deleting each other at once, both past every check before either writes, leave both admins (each is refused)', async () => {
    const held = new HeldCalls(new MemoryStore(), 'principals', 'count');
    const fresh = await startTestServer({ store: held.store });
    try {
      const firstId = (await fresh.gql<{ viewer: { id: string } }>(VIEWER)).body.data!.viewer.id;
      const second = await createPrincipal(fresh, { name: 'Second admin', role: 'ADMIN', dataAccess: { all: true } });
      held.holding = true;
      held.phase = 'after';
      // The first admin deletes the second while the second deletes the first: both count two
      // admins before either has written anything (the check the old code relied on)...
      const deletingSecond = fresh.gql(DELETE, { id: second.id });
      const firstChecks = [await held.next()];
      const deletingFirst = fresh.gql(DELETE, { id: firstId }, { apiKey: second.apiKey });
      firstChecks.push(await held.next());
      held.phase = 'before';
      firstChecks.forEach((call) => call.release());
      // ...then both have marked their target before either counts again: the worst interleaving.
      const secondChecks = [await held.next(), await held.next()];
      secondChecks.forEach((call) => call.release());
      held.releaseAll();
      const answers = await Promise.all([deletingSecond, deletingFirst]);
      for (const answer of answers) {
        expect(codeOf(answer)).toBe('CONFLICT');
        expect(messageOf(answer)).toMatch(/at least one admin/);
      }
      expect((await adminsOf(fresh, fresh.apiKey)).sort()).toEqual([firstId, second.id].sort());
      expect((await fresh.gql<{ viewer: { role: string } }>(VIEWER, {}, { apiKey: second.apiKey })).body.data!.viewer.role).toBe('ADMIN');
    } finally {
      held.releaseAll();
      await fresh.close();
    }
  });

  test('two admins deleting each other at once, one a step ahead: the one behind wins, the one ahead is refused, and an admin remains', async () => {
    const held = new HeldCalls(new MemoryStore(), 'principals', 'count');
    const fresh = await startTestServer({ store: held.store });
    try {
      const firstId = (await fresh.gql<{ viewer: { id: string } }>(VIEWER)).body.data!.viewer.id;
      const second = await createPrincipal(fresh, { name: 'Second admin', role: 'ADMIN', dataAccess: { all: true } });
      held.holding = true;
      held.phase = 'after';
      // Both count two admins before either writes.
      const deletingSecond = fresh.gql(DELETE, { id: second.id });
      const ahead = await held.next();
      const deletingFirst = fresh.gql(DELETE, { id: firstId }, { apiKey: second.apiKey });
      const behind = await held.next();
      held.phase = 'before';
      // The one ahead marks the second admin and waits to count again; the one behind marks the first.
      ahead.release();
      const aheadRecount = await held.next();
      behind.release();
      const behindRecount = await held.next();
      // The one ahead sees no admin: it puts the second admin back and is refused.
      aheadRecount.release();
      expect(codeOf(await deletingSecond)).toBe('CONFLICT');
      // The one behind sees the second admin restored, and deletes the first.
      behindRecount.release();
      held.releaseAll();
      expect((await deletingFirst).body).toEqual({ data: { deletePrincipal: true } });
      expect(await adminsOf(fresh, second.apiKey)).toEqual([second.id]);
      expect(codeOf(await fresh.gql(VIEWER))).toBe('UNAUTHENTICATED');
    } finally {
      held.releaseAll();
      await fresh.close();
    }
  });

  test('an admin deleted while its remover is demoted at once is put back, keys and all, when no admin would remain', async () => {
    const held = new HeldCalls(new MemoryStore(), 'principals', 'count');
    const fresh = await startTestServer({ store: held.store });
    try {
      const firstId = (await fresh.gql<{ viewer: { id: string } }>(VIEWER)).body.data!.viewer.id;
      const second = await createPrincipal(fresh, { name: 'Second admin', role: 'ADMIN', dataAccess: { all: true } });
      held.holding = true;
      held.phase = 'after';
      // The second admin demotes the first; it counts two admins and waits there.
      const demotingFirst = fresh.gql(
        'mutation($id: ID!) { updatePrincipal(id: $id, input: { role: MEMBER }) { id role } }',
        { id: firstId },
        {
          apiKey: second.apiKey,
        },
      );
      const demoteCheck = await held.next();
      held.phase = 'before';
      // Meanwhile the first admin deletes the second: it counts two, marks the second, counts one (itself), deletes it...
      const deletingSecond = fresh.gql(DELETE, { id: second.id });
      (await held.next()).release();
      (await held.next()).release();
      const afterDelete = await held.next();
      // ...and before it looks again, the demotion of the first lands and waits on its own second look.
      demoteCheck.release();
      const demoteRecheck = await held.next();
      // The deletion now sees no admin: it puts the second admin back and is refused.
      afterDelete.release();
      const deleted = await deletingSecond;
      expect(codeOf(deleted)).toBe('CONFLICT');
      // The demotion sees the restored admin and stands.
      demoteRecheck.release();
      held.releaseAll();
      const demoted = await demotingFirst;
      expect(codeOf(demoted)).toBeUndefined();
      // The workspace has an admin: the second, restored with its key.
      const restored = await fresh.gql<{ viewer: { id: string; role: string } }>(VIEWER, {}, { apiKey: second.apiKey });
      expect(restored.body.data!.viewer).toEqual({ id: second.id, role: 'ADMIN' });
      expect(await adminsOf(fresh, second.apiKey)).toEqual([second.id]);
    } finally {
      held.releaseAll();
      await fresh.close();
    }
  });
});
