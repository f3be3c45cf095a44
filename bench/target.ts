import { scopeOf } from '../server/src/policies/data-access.js';
import { startBaseline } from './baseline.js';
import { startBenchServer } from './fixture.js';

/**
 * The load target, run in its own process so that the load generator does not share its
 * event loop: Porthole and the baseline over one memory store of `BENCH_RECORDS` records.
 * Reports its URLs over IPC, then waits for the parent to end it.
 */
const records = Number(process.env['BENCH_RECORDS'] ?? 10_000);
const bench = await startBenchServer(records);
const minter = (await bench.store.principals.findOne({
  _id: bench.viewer.principal._id,
}))!;
const baseline = await startBaseline(bench.store, bench.server.services.rollups, bench.page, scopeOf(minter, []));
process.send!({
  porthole: `${bench.url}/embed/graphql`,
  baseline: baseline.url,
  health: `${bench.url}/healthz`,
  token: bench.token,
  // On the clock V8's CPU profiles use (µs), so a profile can leave out the start-up.
  readyAtMicros: Number(process.hrtime.bigint() / 1000n),
});
process.on('message', async (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ cpuMicros: user + system });
  }
  if (message === 'counts') {
    const { queriesIssued, rendersRequested } = bench.server.services.renderer;
    process.send!({ queriesIssued, rendersRequested });
  }
  if (message === 'stop') {
    await baseline.close();
    await bench.close();
    process.exit(0);
  }
});
