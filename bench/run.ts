import { fork, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { safeEqual } from '../server/src/crypto/safe-equal.js';
import { TRUSTED_EMBED_DOCUMENTS } from '../server/src/graphql/generated/embed-documents.js';
import { newId } from '../server/src/crypto/random.js';
import { signPageEmbedToken, verifyPageEmbedToken } from '../server/src/tokens/page-embed-token.js';
import { signUserEmbedToken } from '../server/src/tokens/user-tokens.js';
import { scopeOf } from '../server/src/policies/data-access.js';
import { FaultyStore } from '../server/src/store/faulty-store.js';
import { MemoryStore } from '../server/src/store/memory/memory-store.js';
import { MongoStore } from '../server/src/store/mongo/mongo-store.js';
import { WireDocuments } from '../tests/support/mongo-wire-documents.js';
import { MongoWirePeer, sequentialRoundTrips } from '../tests/support/mongo-wire-peer.js';
import { startBaseline } from './baseline.js';
import { addPublicPage, benchRecordDocs, PAGE_REQUEST_BODY, startBenchServer } from './fixture.js';

/**
 * `npm run bench`: figures, never assertions. Porthole against a bare node:http baseline
 * doing the same store reads (autocannon, 100 connections), token verification cost,
 * store queries for 1 000 concurrent viewers of one embed, render latency by data size, and
 * how long refused credentials take by reason (a timing oracle would show here).
 * The last line is the ratio docs/performance.md quotes.
 */

/** The data sizes the throughput runs compare at: 0 shows Porthole's own cost alone. */
const THROUGHPUT_RECORDS = [0, 100, 10_000] as const;
const CONNECTIONS = 50;
const ROUNDS = 2;
const SECONDS_PER_RUN = 5;
const BODY = PAGE_REQUEST_BODY;

const format = (value: number, digits = 0) =>
  value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

interface Target {
  porthole: string;
  baseline: string;
  health: string;
  token: string;
}

/**
 * Starts the load target in its own process, so that autocannon does not share its event loop.
 * With BENCH_CPU_PROF=<dir> the target runs under `node --cpu-prof` and writes its profile there.
 */
async function startTarget(records: number): Promise<{ child: ChildProcess; target: Target }> {
  const profile = process.env['BENCH_CPU_PROF'];
  const child = fork(fileURLToPath(new URL('./target.js', import.meta.url)), [], {
    execArgv: [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, `--cpu-prof-name=target-${records}.cpuprofile`] : [])],
    env: { ...process.env, BENCH_RECORDS: String(records) },
  });
  const target = await new Promise<Target>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Target));
    child.once('exit', (code) => reject(new Error(`bench target exited with ${code}`)));
  });
  return { child, target };
}

/**
 * Waits until the target's event loop is idle again: requests left over from a run whose
 * clients have gone are still processed, and must not be billed to the next run.
 */
async function settle(health: string): Promise<void> {
  for (;;) {
    const started = performance.now();
    await probe(health);
    if (performance.now() - started < 20) return;
  }
}

/** One GET on a fresh connection (a pooled one may be closed by the server's keep-alive timeout). */
function probe(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (response) => {
      response.resume();
      response.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
}

interface Run {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  failures: number;
}

async function load(url: string, headers: Record<string, string>, seconds: number, connections = CONNECTIONS): Promise<Run> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: BODY,
    connections,
    duration: seconds,
    timeout: 60,
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

function summarize(runs: readonly Run[]): {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
} {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    rps: requests / seconds,
    // autocannon reports percentiles per run; these are the mean p50 and the worst p99.
    p50: runs.reduce((sum, run) => sum + run.p50, 0) / runs.length,
    p99: Math.max(...runs.map((run) => run.p99)),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
  };
}

let targetProcess: ChildProcess | undefined;

interface Throughput {
  records: number;
  porthole: number;
  baseline: number;
}

