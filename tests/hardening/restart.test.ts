import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../server/src/paths.js';
import { CALLS, CALLS_PAGE, DASHBOARD_QUERY, PAGE_QUERY } from '../support/factories.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * The zero-configuration default keeps its data: the real server process on the store that can
 * start on this machine (the memory store, kept as a snapshot in PORTHOLE_DATA_DIR), with no
 * PORTHOLE_MASTER_KEY (so the key kept in the data folder must open the sealed signing secret),
 * stopped with SIGTERM and started again over the same folder.
 */

const bootstrapKey = `acme_${randomBytes(18).toString('base64url')}`;
let dataDir: string;
let running: ServerProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'porthole-restart-'));
});

afterAll(async () => {
  if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

const start = (store: string) => startServerProcess({ PORTHOLE_STORE: store, PORTHOLE_DATA_DIR: dataDir, PORTHOLE_BOOTSTRAP: `acme=${bootstrapKey}` });

function dataOf<T>(response: { body: { data?: T | null; errors?: unknown } }): T {
  if (!response.body.data || response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data;
}

test('a page, a member, a user and an embed made before a SIGTERM all still work after the next start', async () => {
  running = await start('memory');
  const first = running;
  expect(first.output()).toContain(`kept in ${join(dataDir, 'memory-store.v8')}`);
  expect(first.output()).toMatch(/a crash \(not a stop\) can lose the changes of the last 1 s/);

  const member = dataOf(
    await first.gql<{ createPrincipal: { apiKey: string } }>(
      'mutation { createPrincipal(input: { name: "Robin", kind: AGENT, role: ADMIN, dataAccess: { all: true } }) { apiKey } }',
      {},
      bootstrapKey,
    ),
  ).createPrincipal.apiKey;
  dataOf(await first.gql('mutation($r: [JSONObject!]!) { ingestRecords(dataset: "calls", records: $r) { inserted } }', { r: CALLS }, member));
  const pageId = dataOf(
    await first.gql<{ createPage: { id: string } }>('mutation($i: CreatePageInput!) { createPage(input: $i) { id } }', { i: CALLS_PAGE }, member),
  ).createPage.id;
  dataOf(await first.gql('mutation { createSigningSecret(name: "restart") { plaintext } }', {}, member));
  const embed = dataOf(
    await first.gql<{ mintPageEmbed: { token: string; embedUrl: string } }>(
      'mutation($i: MintPageEmbedInput!) { mintPageEmbed(input: $i) { token embedUrl } }',
      { i: { pageId, audience: 'PUBLIC' } },
      member,
    ),
  ).mintPageEmbed;
  const user = dataOf(
    await first.gql<{ createUser: { embedToken: string } }>('mutation { createUser(input: { externalId: "ada" }) { embedToken } }', {}, member),
  ).createUser.embedToken;
  const session = dataOf(
    await first.gql<{ validateEmbedToken: { authToken: string } }>('mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }', { t: user }),
  ).validateEmbedToken.authToken;

  expect(await first.stop()).toBe(0);
  // The snapshot was renamed into place, never left half-written; the master key is the owner's alone.
  expect((await readdir(dataDir)).sort()).toEqual(['master.key', 'memory-store.v8']);
  expect((await stat(join(dataDir, 'master.key'))).mode & 0o777).toBe(0o600);

  running = await start('memory');
  const second = running;
  // The member's API key.
  const viewer = await second.gql<{ viewer: { name: string } }>('{ viewer { name } }', {}, member);
  expect(viewer.body.data?.viewer.name).toBe('Robin');
  // The page embed (its signing secret was sealed under the kept master key).
  const page = await second.embedGql<{ page: { title: string; widgets: Array<{ data: { rows: unknown[][] } }> } }>(PAGE_QUERY, embed.token);
  expect(page.status).toBe(200);
  expect(page.body.data?.page.title).toBe('Calls');
  expect(page.body.data?.page.widgets[0]!.data.rows).toEqual([[6]]);
  const html = await fetch(embed.embedUrl.replace(/^http:\/\/[^/]+/, second.base));
  expect(html.status).toBe(200);
  // The user's embed token exchanges again, and the session issued before the restart still opens the dashboard.
  const exchanged = await second.gql<{ validateEmbedToken: { authToken: string } }>(
    'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }',
    { t: user },
  );
  expect(exchanged.body.data?.validateEmbedToken.authToken).toEqual(expect.any(String));
  const dashboard = await second.embedGql<{ dashboard: { pages: Array<{ title: string }> } }>(DASHBOARD_QUERY, session);
  expect(dashboard.status).toBe(200);
  expect(dashboard.body.data?.dashboard.pages.map((one) => one.title)).toEqual(['Calls']);
  expect(await second.stop()).toBe(0);
}, 60_000);

test('with PORTHOLE_DATA_DIR empty the memory store is throwaway: nothing survives and no ./.porthole is made', async () => {
  const defaultFolder = join(repoRoot(), '.porthole');
  const existedBefore = existsSync(defaultFolder);
  const throwaway = () => startServerProcess({ PORTHOLE_STORE: 'memory', PORTHOLE_DATA_DIR: '', PORTHOLE_BOOTSTRAP: `acme=${bootstrapKey}` });
  running = await throwaway();
  expect(running.output()).toContain('data will NOT survive a restart');
  dataOf(await running.gql('mutation { createUser(input: { externalId: "ada" }) { embedToken } }', {}, bootstrapKey));
  expect(await running.stop()).toBe(0);
  running = await throwaway();
  const users = await running.gql<{ users: { totalCount: number } }>('{ users { totalCount } }', {}, bootstrapKey);
  expect(users.body.data?.users.totalCount).toBe(0);
  expect(await running.stop()).toBe(0);
  expect(existsSync(defaultFolder)).toBe(existedBefore);
}, 60_000);
