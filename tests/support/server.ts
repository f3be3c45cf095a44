import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startServer, type RunningServer } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import type { Clock } from '../../server/src/domain/viewer.js';
import { createLogger } from '../../server/src/logger.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import type { Store } from '../../server/src/store/port.js';

export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  /** The raw body text, for byte-for-byte comparisons. */
  text: string;
  body: { data?: T | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

export interface TestServer {
  /** The server's public URL (`http://localhost:<port>`). */
  url: string;
  /** The same server on 127.0.0.1: a different origin for browser tests. */
  ipUrl: string;
  /** Admin API key of workspace `acme`. */
  apiKey: string;
  /** Admin API key of workspace `globex`. */
  otherApiKey: string;
  store: Store;
  server: RunningServer;
  /** Every log line the server wrote, for tests that check what reaches the log. */
  logs: string[];
  /** POST /graphql with an API key (the acme admin's unless `apiKey` is given; `null` sends none). */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { apiKey?: string | null; headers?: Record<string, string> },
  ): Promise<GqlResponse<T>>;
  /** POST /embed/graphql with a bearer token (`null` sends no Authorization header). */
  embedGql<T = Record<string, unknown>>(query: string, token: string | null, headers?: Record<string, string>): Promise<GqlResponse<T>>;
  /** A REST call with JSON in and out. */
  rest(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  store?: Store;
  clock?: Clock;
  env?: Record<string, string>;
  /** For two servers over one store: the same master key opens the same signing secrets. */
  masterKey?: Uint8Array;
}

async function post(url: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  let parsed: GqlResponse['body'] = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // Non-JSON answers (rare) are still returned as text.
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** Starts a real Porthole HTTP server on a free port over the memory store (or the given one). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const apiKey = `acme_${randomBytes(18).toString('base64url')}`;
  const otherApiKey = `globex_${randomBytes(18).toString('base64url')}`;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PORTHOLE_STORE: 'memory',
    // Throwaway: nothing is kept (no snapshot, no master key file), and no test writes ./.porthole.
    PORTHOLE_DATA_DIR: '',
    PORTHOLE_BOOTSTRAP: `acme=${apiKey},globex=${otherApiKey}`,
    PORTHOLE_SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const store = options.store ?? new MemoryStore();
  const server = await startServer({
    config,
    store,
    logger: createLogger(config.logLevel, sink),
    masterKey: options.masterKey ?? new Uint8Array(randomBytes(32)),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const port = new URL(server.url).port;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: server.url,
    ipUrl: base,
    apiKey,
    otherApiKey,
    store,
    server,
    logs,
    gql: (query, variables = {}, requestOptions = {}) => {
      const key = requestOptions.apiKey === undefined ? apiKey : requestOptions.apiKey;
      return post(`${base}/graphql`, { query, variables }, { ...(key ? { 'x-api-key': key } : {}), ...requestOptions.headers }) as never;
    },
    embedGql: (query, token, headers = {}) =>
      post(`${base}/embed/graphql`, { query }, { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), ...headers }) as never,
    rest: async (method, path, body, headers = {}) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
    },
    async close() {
      await server.close();
      await store.close();
    },
  };
}