async function throughput(records: number): Promise<Throughput> {
  const { child, target } = await startTarget(records);
  targetProcess = child;
  const porthole = {
    url: target.porthole,
    headers: { authorization: `Bearer ${target.token}` },
  };
  const baseline = { url: target.baseline, headers: {} };
  for (const side of [porthole, baseline]) {
    await load(side.url, side.headers, 2, 10);
    await settle(target.health);
  }
  const runs = { porthole: [] as Run[], baseline: [] as Run[] };
  const counts = () =>
    new Promise<{ queriesIssued: number; rendersRequested: number }>((resolve) => {
      child.once('message', (message) => resolve(message as { queriesIssued: number; rendersRequested: number }));
      child.send('counts');
    });
  const cpu = () =>
    new Promise<number>((resolve) => {
      child.once('message', (message) => resolve((message as { cpuMicros: number }).cpuMicros));
      child.send('cpu');
    });
  const cpuMicros = { porthole: 0, baseline: 0 };
  let renders = 0;
  let rendersQueried = 0;
  // Interleaved, so that whatever else the machine is doing weighs on both sides alike.
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, side] of [
      ['porthole', porthole],
      ['baseline', baseline],
    ] as const) {
      const before = name === 'porthole' ? await counts() : null;
      const cpuBefore = await cpu();
      runs[name].push(await load(side.url, side.headers, SECONDS_PER_RUN));
      await settle(target.health);
      cpuMicros[name] += (await cpu()) - cpuBefore;
      if (before) {
        const after = await counts();
        renders += after.rendersRequested - before.rendersRequested;
        rendersQueried += (after.queriesIssued - before.queriesIssued) / 4;
      }
    }
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  await exited;
  const p = summarize(runs.porthole);
  const b = summarize(runs.baseline);
  console.log(
    `Embed render: 4 widgets over ${format(records)} records, memory store, ${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS_PER_RUN} s per side, interleaved`,
  );
  console.log(
    `  porthole  POST /embed/graphql (one pipeline: token, lookups, rate limits, log) ${format(p.rps)} req/s  p50 ${format(p.p50)} ms  p99 ${format(p.p99)} ms  failed ${p.failures}`,
  );
  console.log(
    `  baseline  node:http, same store reads and pipelines                           ${format(b.rps)} req/s  p50 ${format(b.p50)} ms  p99 ${format(b.p99)} ms  failed ${b.failures}`,
  );
  const cpuPer = (name: 'porthole' | 'baseline') => cpuMicros[name] / runs[name].reduce((sum, run) => sum + run.requests, 0);
  console.log(
    `  the target's CPU time per request (user + system, all threads): porthole ${format(cpuPer('porthole'))} µs, baseline ${format(cpuPer('baseline'))} µs, difference ${format(cpuPer('porthole') - cpuPer('baseline'))} µs`,
  );
  // The baseline never shares; Porthole shares a render only when two viewers meet one in flight.
  console.log(
    `  porthole renders that shared another's queries: ${format(renders - rendersQueried)} of ${format(renders)} (the baseline queries for every request)`,
  );
  return { records, porthole: p.rps, baseline: b.rps };
}

async function timeOps(operation: () => unknown, iterations: number): Promise<number> {
  for (let index = 0; index < iterations / 10; index += 1) await operation();
  const started = process.hrtime.bigint();
  for (let index = 0; index < iterations; index += 1) await operation();
  return Number(process.hrtime.bigint() - started) / 1000 / iterations;
}

async function tokenVerification(): Promise<void> {
  const key = new Uint8Array(randomBytes(32));
  const now = new Date();
  const token = await signPageEmbedToken(
    {
      ws: 'w'.repeat(28),
      page: 'p'.repeat(28),
      audience: 'public',
      sub: 's'.repeat(28),
      jti: 'j'.repeat(28),
      rules: [],
      origins: [],
    },
    key,
    'k'.repeat(28),
    now,
    new Date(now.getTime() + 3_600_000),
  );
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const jose = await timeOps(() => verifyPageEmbedToken(token, key, now, 365 * 86_400), 5_000);
  const raw = await timeOps(() => {
    const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
    if (!safeEqual(expected, Buffer.from(signature, 'base64url'))) throw new Error('bad signature');
  }, 20_000);
  console.log('Token verification, HS256 page embed token, one after another');
  console.log(`  jose via server/src/tokens (WebCrypto: key import and verify off the main thread; claims; schema)  ${format(jose, 1)} µs/op`);
  console.log(`  raw HMAC-SHA256 (node:crypto, synchronous) and constant-time compare                             ${format(raw, 1)} µs/op`);
}

