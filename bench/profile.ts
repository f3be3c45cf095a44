import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { PAGE_REQUEST_BODY } from './fixture.js';

/**
 * `npm run bench:profile -- [records] [seconds]`: compiles the bench (as `npm run bench` does) and loads Porthole's embed render in the bench
 * target (its own process, under `node --cpu-prof`) and prints where the target's CPU went: the
 * functions with the most self time, and the files and packages they belong to.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const records = Number(process.argv[2] ?? 0);
const seconds = Number(process.argv[3] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'porthole-profile-'));
const child = fork(fileURLToPath(new URL('./target.js', import.meta.url)), [], {
  execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  env: { ...process.env, BENCH_RECORDS: String(records) },
});
const target = await new Promise<{ porthole: string; baseline: string; token: string; readyAtMicros: number }>((resolve) =>
  child.once('message', (message) => resolve(message as never)),
);
// `BENCH_SIDE=baseline` loads the node:http baseline instead, for a side-by-side of where each spends its time.
const side = process.env['BENCH_SIDE'] === 'baseline' ? 'baseline' : 'porthole';
const options = {
  url: side === 'baseline' ? target.baseline : target.porthole,
  method: 'POST' as const,
  headers: { 'content-type': 'application/json', ...(side === 'porthole' && { authorization: `Bearer ${target.token}` }) },
  body: PAGE_REQUEST_BODY,
  connections: 50,
};
const warmup = await autocannon({ ...options, duration: 2 });
const result = await autocannon({ ...options, duration: seconds });
const exited = new Promise((resolve) => child.once('exit', resolve));
child.send('stop');
await exited;

const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))!;
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};
// Only the samples taken once the target was serving: start-up (module loading, seeding) is left out.
const hits = new Map<number, number>();
let time = profile.startTime;
profile.samples.forEach((id, index) => {
  time += profile.timeDeltas[index] ?? 0;
  if (time >= target.readyAtMicros) hits.set(id, (hits.get(id) ?? 0) + 1);
});
for (const node of profile.nodes) node.hitCount = hits.get(node.id) ?? 0;
const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
const where = (url: string): string => {
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + 13).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const server = url.indexOf('/server/src/');
  if (server !== -1) return url.slice(server + 1);
  return url.startsWith('node:') ? url : url ? url.split('/').slice(-2).join('/') : '(native / idle / gc)';
};
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (!hits) continue;
  const place = where(node.callFrame.url);
  const name = `${node.callFrame.functionName || '(anonymous)'}  ${place}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
}
// Inclusive time: a function's own samples and its callees', counted once per sample even when it recurses.
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const inclusive = new Map<string, number>();
const walk = (node: ProfileNode, onStack: Set<string>): number => {
  const name = `${node.callFrame.functionName || '(anonymous)'}  ${where(node.callFrame.url)}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
  const fresh = !onStack.has(name);
  if (fresh) onStack.add(name);
  let hits = node.hitCount ?? 0;
  for (const child of node.children ?? []) hits += walk(byId.get(child)!, onStack);
  if (fresh) {
    onStack.delete(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + hits);
  }
  return hits;
};
walk(profile.nodes[0]!, new Set());
// The sampled time, spread over the requests served while sampling: what each entry costs per request.
const sampledMicros = time - target.readyAtMicros;
const perRequest = (hits: number) => ((hits / total) * sampledMicros) / (warmup.requests.total + result.requests.total);
const share = (hits: number) => `${((hits / total) * 100).toFixed(1).padStart(5)} % ${perRequest(hits).toFixed(0).padStart(5)} µs/req`;
console.log(`${side}: ${records} records, ${result.requests.total} renders in ${seconds} s (${Math.round(result.requests.average)} req/s), profile ${file}`);
console.log('Top self time by function:');
for (const [name, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${share(hits)}  ${name}`);
console.log('Top inclusive time (itself and what it calls) in server/src:');
for (const [name, hits] of [...inclusive]
  .filter(([name]) => name.includes('server/src/'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, 25))
  console.log(`  ${share(hits)}  ${name}`);
console.log('Self time by package or file:');
for (const [place, hits] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(`  ${share(hits)}  ${place}`);
