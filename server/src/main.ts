import { randomBytes } from 'node:crypto';
import { startServer } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { demoHostRoutes } from './demo/host-page.js';
import { seedDemo } from './demo/seed.js';
import { createLogger } from './logger.js';
import { openStore } from './store/open-store.js';

/** `npm start`: parse config, open the store, bootstrap, seed the demo, listen, print where to go. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`porthole: ${problem}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  let masterKey = config.masterKey;
  if (!masterKey) {
    masterKey = new Uint8Array(randomBytes(32));
    logger.warn('PORTHOLE_MASTER_KEY is not set: using an ephemeral key for this process (fine for the embedded default; set one for real data).');
  }
  let opened: Awaited<ReturnType<typeof openStore>>;
  try {
    opened = await openStore(config, logger);
  } catch (error) {
    // A database that cannot be used is an operator's problem to fix, not a crash: say what failed, once.
    const cause = (error as Error).cause instanceof Error ? `: ${((error as Error).cause as Error).message.split('\n')[0]}` : '';
    logger.fatal(`Could not open the store: ${(error as Error).message}${cause}`);
    process.exit(1);
  }
  const server = await startServer({ config, store: opened.store, logger, masterKey });

  const demo = config.seedDemo ? await seedDemo(server.services, new Date()) : null;
  if (demo) {
    server.routes.use(demoHostRoutes(demo, server.url));
  }

  const lines = [
    '',
    `Porthole is running at ${server.url}`,
    `  store:    ${opened.description}`,
    `  GraphQL:  ${server.url}/graphql   (send X-API-KEY; open it in a browser for the built-in GraphiQL)`,
    `  console:  ${server.url}/console`,
  ];
  if (!opened.durable) lines.push('  WARNING:  this store is not durable; data will NOT survive a restart.');
  if (demo) {
    lines.push(
      '',
      'Demo workspace "demo" (this key is shown once):',
      `  API key:        ${demo.apiKey}`,
      `  page embed:     ${demo.pageEmbedUrl}`,
      `  user dashboard: ${server.url}/dashboard.html?token=${demo.users[0]!.embedToken}`,
      `  host page:      ${server.url}/demo/host.html`,
      '',
      'Try:',
      `  curl -s ${server.url}/graphql -H 'content-type: application/json' -H 'x-api-key: ${demo.apiKey}' \\`,
      `    -d '{"query":"{ viewer { name role workspace { slug } } pages { id title } }"}'`,
      `  curl -s ${server.url}/api/v1/users -H 'content-type: application/json' -H 'x-api-key: ${demo.apiKey}' \\`,
      `    -d '{"external_id":"cust-new","email":"new@example.com"}'`,
    );
  }
  // The banner is for the person at the terminal, so it goes to stdout as text, not into the log stream.
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, delayMs: config.shutdown.delayMs, graceMs: config.shutdown.graceMs }, 'Shutting down: draining, then finishing in-flight requests');
    // A last resort for a close that never settles (a store that will not close, say): the
    // grace period has already cut every connection by then.
    const deadline = config.shutdown.delayMs + config.shutdown.graceMs + 5000;
    setTimeout(() => {
      logger.error({ deadlineMs: deadline }, 'Shutdown did not finish in time; exiting anyway');
      process.exit(1);
    }, deadline).unref();
    let code = 0;
    try {
      await server.close();
      await opened.store.close();
      await opened.stop();
      logger.info('Shut down cleanly');
    } catch (error) {
      code = 1;
      logger.error({ err: error }, 'Shutdown failed');
    } finally {
      process.exit(code);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

await main();
