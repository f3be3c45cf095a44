import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startServer, type RunningServer } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import type { Viewer } from '../server/src/domain/viewer.js';
import type { PageDoc, RecordDoc } from '../server/src/domain/types.js';
import { newId } from '../server/src/crypto/random.js';
import { TRUSTED_EMBED_DOCUMENTS } from '../server/src/graphql/generated/embed-documents.js';
import { createLogger } from '../server/src/logger.js';
import { MemoryStore } from '../server/src/store/memory/memory-store.js';
import type { Store } from '../server/src/store/port.js';

/** The bench's page: four widgets over one dataset, as a real dashboard would have. */
export const BENCH_WIDGETS = [
  {
    title: 'Calls',
    kind: 'NUMBER',
    query: { dataset: 'calls', metric: { fn: 'COUNT' } },
  },
  {
    title: 'Minutes',
    kind: 'NUMBER',
    query: { dataset: 'calls', metric: { fn: 'SUM', field: 'minutes' } },
  },
  {
    title: 'By channel',
    kind: 'BAR',
    query: { dataset: 'calls', groupBy: 'channel', metric: { fn: 'COUNT' } },
  },
  {
    title: 'Minutes per day',
    kind: 'LINE',
    query: {
      dataset: 'calls',
      bucket: 'DAY',
      metric: { fn: 'SUM', field: 'minutes' },
    },
  },
] as const;

/**
 * A page render as the embed client sends it: its trusted page document by hash (the only kind a
 * production embed endpoint runs; any document sent as text is refused there with 400).
 */
export const PAGE_REQUEST_BODY = JSON.stringify({
  extensions: {
    persistedQuery: { version: 1, sha256Hash: Object.keys(TRUSTED_EMBED_DOCUMENTS).find((hash) => TRUSTED_EMBED_DOCUMENTS[hash]!.includes('{page('))! },
  },
});

const CHANNELS = ['phone', 'chat', 'email', 'video'];
const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 9, 1);

/** Deterministic records: 50 owners, 4 channels, 1–60 minutes, spread over 30 days. */
export function benchRecords(count: number, seed = 1): Array<Record<string, unknown>> {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return Array.from({ length: count }, () => ({
    owner: `cust-${Math.floor(next() * 50)}`,
    at: new Date(START + Math.floor(next() * 30 * DAY_MS)).toISOString(),
    channel: CHANNELS[Math.floor(next() * CHANNELS.length)],
    minutes: 1 + Math.floor(next() * 60),
  }));
}

/**
 * The same kind of records as stored documents, made directly: a million in a second or two,
 * where going through ingest's validation would take far longer than the render being measured.
 */
export function benchRecordDocs(workspaceId: string, count: number, seed = 1): RecordDoc[] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return Array.from({ length: count }, () => ({
    _id: newId(),
    workspaceId,
    dataset: 'calls',
    owner: `cust-${Math.floor(next() * 50)}`,
    at: new Date(START + Math.floor(next() * 30 * DAY_MS)),
    data: { channel: CHANNELS[Math.floor(next() * CHANNELS.length)], minutes: 1 + Math.floor(next() * 60) },
  }));
}

/** Records above this many are stored directly (`benchRecordDocs`) rather than ingested. */
const INGEST_AT_MOST = 20_000;

/** Adds another page with the same widgets and mints a public embed for it. */
export async function addPublicPage(bench: BenchServer, freshnessSeconds: number): Promise<{ page: PageDoc; token: string }> {
  const page = await bench.server.services.pages.create(bench.viewer, {
    title: `Bench (freshness ${freshnessSeconds} s)`,
    freshnessSeconds,
    widgets: BENCH_WIDGETS.map((widget) => ({
      ...widget,
      query: { ...widget.query },
    })) as never,
  });
  const minted = await bench.server.services.embeds.mint(bench.viewer, {
    pageId: page._id,
    audience: 'public',
    ttlSeconds: 86_400,
  });
  return { page, token: minted.token };
}

export interface BenchServer {
  server: RunningServer;
  store: Store;
  viewer: Viewer;
  page: PageDoc;
  /** A public page embed token for the page. */
  token: string;
  url: string;
  close(): Promise<void>;
}

/**
 * A Porthole server on the memory store, seeded through the domain services with `records`
 * records and the four-widget page, with a public embed minted for it. Logs go to a sink at
 * `info`, so that the request log's cost is paid as in production, without flooding the output.
 */
export async function startBenchServer(records: number, options: { env?: Record<string, string>; store?: Store } = {}): Promise<BenchServer> {
  const apiKey = `bench_${randomBytes(18).toString('base64url')}`;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PORTHOLE_STORE: 'memory',
    PORTHOLE_BOOTSTRAP: `bench=${apiKey}`,
    PORTHOLE_SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    // One public embed token carries the whole load from one address here, so its render
    // limits are set out of reach; the limiter still counts every render, so its cost is
    // measured. The timing section sends hundreds of refused credentials from one address.
    PORTHOLE_RATE_RENDER_PER_VIEWER: '1000000000',
    PORTHOLE_RATE_RENDER_PER_TOKEN: '1000000000',
    PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '1000000000',
    // …and each refused credential hundreds of times (the per-credential failure limit), and
    // dashboards of one end user, and API calls of one workspace, likewise out of reach.
    PORTHOLE_RATE_AUTH_FAILURES_PER_CREDENTIAL: '1000000000',
    PORTHOLE_RATE_RENDER_PER_END_USER: '1000000000',
    PORTHOLE_RATE_API_PER_WORKSPACE: '1000000000',
    ...options.env,
  });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const store = options.store ?? new MemoryStore();
  const server = await startServer({
    config,
    store,
    logger: createLogger(config.logLevel, sink),
    masterKey: new Uint8Array(randomBytes(32)),
  });
  const viewer = (await server.services.principals.authenticate(apiKey))!;
  if (records <= INGEST_AT_MOST) {
    const all = benchRecords(records);
    for (let index = 0; index < all.length; index += 5000) await server.services.records.ingest(viewer, 'calls', all.slice(index, index + 5000));
  } else {
    const docs = benchRecordDocs(viewer.workspace._id, records);
    for (let index = 0; index < docs.length; index += 50_000) await store.records.insertNew(docs.slice(index, index + 50_000));
  }
  const page = await server.services.pages.create(viewer, {
    title: 'Bench',
    description: 'Four widgets',
    freshnessSeconds: 0,
    widgets: BENCH_WIDGETS.map((widget) => ({
      ...widget,
      query: { ...widget.query },
    })) as never,
  });
  // The page's rollups are built from the records in the background; renders are measured once they are ready.
  await server.services.rollups.idle();
  await server.services.secrets.create(viewer, 'bench');
  const minted = await server.services.embeds.mint(viewer, {
    pageId: page._id,
    audience: 'public',
    ttlSeconds: 86_400,
  });
  return {
    server,
    store,
    viewer,
    page,
    token: minted.token,
    url: server.url.replace('localhost', '127.0.0.1'),
    async close() {
      await server.close();
      await store.close();
    },
  };
}