/**
 * Sends `count` requests at once and waits for every answer, over `connections`
 * connections. A server busy rendering cannot accept 1 000 connections at once (past its
 * listen backlog of 511 a loopback client gets resets), so those runs share 250.
 */
async function concurrentViewers(url: string, token: string, count: number, connections: number): Promise<number> {
  const agent = new Agent({ keepAlive: connections < count, maxSockets: connections });
  const statuses = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<number>((resolve, reject) => {
          const outgoing = request(
            url,
            {
              method: 'POST',
              agent,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${token}`,
              },
            },
            (response) => {
              response.resume();
              response.on('end', () => resolve(response.statusCode ?? 0));
            },
          );
          outgoing.on('error', reject);
          outgoing.end(BODY);
        }),
    ),
  );
  agent.destroy();
  return statuses.filter((status) => status !== 200).length;
}

const VIEWER_RECORDS = 100;

async function coalescing(): Promise<void> {
  // The count of queries does not depend on the data's size; a small dataset keeps the
  // always-live case (which renders for every viewer on this store) short.
  const store = new FaultyStore(new MemoryStore());
  const bench = await startBenchServer(VIEWER_RECORDS, { store });
  const renderer = bench.server.services.renderer;
  const count = async (freshnessSeconds: number, label: string, holdFirstQuery: boolean) => {
    const { token } = await addPublicPage(bench, freshnessSeconds);
    const queries = renderer.queriesIssued;
    const renders = renderer.rendersRequested;
    if (holdFirstQuery) store.holdAggregations();
    // Held, the server idles and accepts every connection; otherwise it renders meanwhile.
    const answered = concurrentViewers(`${bench.url}/embed/graphql`, token, 1000, holdFirstQuery ? 1000 : 250);
    if (holdFirstQuery) {
      while (renderer.rendersRequested - renders < 1000) await new Promise((resolve) => setTimeout(resolve, 5));
      store.releaseAggregations();
    }
    const failed = await answered;
    console.log(`  ${label.padEnd(100)} ${renderer.queriesIssued - queries} queries  (${failed} failed)`);
  };
  console.log(`Store queries for 1 000 concurrent viewers of one public embed (4 widgets, ${format(VIEWER_RECORDS)} records)`);
  await count(0, 'freshnessSeconds 0, memory store (it yields before each aggregation: viewers arriving meanwhile share the one in flight)', false);
  await count(0, 'freshnessSeconds 0, the first query held in flight until all 1 000 have asked (as a slow database would)', true);
  await count(5, 'freshnessSeconds 5 (a busy public embed)', false);
  await bench.close();
}

/** One POST of the page query; its time in ms. */
async function timeRender(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: BODY });
  await response.text();
  if (response.status !== 200) throw new Error(`render answered ${response.status}`);
  return performance.now() - started;
}

/** Porthole's end-to-end render p50 (ms) by record count. */
async function renderLatency(): Promise<Map<number, number>> {
  console.log('Render latency, one viewer at a time, 4 widgets, end to end over HTTP (p50 / max; page from its rollups, built at page creation)');
  const p50s = new Map<number, number>();
  for (const [records, samples] of [
    [1_000, 40],
    [10_000, 30],
    [100_000, 30],
    [1_000_000, 30],
  ] as const) {
    const seeding = performance.now();
    const bench = await startBenchServer(records);
    const seeded = performance.now() - seeding;
    const minter = (await bench.store.principals.findOne({
      _id: bench.viewer.principal._id,
    }))!;
    const baseline = await startBaseline(bench.store, bench.server.services.rollups, bench.page, scopeOf(minter, []));
    const sides: Array<{ url: string; headers: Record<string, string>; times: number[] }> = [
      { url: `${bench.url}/embed/graphql`, headers: { authorization: `Bearer ${bench.token}` }, times: [] },
      { url: baseline.url, headers: {}, times: [] },
    ];
    // One of each in turn, after one unmeasured render each, so that neither side gets the warmer machine.
    for (const side of sides) await timeRender(side.url, side.headers);
    for (let index = 0; index < samples; index += 1) for (const side of sides) side.times.push(await timeRender(side.url, side.headers));
    const [porthole, floor] = sides.map((side) => side.times.sort((a, b) => a - b)) as [number[], number[]];
    const show = (times: number[]) => `${format(percentile(times, 50), 1)} / ${format(times[times.length - 1]!, 1)} ms`;
    const { answered, fellBack } = bench.server.services.rollups;
    console.log(
      `  ${format(records).padStart(9)} records  porthole ${show(porthole)}   baseline ${show(floor)}   (${samples} renders each; widgets from rollups ${answered}, from records ${fellBack}; seeded and rolled up in ${format(seeded / 1000, 1)} s)`,
    );
    p50s.set(records, percentile(porthole, 50));
    await baseline.close();
    await bench.close();
  }
  return p50s;
}

const TIMING_SAMPLES = 300;
const median = (times: number[]) =>
  percentile(
    [...times].sort((a, b) => a - b),
    50,
  );

/** One request's time in µs; the status must be the refusal expected. */
async function timeRefusal(url: string, init: RequestInit, status: number): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, init);
  await response.text();
  const elapsed = Number(process.hrtime.bigint() - started) / 1000;
  if (response.status !== status) throw new Error(`${url} answered ${response.status}, not ${status}`);
  return elapsed;
}

/**
 * Refused credentials timed by reason, interleaved (one of each in turn) so that the
 * machine's other work weighs on every reason alike. Equal work means equal medians:
 * unknown, revoked and live signing secrets each cost a lookup, an unseal and a verify; so
 * do unknown and known users.
 */
async function refusalTiming(): Promise<void> {
  // Hundreds of exchanges of two tokens from one address: the exchange limits out of reach.
  const bench = await startBenchServer(VIEWER_RECORDS, {
    env: { PORTHOLE_RATE_EXCHANGE_PER_TOKEN: '1000000000', PORTHOLE_RATE_EXCHANGE_PER_ADDRESS: '1000000000' },
  });
  const { services } = bench.server;
  const now = new Date();
  const expires = new Date(now.getTime() + 3_600_000);
  const claims = { ws: bench.viewer.workspace._id, page: bench.page._id, audience: 'public' as const, sub: bench.viewer.principal._id, rules: [], origins: [] };
  const wrongKey = new Uint8Array(randomBytes(32));
  const live = (await services.secrets.list(bench.viewer))[0]!;
  const revoked = await services.secrets.create(bench.viewer, 'revoked');
  await services.secrets.revoke(bench.viewer, revoked.secret._id);
  const pageTokens = {
    'unknown kid': await signPageEmbedToken({ ...claims, jti: newId() }, wrongKey, newId(), now, expires),
    'revoked secret': await signPageEmbedToken({ ...claims, jti: newId() }, new TextEncoder().encode(revoked.plaintext), revoked.secret._id, now, expires),
    'live secret, bad signature': await signPageEmbedToken({ ...claims, jti: newId() }, wrongKey, live._id, now, expires),
  };
  const known = await services.users.create(bench.viewer, { externalId: 'timing-known' });
  const subject = { workspaceId: bench.viewer.workspace._id, secretVersion: known.user.secretVersion };
  const userTokens = {
    'unknown user': await signUserEmbedToken({ ...subject, userId: newId() }, wrongKey),
    'known user, bad signature': await signUserEmbedToken({ ...subject, userId: known.user._id }, wrongKey),
  };
  const surfaces: Array<[string, Record<string, string>, (token: string) => Promise<number>]> = [
    [
      'POST /embed/graphql',
      pageTokens,
      (token) =>
        timeRefusal(
          `${bench.url}/embed/graphql`,
          { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: BODY },
          401,
        ),
    ],
    [
      'POST /api/validate-embed-token',
      userTokens,
      (token) =>
        timeRefusal(
          `${bench.url}/api/validate-embed-token`,
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ embed_token: token }) },
          401,
        ),
    ],
    ['GET /dashboard.html', userTokens, (token) => timeRefusal(`${bench.url}/dashboard.html?token=${token}`, {}, 401)],
  ];
  console.log(`Refused credentials by reason: median of ${TIMING_SAMPLES} interleaved requests each, end to end`);
  for (const [label, tokens, send] of surfaces) {
    const times = Object.fromEntries(Object.keys(tokens).map((name) => [name, [] as number[]]));
    for (const token of Object.values(tokens)) await send(token);
    for (let index = 0; index < TIMING_SAMPLES; index += 1) for (const [name, token] of Object.entries(tokens)) times[name]!.push(await send(token));
    const medians = Object.entries(times).map(([name, samples]) => `${name} ${format(median(samples))} µs`);
    console.log(`  ${label.padEnd(32)} ${medians.join('   ')}`);
  }
  await bench.close();
}

const HEAVY_RECORDS = 200_000;
const HEAVY_SECONDS = 10;
const HEAVY_RENDERERS = 8;
const HEAVY_FLOODERS = 2;

/**
 * Issue 21's red-team scenarios against one server on the memory store, while its event loop's delay is
 * sampled (`perf_hooks.monitorEventLoopDelay`): 8 clients render, back to back, each in its own zone (so
 * no render shares another's queries), a public embed of a TABLE over 200 000 records (1 000 rows × 5
 * columns, sorted by a field, each record carrying a 10 000-character note), and 2 clients send, in turn, 30
 * aliased `fieldValues` (refused before any work) and the 5 a request may hold. The server runs in this process so that its loop is the one sampled; the clients only send and
 * discard. Returns the p99 delay in ms.
 */
async function heavyRenders(): Promise<number> {
  const bench = await startBenchServer(0, { env: { PORTHOLE_RATE_API_PER_KEY: '1000000000' } });
  const { services } = bench.server;
  const note = 'a long note '.repeat(1000).slice(0, 10_000);
  // Stored directly, as a partner's ingests would have left them (one shared string: 200 000 notes in little memory).
  // Dataset "heavy" has no catalog entry then, so its page is saved without field checks.
  // Made and stored in a function of their own, so that the made copies are garbage once stored.
  const store = async () => {
    const docs = benchRecordDocs(bench.viewer.workspace._id, HEAVY_RECORDS).map((doc) => ({ ...doc, dataset: 'heavy', data: { ...doc.data, note } }));
    for (let index = 0; index < docs.length; index += 50_000) await bench.store.records.insertNew(docs.slice(index, index + 50_000));
  };
  await store();
  const page = await services.pages.create(bench.viewer, {
    title: 'Heavy table',
    widgets: [
      {
        title: 'Every call',
        kind: 'TABLE',
        query: { dataset: 'heavy', select: ['owner', 'at', 'channel', 'minutes', 'note'], sort: { field: 'minutes', direction: 'DESC' }, limit: 1000 },
      },
    ],
  });
  const { token } = await services.embeds.mint(bench.viewer, { pageId: page._id, audience: 'public', ttlSeconds: 86_400 });
  const { plaintext: apiKey } = await services.principals.createApiKey(bench.viewer, 'heavy');
  const aliases = (count: number) =>
    JSON.stringify({
      query: `{ ${Array.from({ length: count }, (_, index) => `v${index}: fieldValues(dataset: "heavy", field: "channel", limit: 100)`).join(' ')} }`,
    });
  const agent = new Agent({ keepAlive: true, maxSockets: HEAVY_RENDERERS + HEAVY_FLOODERS + 2 });
  /** One POST; its status and body size, the body itself discarded. */
  const post = (path: string, headers: Record<string, string>, body: string) =>
    new Promise<{ status: number; bytes: number }>((resolve, reject) => {
      const outgoing = request(`${bench.url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  // As the embed client sends a render: its trusted page document, by hash (the only kind production runs).
  const pageHash = Object.keys(TRUSTED_EMBED_DOCUMENTS).find((hash) => TRUSTED_EMBED_DOCUMENTS[hash]!.includes('{page('))!;
  // Each client in its own zone: renders in different zones are different renders (none shares another's queries).
  const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney', 'America/Sao_Paulo', 'Africa/Lagos'];
  const renderBody = (client: number) =>
    JSON.stringify({ variables: { timezone: zones[client % zones.length] }, extensions: { persistedQuery: { version: 1, sha256Hash: pageHash } } });
  const render = (client = 0) => post('/embed/graphql', { authorization: `Bearer ${token}` }, renderBody(client));
  const flood = (count: number) => post('/graphql', { 'x-api-key': apiKey }, aliases(count));
  const first = await render();
  if (first.status !== 200) throw new Error(`heavy render answered ${first.status}`);
  if ((await flood(30)).status !== 400) throw new Error('30 aliased fieldValues were not refused');
  const counts = { renders: 0, refused: 0, allowed: 0, failed: 0 };
  let running = true;
  // Sampled every millisecond: each sample is the time between two turns of the loop (1 ms when idle).
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const renderers = Array.from({ length: HEAVY_RENDERERS }, async (_, client) => {
    while (running) {
      const { status } = await render(client);
      if (status === 200) counts.renders += 1;
      else counts.failed += 1;
    }
  });
  const flooders = Array.from({ length: HEAVY_FLOODERS }, async () => {
    for (let turn = 0; running; turn += 1) {
      const { status } = await flood(turn % 2 === 0 ? 30 : 5);
      if (status === 400 && turn % 2 === 0) counts.refused += 1;
      else if (status === 200) counts.allowed += 1;
      else counts.failed += 1;
    }
  });
  // A health check every 50 ms, as a load balancer would send: how long it waits behind the heavy work.
  const health: number[] = [];
  const prober = (async () => {
    while (running) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) =>
        request(`${bench.url}/healthz`, { agent }, (response) => response.resume().on('end', resolve))
          .on('error', reject)
          .end(),
      );
      health.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, HEAVY_SECONDS * 1000));
  running = false;
  await Promise.all([...renderers, ...flooders, prober]);
  delay.disable();
  agent.destroy();
  await bench.close();
  const p99 = delay.percentile(99) / 1e6;
  console.log(
    `Event-loop delay under heavy renders (${HEAVY_SECONDS} s, memory store): ${HEAVY_RENDERERS} clients rendering a TABLE over ${format(HEAVY_RECORDS)} records (${format(first.bytes)} bytes each), ${HEAVY_FLOODERS} sending 30 and 5 aliased fieldValues`,
  );
  console.log(
    `  renders ${counts.renders}, 30-alias requests refused ${counts.refused}, 5-alias requests answered ${counts.allowed}, other answers ${counts.failed}; delay p50 ${format(delay.percentile(50) / 1e6, 1)} ms, p99 ${format(p99, 1)} ms, max ${format(delay.max / 1e6, 1)} ms; GET /healthz p99 ${format(
      percentile(
        health.sort((a, b) => a - b),
        99,
      ),
      1,
    )} ms`,
  );
  return p99;
}

/** The figures of `mongoRoundTrips`, for the closing lines. */
interface MongoFigures {
  commands: number;
  roundTrips: number;
  p50AtDelay: number;
}

const MONGO_RECORDS = 1_000;
const MONGO_DELAY_MS = 5;
const MONGO_SAMPLES = 60;

/**
 * The production path: Porthole on the mongo adapter, the real MongoDB driver talking to the
 * project's MongoDB wire peer (tests/support/mongo-wire-peer.ts, its documents answered by
 * mingo) with every answer held 0 or MONGO_DELAY_MS (a database in another zone), for the
 * bench's 4-widget page as the embed client sends it (its trusted document, by hash). Commands
 * per render are counted on the wire; the sequential round trips are read off the latencies,
 * (p50 at the delay − p50 at 0) / delay, and checked against the peer's log of when each command
 * arrived and was answered. Renders at 0 and at the delay alternate, so both see the machine
 * alike. Nothing here is a memory-store figure.
 */
async function mongoRoundTrips(): Promise<MongoFigures> {
  const peer = new MongoWirePeer();
  const documents = new WireDocuments();
  peer.react = (name, command) => documents.answer(name, command);
  await peer.open();
  const bench = await startBenchServer(MONGO_RECORDS, { store: await MongoStore.connect(peer.uri) });
  // Usage is written every few seconds in the background, off the request path: flushed and stopped, so no write lands in a count.
  await bench.server.services.usage.stop();
  const render = async (): Promise<number> => {
    const began = performance.now();
    const response = await fetch(`${bench.url}/embed/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bench.token}` },
      body: BODY,
    });
    await response.text();
    if (response.status !== 200) throw new Error(`render over the wire peer answered ${response.status}`);
    return performance.now() - began;
  };
  for (let index = 0; index < 10; index += 1) await render();
  const times = new Map<number, number[]>([
    [0, []],
    [MONGO_DELAY_MS, []],
  ]);
  const commands: number[] = [];
  const logged: number[] = [];
  for (let index = 0; index < 2 * MONGO_SAMPLES; index += 1) {
    const delay = index % 2 === 0 ? 0 : MONGO_DELAY_MS;
    peer.delayMs = delay;
    const from = peer.timeline.length;
    times.get(delay)!.push(await render());
    if (delay > 0) {
      const sent = peer.timeline.slice(from);
      commands.push(sent.length);
      logged.push(sequentialRoundTrips(sent));
    }
  }
  peer.delayMs = 0;
  await bench.close();
  await peer.close();
  const p50 = (delay: number) => median(times.get(delay)!);
  const figures = { commands: median(commands), roundTrips: (p50(MONGO_DELAY_MS) - p50(0)) / MONGO_DELAY_MS, p50AtDelay: p50(MONGO_DELAY_MS) };
  console.log(
    `Embed render on the mongo adapter: the real driver over the MongoDB wire peer (mingo behind it, not a mongod), 4 widgets over ${format(MONGO_RECORDS)} records, one viewer at a time, ${MONGO_SAMPLES} renders at each delay`,
  );
  console.log(
    `  p50 ${format(p50(0), 1)} ms with answers at once, ${format(p50(MONGO_DELAY_MS), 1)} ms with each answer held ${MONGO_DELAY_MS} ms; ${figures.commands} commands per render, ${format(median(logged), 0)} round trips one after another in the peer's log`,
  );
  return figures;
}

process.on('uncaughtException', (error) => {
  console.error(error);
  targetProcess?.kill();
  process.exit(1);
});

const started = performance.now();
const ZONE_RECORDS = 100_000;
const ZONE_SAMPLES = 20;

/**
 * A viewer's own zone on a UTC page (the bench's four widgets over 100 000 records): render p50 per
 * zone from the rollups, and the same render with a write marked on the dataset, which reads the
 * records (what a zone the rollups could not serve cost before 15-minute cells). Returns the
 * rollup p50 for Asia/Kolkata.
 */
async function viewerZones(): Promise<number> {
  const bench = await startBenchServer(ZONE_RECORDS);
  const { rollups } = bench.server.services;
  const hash = JSON.parse(BODY).extensions.persistedQuery.sha256Hash as string;
  const time = async (timezone: string): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${bench.url}/embed/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bench.token}` },
      body: JSON.stringify({ variables: { timezone }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    await response.text();
    if (response.status !== 200) throw new Error(`render answered ${response.status}`);
    return performance.now() - started;
  };
  const p50 = async (timezone: string, samples = ZONE_SAMPLES) => {
    const times: number[] = [];
    await time(timezone);
    for (let index = 0; index < samples; index += 1) times.push(await time(timezone));
    return percentile(
      times.sort((a, b) => a - b),
      50,
    );
  };
  const rows = await bench.store.rollups.count({ workspaceId: bench.viewer.workspace._id });
  const specs = await bench.store.rollupSpecs.count({ workspaceId: bench.viewer.workspace._id });
  console.log(
    `Viewer zones on a UTC page (${format(ZONE_RECORDS)} records, 4 widgets, ${ZONE_SAMPLES} renders from rollups and 3 from records each; ${format(rows)} rollup rows over ${specs} specs, ${format(rows / specs)} per spec)`,
  );
  let kolkata = 0;
  for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham']) {
    const before = { answered: rollups.answered, fellBack: rollups.fellBack };
    const fromRollups = await p50(zone);
    const counted = { answered: rollups.answered - before.answered, fellBack: rollups.fellBack - before.fellBack };
    const mark = {
      _id: newId(),
      workspaceId: bench.viewer.workspace._id,
      dataset: 'calls',
      kind: 'ingest' as const,
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 600_000),
    };
    await bench.store.rollupMarks.insertOne(mark);
    // The records path takes seconds a render here: three samples.
    const fromRecords = await p50(zone, 3);
    await bench.store.rollupMarks.deleteOne({ _id: mark._id });
    if (zone === 'Asia/Kolkata') kolkata = fromRollups;
    console.log(
      `  ${zone.padEnd(18)} from rollups p50 ${format(fromRollups, 1)} ms (widgets from rollups ${counted.answered}, from records ${counted.fellBack})   from records p50 ${format(fromRecords, 1)} ms`,
    );
  }
  await bench.close();
  return kolkata;
}

/**
 * The own overhead as a multiple of the baseline's own time per render (porthole/baseline ratio at 0 records, turned
 * around): the microseconds grow and shrink with the speed of a shared machine, this much less.
 */
const inBaselineRenders = (porthole: number, baseline: number): string => (baseline / porthole - 1).toFixed(2);

const cpu = cpus();
console.log(
  `Porthole bench · ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}) · Node ${process.version} · load average ${loadavg()[0]!.toFixed(2)} at start`,
);
// `npm run bench -- overhead`: only the 0-record pair, for iterating on Porthole's own cost.
if (process.argv[2] === 'overhead') {
  const { porthole, baseline } = await throughput(0);
  console.log(`own overhead per render: ${Math.round((1 / porthole - 1 / baseline) * 1e6)} µs`);
  console.log(`own overhead per render, in baseline renders: ${inBaselineRenders(porthole, baseline)}`);
  process.exit(0);
}
// `npm run bench -- mongo`: only the mongo adapter over the wire peer.
if (process.argv[2] === 'mongo') {
  const mongo = await mongoRoundTrips();
  console.log(`store commands per render: ${mongo.commands}`);
  console.log(`sequential store round trips per render: ${mongo.roundTrips.toFixed(1)}`);
  console.log(`render p50 at ${MONGO_DELAY_MS} ms per round trip: ${mongo.p50AtDelay.toFixed(1)} ms`);
  process.exit(0);
}
// `npm run bench -- zones`: only viewer-zone renders of a rollup-answered page.
if (process.argv[2] === 'zones') {
  console.log(`viewer-zone render p50 (Asia/Kolkata on a UTC page, 100000 records): ${(await viewerZones()).toFixed(1)} ms`);
  process.exit(0);
}
// `npm run bench -- heavy`: only the event-loop delay under heavy renders.
if (process.argv[2] === 'heavy') {
  console.log(`event-loop delay p99 under heavy renders: ${Math.round(await heavyRenders())} ms`);
  process.exit(0);
}
const runs: Throughput[] = [];
for (const records of THROUGHPUT_RECORDS) runs.push(await throughput(records));
await tokenVerification();
await coalescing();
const p50s = await renderLatency();
await refusalTiming();
const heavyDelayP99 = await heavyRenders();
const mongo = await mongoRoundTrips();
const at = (records: number) => runs.find((run) => run.records === records)!;
const ratioAt = (records: number) => (at(records).porthole / at(records).baseline).toFixed(2);
// Porthole's own cost per render: its time per request less the baseline's, where there is no data work to hide it.
const overheadMicros = (1 / at(0).porthole - 1 / at(0).baseline) * 1e6;
console.log(`(bench took ${format((performance.now() - started) / 1000)} s)`);
console.log(`own overhead per render: ${Math.round(overheadMicros)} µs`);
console.log(`own overhead per render, in baseline renders: ${inBaselineRenders(at(0).porthole, at(0).baseline)}`);
console.log(`embed render ratio at 0 records: ${ratioAt(0)}`);
console.log(`embed render ratio at 10000 records: ${ratioAt(10_000)}`);
console.log(`render p50 at 1000 records: ${p50s.get(1_000)!.toFixed(1)} ms`);
console.log(`render p50 at 1000000 records: ${p50s.get(1_000_000)!.toFixed(1)} ms`);
console.log(`embed render ratio: ${ratioAt(10_000)}`);
console.log(`event-loop delay p99 under heavy renders: ${Math.round(heavyDelayP99)} ms`);
console.log(`store commands per render: ${mongo.commands}`);
console.log(`sequential store round trips per render: ${mongo.roundTrips.toFixed(1)}`);
console.log(`render p50 at ${MONGO_DELAY_MS} ms per round trip: ${mongo.p50AtDelay.toFixed(1)} ms`);
process.exit(0);
