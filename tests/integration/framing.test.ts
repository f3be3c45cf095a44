import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { demoHostRoutes } from '../../server/src/demo/host-page.js';
import { repoRoot } from '../../server/src/paths.js';
import { CALLS, CALLS_PAGE, createPage, createPrincipal, createSecret, createUser, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Every HTML page is served only by its route, with its headers. Requests go out through
 * node:http with the path exactly as written (fetch would normalise `..`, `%2e` and backslashes
 * away before sending), carrying a live page embed token and a live user embed token, so a page
 * served without its headers would be a working attack.
 */

const DIST = join(repoRoot(), 'dist', 'client');
const PARTNER = 'https://partner.example';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** GET with the request line's path sent byte for byte. */
function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** An answer as a client sees it, minus what differs per request. */
const fingerprint = (answer: RawAnswer): string =>
  `${answer.status}\n${Object.entries(answer.headers)
    .filter(([name]) => name !== 'date' && name !== 'x-request-id')
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')}\n\n${answer.body}`;

/** The built pages and the bundle each one loads (`<script … src="/assets/…">`): what must never leak. */
const PAGES = ['embed-page', 'dashboard', 'console', 'graphiql'] as const;
const bundles = new Map<string, string[]>();
/** Every script the built pages load: a body naming one is a client page. */
const allBundles = () => [...bundles.values()].flat();

let t: TestServer;
let pageId: string;
let pageToken: string;
let embedToken: string;
let query: string;

beforeAll(async () => {
  if (!existsSync(join(DIST, 'embed-page.html'))) throw new Error('The client is not built: run `npm run build:client` first.');
  for (const name of PAGES) {
    const html = readFileSync(join(DIST, `${name}.html`), 'utf8');
    bundles.set(
      name,
      [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1]!),
    );
    expect(bundles.get(name)!.length).toBeGreaterThan(0);
  }
  // One credential is refused here at many spellings of its URL: the per-credential failure limit (tested in
  // tenant-limits) is set out of reach, so every answer is the refusal itself.
  t = await startTestServer({ env: { PORTHOLE_RATE_AUTH_FAILURES_PER_CREDENTIAL: '1000000' } });
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, CALLS_PAGE);
  await createSecret(t);
  pageToken = (await mint(t, { pageId, audience: 'PUBLIC', origins: [PARTNER] })).token;
  embedToken = (await createUser(t, 'ada')).embedToken;
  const set = await t.gql('mutation($o: [String!]) { updateWorkspace(input: { dashboardOrigins: $o }) { dashboardOrigins } }', { o: [PARTNER] });
  expect(set.body.errors).toBeUndefined();
  query = `?t=${pageToken}&token=${embedToken}`;
  // The demo host page is mounted by `npm start` (server/src/main.ts) exactly this way.
  t.server.routes.use(
    demoHostRoutes({ apiKey: 'x', pageId, pageEmbedUrl: `${t.url}/embed-page/acme/${pageId}${query}`, users: [{ externalId: 'ada', embedToken }] }, t.url),
  );
}, 30_000);

afterAll(async () => {
  await t?.close();
});

/** Every way a file server could be talked into serving `file` (a name like `embed-page.html`). */
function spellings(file: string): string[] {
  const upper = file.toUpperCase();
  const [stem, extension] = [file.slice(0, file.lastIndexOf('.')), file.slice(file.lastIndexOf('.') + 1)];
  return [
    `/${file}`,
    `/${upper}`,
    `/${stem}.${extension.toUpperCase()}`,
    `/${file}.`,
    `/${file}/`,
    `/${file}./`,
    `/${file}%00`,
    `/${file}%20`,
    `/${stem}%2e${extension}`,
    `/${stem}%2E${extension}`,
    `/%2f${file}`,
    `//${file}`,
    `/./${file}`,
    `/x/../${file}`,
    `/x/..%2f${file}`,
    `/x/..%2F${file}`,
    `/x/%2e%2e/${file}`,
    `/x/%2E%2E%2F${file}`,
    `/x/.%2e/${file}`,
    `/x/..%252f${file}`,
    `/x/%252e%252e/${file}`,
    `/x/%252e%252e%252f${file}`,
    `/x/..\\${file}`,
    `/x/..%5c${file}`,
    `/x/..%5C${file}`,
    `/x/..;/${file}`,
    `/x;/../${file}`,
    `/assets/../${file}`,
    `/assets/..%2f${file}`,
    `/assets/%2e%2e/${file}`,
    `/assets/%2e%2e%2f${file}`,
    `/assets/..\\${file}`,
    `/assets/..;/${file}`,
    `/assets/${file}`,
    `/ASSETS/../${upper}`,
    `/embed.js/../${file}`,
    `/embed.js/..%2f${file}`,
    `/embed-page/acme/..%2f..%2f${file}`,
    `/console/..%2f${file}`,
    `/demo/..%2f${file}`,
  ];
}

