import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request, type ClientRequest } from 'node:http';
import { connect } from 'node:net';
import { repoRoot } from '../../server/src/paths.js';
import { PAGE_QUERY_HASH } from '../../client/src/generated/embed-documents.js';
import { CALLS, CALLS_PAGE } from '../support/factories.js';

/**
 * Graceful shutdown of the real server process (`server/src/main.ts`, memory store): on
 * SIGTERM it drains (every answer closes its connection, /readyz says 503), stops
 * accepting, finishes the requests in flight, closes the store and exits 0 — and a load
 * running through all of it sees no failed request.
 */

const apiKey = `acme_${randomBytes(18).toString('base64url')}`;
let child: ChildProcess;
let output = '';
let base = '';

function startServerProcess(): Promise<string> {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot(),
    env: {
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      PORTHOLE_STORE: 'memory',
      PORTHOLE_DATA_DIR: '',
      PORTHOLE_BOOTSTRAP: `acme=${apiKey}`,
      PORTHOLE_SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      PORTHOLE_SHUTDOWN_DELAY_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const running = /Porthole is running at (http:\/\/\S+)/.exec(output);
      if (running) resolve(running[1]!.replace('localhost', '127.0.0.1'));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('exit', (code) => reject(new Error(`server exited early (${code}):\n${output}`)));
  });
}

async function call(path: string, body: unknown, headers: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: unknown;
  };
  if (!parsed.data || parsed.errors) throw new Error(`${path} failed: ${JSON.stringify(parsed.errors)}`);
  return parsed.data;
}

const gql = (query: string, variables: Record<string, unknown> = {}) => call('/graphql', { query, variables }, { 'x-api-key': apiKey });

/** The embed client's page render: a production server runs only its trusted documents, sent by hash. */
const PAGE_RENDER = JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: PAGE_QUERY_HASH } } });

/** A render whose headers are sent and acknowledged (100 Continue) but whose body waits: in flight at the server. */
function heldRender(token: string): Promise<{ finish: () => Promise<{ status: number; body: string }> }> {
  const body = PAGE_RENDER;
  return new Promise((resolve, reject) => {
    let outgoing: ClientRequest;
    const answer = new Promise<{ status: number; body: string }>((resolveAnswer, rejectAnswer) => {
      outgoing = request(`${base}/embed/graphql`, {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          expect: '100-continue',
          authorization: `Bearer ${token}`,
        },
      });
      outgoing.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolveAnswer({ status: response.statusCode ?? 0, body: text }));
      });
      outgoing.on('error', (error) => {
        rejectAnswer(error);
        reject(error);
      });
    });
    // Surfaced when finish() is awaited; until then a failure must not count as unhandled.
    answer.catch(() => undefined);
    outgoing!.on('continue', () =>
      resolve({
        finish: () => {
          outgoing.end(body);
          return answer;
        },
      }),
    );
    outgoing!.flushHeaders();
  });
}

interface WorkerReport {
  ok: number;
  okAfterSignal: number;
  failures: string[];
}

/** A client that renders over keep-alive connections until the server tells it, by closing, to go elsewhere. */
async function loadWorker(token: string, signalled: () => boolean): Promise<WorkerReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const report: WorkerReport = { ok: 0, okAfterSignal: 0, failures: [] };
  const body = PAGE_RENDER;
  try {
    for (;;) {
      const sentAfterSignal = signalled();
      const { status, closing } = await new Promise<{
        status: number;
        closing: boolean;
      }>((resolve, reject) => {
        request(
          `${base}/embed/graphql`,
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
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                closing: response.headers.connection === 'close',
              }),
            );
          },
        )
          .on('error', reject)
          .end(body);
      });
      if (status === 200) {
        report.ok += 1;
        if (sentAfterSignal) report.okAfterSignal += 1;
      } else report.failures.push(`status ${status}`);
      if (closing) return report;
    }
  } catch (error) {
    report.failures.push(`${(error as Error).message} (after ${report.ok} successes${signalled() ? ', during shutdown' : ''})`);
    return report;
  } finally {
    agent.destroy();
  }
}

const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

test('SIGTERM during concurrent load: every request succeeds, in-flight ones finish, the process exits 0', async () => {
  base = await startServerProcess();
  await gql('mutation($records: [JSONObject!]!) { ingestRecords(dataset: "calls", records: $records) { inserted } }', { records: CALLS });
  const page = await gql('mutation($input: CreatePageInput!) { createPage(input: $input) { id } }', { input: CALLS_PAGE });
  await gql('mutation { createSigningSecret(name: "shutdown") { plaintext } }');
  const minted = await gql('mutation($input: MintPageEmbedInput!) { mintPageEmbed(input: $input) { token } }', {
    input: {
      pageId: (page['createPage'] as { id: string }).id,
      audience: 'PUBLIC',
    },
  });
  const token = (minted['mintPageEmbed'] as { token: string }).token;

  // Ten renders in flight (headers received, bodies still to come) and ten clients looping.
  const held = await Promise.all(Array.from({ length: 10 }, () => heldRender(token)));
  let signalled = false;
  const workers = Array.from({ length: 10 }, () => loadWorker(token, () => signalled));
  await new Promise((resolve) => setTimeout(resolve, 300));

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  signalled = true;
  child.kill('SIGTERM');

  const reports = await Promise.all(workers);
  // Past the drain delay the server stops accepting; the held requests are still in flight.
  const port = Number(new URL(base).port);
  while (!(await refusesConnections(port))) await new Promise((resolve) => setTimeout(resolve, 50));
  const answers = await Promise.all(held.map((request) => request.finish()));

  expect(reports.flatMap((report) => report.failures)).toEqual([]);
  expect(reports.reduce((sum, report) => sum + report.ok, 0)).toBeGreaterThan(10);
  expect(reports.reduce((sum, report) => sum + report.okAfterSignal, 0)).toBeGreaterThan(0);
  expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
  for (const answer of answers) expect(JSON.parse(answer.body).data.page.widgets[0].data.rows).toEqual([[CALLS.length]]);
  expect(await exited).toBe(0);
  expect(output).toContain('Shut down cleanly');
}, 60_000);
