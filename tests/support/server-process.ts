import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from '../../server/src/paths.js';
import type { GqlResponse } from './server.js';

/**
 * The real server process (`server/src/main.ts` through tsx), as `npm start` runs it once built:
 * for tests of what happens at start, at stop and across a restart.
 */
export interface ServerProcess {
  child: ChildProcess;
  /** Base URL on 127.0.0.1 (from the banner's "Porthole is running at …"). */
  base: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, apiKey?: string | null): Promise<GqlResponse<T>>;
  embedGql<T = Record<string, unknown>>(query: string, token: string): Promise<GqlResponse<T>>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** The environment every spawned server gets (without NODE_OPTIONS, which jest's ESM flag would pass on). */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  return { ...inherited, HOST: '127.0.0.1', NODE_ENV: 'test', LOG_LEVEL: 'warn', PORTHOLE_SEED_DEMO: 'false', ...env };
}

/** Runs the server process until it exits: its exit code and everything it wrote (for start-up failures). */
export function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: repoRoot(), env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<GqlResponse<never>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

/** Starts the server process and waits for its banner. */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot(),
    env: childEnv({ PORT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const running = /Porthole is running at (http:\/\/\S+)/.exec(output);
      if (!running) return;
      const base = running[1]!.replace('localhost', '127.0.0.1');
      child.removeAllListeners('exit');
      resolve({
        child,
        base,
        output: () => output,
        gql: (query, variables = {}, apiKey = null) => post(`${base}/graphql`, { query, variables }, apiKey ? { 'x-api-key': apiKey } : {}) as never,
        embedGql: (query, token) => post(`${base}/embed/graphql`, { query }, { authorization: `Bearer ${token}` }) as never,
        stop: () =>
          new Promise((resolveStop) => {
            child.once('exit', (code) => resolveStop(code));
            child.kill('SIGTERM');
          }),
      });
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('exit', (code) => reject(new Error(`server exited early (${code}):\n${output}`)));
  });
}