describe('the built HTML files', () => {
  const files = () => readdirSync(DIST).filter((name) => name.endsWith('.html'));

  test('the build has exactly the pages these tests cover', () => {
    expect(files().sort()).toEqual(PAGES.map((name) => `${name}.html`).sort());
  });

  test.each(PAGES)('%s.html is never served as a file, whatever the spelling of its path', async (name) => {
    const served: string[] = [];
    for (const path of spellings(`${name}.html`)) {
      const answer = await rawGet(t.ipUrl, `${path}${query}`);
      if (path === '/dashboard.html') {
        // The one spelling that is a route: the dashboard, with the headers of its route.
        expect([answer.status, answer.headers['content-security-policy']]).toEqual([200, expect.stringContaining(`frame-ancestors ${PARTNER};`)]);
        continue;
      }
      // Anything else is a refusal, never a page of the client: none of the scripts any built
      // page loads (the embed bundle above all), no script loaded at all.
      for (const bundle of allBundles()) if (answer.body.includes(bundle)) served.push(`${path} → ${answer.status} ${bundle}`);
      if (/<script[^>]*\ssrc=/.test(answer.body)) served.push(`${path} → ${answer.status} loads a script`);
      if (![400, 401, 404].includes(answer.status)) served.push(`${path} → ${answer.status}`);
      if (answer.status !== 401 && !/^\{"error":\{"code":"(NOT_FOUND|BAD_REQUEST)","message":"[^"]*"\}\}$/.test(answer.body))
        served.push(`${path} → ${answer.status} not a JSON error`);
    }
    expect(served).toEqual([]);
  });

  test('nothing outside the build is served either: the manifest, the sources, the repository', async () => {
    for (const path of [
      '/.vite/manifest.json',
      '/%2e%2e/package.json',
      '/..%2f..%2fpackage.json',
      '/src/page-embed/main.ts',
      '/assets/../../package.json',
      '/assets/',
    ]) {
      const answer = await rawGet(t.ipUrl, path);
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain('"name": "porthole"');
    }
  });
});

describe('the static files', () => {
  const anAsset = () => `/assets/${readdirSync(join(DIST, 'assets')).find((name) => name.endsWith('.js'))!}`;

  test('hashed assets and embed.js are served, with their cache headers', async () => {
    const asset = await rawGet(t.ipUrl, anAsset());
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const loader = await rawGet(t.ipUrl, '/embed.js');
    expect(loader.status).toBe(200);
    expect(loader.headers['cache-control']).toBe('public, max-age=300');
    expect(loader.headers['access-control-allow-origin']).toBe('*');
  });

  test('an asset is served at its exact path only', async () => {
    const path = anAsset();
    const name = path.slice('/assets/'.length);
    for (const other of [
      path.toUpperCase(),
      `${path}.`,
      `${path}/`,
      `/assets/x/..%2f${name}`,
      `/assets//${name}`,
      `/ASSETS/${name}`,
      `/assets/%2e/${name}`,
      '/EMBED.JS',
      '/embed.js.',
      '/embed%2ejs',
    ]) {
      expect([other, (await rawGet(t.ipUrl, other)).status]).toEqual([other, 404]);
    }
  });
});

describe('each page through its route', () => {
  test('the page embed carries its token’s frame-ancestors and loads its bundle (the control for the refusals)', async () => {
    const answer = await rawGet(t.ipUrl, `/embed-page/acme/${pageId}?t=${pageToken}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toContain(`frame-ancestors ${PARTNER};`);
    expect(bundles.get('embed-page')!.every((bundle) => answer.body.includes(bundle))).toBe(true);
  });

  test('the dashboard carries the workspace’s dashboard origins', async () => {
    const answer = await rawGet(t.ipUrl, `/dashboard.html?token=${embedToken}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toContain(`frame-ancestors ${PARTNER};`);
    expect(bundles.get('dashboard')!.every((bundle) => answer.body.includes(bundle))).toBe(true);
  });

  test('the console, GraphiQL and the demo host page may be framed by nobody', async () => {
    for (const [path, headers] of [
      ['/console', {}],
      ['/graphql', { accept: 'text/html' }],
      ['/demo/host.html', {}],
    ] as const) {
      const answer = await rawGet(t.ipUrl, path, headers);
      expect([path, answer.status]).toEqual([path, 200]);
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  test('the demo host page runs only the loader and its own script', async () => {
    const answer = await rawGet(t.ipUrl, '/demo/host.html');
    const csp = answer.headers['content-security-policy']!;
    expect(csp).toMatch(new RegExp(`script-src ${t.url}/embed.js 'sha256-[A-Za-z0-9+/]+=*';`));
    expect(csp).toContain(`frame-src ${t.url};`);
    expect(/script-src [^;]*/.exec(csp)![0]).not.toContain('unsafe-inline');
  });
});

describe('refusals', () => {
  const refusal = () => rawGet(t.ipUrl, `/embed-page/acme/${pageId}?t=garbage`);

  test('a refused page embed gets a document without the embed bundle, that cannot render a token', async () => {
    const answer = await refusal();
    expect(answer.status).toBe(401);
    expect(answer.body).toContain('This embed is unavailable.');
    for (const bundle of allBundles()) expect(answer.body).not.toContain(bundle);
    expect(answer.body).not.toMatch(/<script[^>]*\ssrc=/);
    // Its one inline script is allowed by hash; nothing else may load or run.
    expect(answer.headers['content-security-policy']).toMatch(
      /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*'; /,
    );
    const inline = /<script>([\s\S]*?)<\/script>/.exec(answer.body)![1]!;
    // It may say in the console that `t=` and `token=` are mixed up (it asks only whether each is present), but it
    // never reads a token's value, loads nothing and calls no API.
    expect(inline).not.toMatch(/fetch|XMLHttpRequest|import|graphql|\.get\('(t|token)'\)|[?&]t=/i);
    expect(inline).toContain("type:'porthole:unavailable'");
  });

  test('a valid token at another spelling of its URL gets the refusal, byte for byte as a bad token does', async () => {
    const expected = fingerprint(await refusal());
    const slugs = ['ACME', 'Acme', 'acme.', 'acme%2e', '%61cme', 'acme%20', 'globex'];
    const pages = [pageId.toUpperCase(), `${pageId}.`, `${pageId}%2e`, `${pageId}/`, `${pageId}%2f`, `${pageId};`, `${pageId}%20`, `${pageId.slice(0, -1)}`];
    const paths = [
      ...slugs.map((slug) => `/embed-page/${slug}/${pageId}`),
      ...pages.map((page) => `/embed-page/acme/${page}`),
      `/EMBED-PAGE/acme/${pageId}`,
      `/embed-page/acme/${pageId}/`,
    ];
    for (const path of paths) {
      const answer = await rawGet(t.ipUrl, `${path}?t=${pageToken}`);
      expect([path, fingerprint(answer)]).toEqual([path, expected]);
    }
  });

  test('every refused dashboard URL gets the same refusal document as a refused page embed', async () => {
    const expected = fingerprint(await refusal());
    for (const path of [
      `/dashboard.html?token=garbage`,
      `/dashboard.html`,
      `/DASHBOARD.HTML?token=${embedToken}`,
      `/dashboard.html/?token=${embedToken}`,
      `/Dashboard.html?token=${embedToken}`,
    ]) {
      expect([path, fingerprint(await rawGet(t.ipUrl, path))]).toEqual([path, expected]);
    }
  });
});

describe('malformed paths', () => {
  test.each([
    '/%E0%A4%A',
    '/embed-page/%/x',
    '/embed-page/acme/%E0%A4%A?t=x',
    '/dashboard.html/%',
    '/assets/%',
    '/%',
    '/console/%zz',
    '/api/v1/users/%E0%A4%A',
  ])('%s answers from the error table, without a stack trace or a file path', async (path) => {
    const answer = await rawGet(t.ipUrl, path);
    expect([400, 401, 404]).toContain(answer.status);
    expect(answer.body).not.toContain(repoRoot());
    expect(answer.body).not.toMatch(/node_modules|\bat [\w.<>]+ \(|<pre>|Error:/);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body).error.code).toMatch(/^(BAD_REQUEST|NOT_FOUND|UNAUTHENTICATED|BAD_USER_INPUT)$/);
  });

  test('an unknown path gets a JSON NOT_FOUND, not Express’s page', async () => {
    const answer = await rawGet(t.ipUrl, '/no/such/thing');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found.' } });
  });
});

describe('updateWorkspace', () => {
  const UPDATE = 'mutation($o: [String!]) { updateWorkspace(input: { dashboardOrigins: $o }) { slug dashboardOrigins } }';
  const dashboardCsp = async () => (await rawGet(t.ipUrl, `/dashboard.html?token=${embedToken}`)).headers['content-security-policy'];

  test('an admin sets the dashboard origins (checked, written as origins, deduplicated) and the dashboard carries them', async () => {
    const response = await t.gql<{ updateWorkspace: { slug: string; dashboardOrigins: string[] } }>(UPDATE, {
      o: ['https://partner.example', 'https://partner.example/', 'http://127.0.0.1:5000', 'https://other.example'],
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.updateWorkspace).toEqual({
      slug: 'acme',
      dashboardOrigins: ['https://partner.example', 'http://127.0.0.1:5000', 'https://other.example'],
    });
    const read = await t.gql<{ viewer: { workspace: { dashboardOrigins: string[] } } }>('{ viewer { workspace { dashboardOrigins } } }');
    expect(read.body.data!.viewer.workspace.dashboardOrigins).toEqual(['https://partner.example', 'http://127.0.0.1:5000', 'https://other.example']);
    expect(await dashboardCsp()).toContain('frame-ancestors https://partner.example http://127.0.0.1:5000 https://other.example;');
  });

  test('an empty list lets any site frame dashboards again; leaving the field out changes nothing', async () => {
    await t.gql(UPDATE, { o: [PARTNER] });
    const unchanged = await t.gql<{ updateWorkspace: { dashboardOrigins: string[] } }>('mutation { updateWorkspace(input: {}) { dashboardOrigins } }');
    expect(unchanged.body.data!.updateWorkspace.dashboardOrigins).toEqual([PARTNER]);
    await t.gql(UPDATE, { o: [] });
    expect(await dashboardCsp()).toContain('frame-ancestors *;');
    await t.gql(UPDATE, { o: [PARTNER] });
    expect(await dashboardCsp()).toContain(`frame-ancestors ${PARTNER};`);
  });

  test('a member who is not an admin gets FORBIDDEN and the origins stay', async () => {
    const member = await createPrincipal(t, { name: 'Mia', role: 'MEMBER', dataAccess: { all: true } });
    const response = await t.gql(UPDATE, { o: ['https://evil.example'] }, { apiKey: member.apiKey });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await dashboardCsp()).toContain(`frame-ancestors ${PARTNER};`);
  });

  test('anything but an origin, or more than 20, gets BAD_USER_INPUT and the origins stay', async () => {
    const invalid = [
      ['*'],
      ['https://*.example'],
      ['https://partner.example/path'],
      ['javascript:alert(1)'],
      ["https://a.example; script-src 'unsafe-inline'"],
      ['partner.example'],
      ['https://a.example?x=1'],
    ];
    for (const origins of invalid) {
      const response = await t.gql(UPDATE, { o: origins });
      expect([origins, response.body.errors?.[0]?.extensions?.code]).toEqual([origins, 'BAD_USER_INPUT']);
    }
    const many = Array.from({ length: 21 }, (_, index) => `https://site${index}.example`);
    expect((await t.gql(UPDATE, { o: many })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(UPDATE, { o: many.slice(0, 20) })).body.errors).toBeUndefined();
    await t.gql(UPDATE, { o: [PARTNER] });
    expect(await dashboardCsp()).toContain(`frame-ancestors ${PARTNER};`);
  });

  test("another workspace's admin changes only its own workspace", async () => {
    const response = await t.gql<{ updateWorkspace: { slug: string } }>(UPDATE, { o: ['https://globex.example'] }, { apiKey: t.otherApiKey });
    expect(response.body.data!.updateWorkspace.slug).toBe('globex');
    expect(await dashboardCsp()).toContain(`frame-ancestors ${PARTNER};`);
  });

  test('without an API key it is UNAUTHENTICATED', async () => {
    expect((await t.gql(UPDATE, { o: [] }, { apiKey: null })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
