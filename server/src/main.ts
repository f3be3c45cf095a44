import { randomBytes } from 'node:crypto';
import { startServer } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { loadOrCreateMasterKey, MasterKeyFileError } from './crypto/master-key-file.js';
import { demoHostRoutes } from './demo/host-page.js';
import { seedDemo } from './demo/seed.js';
import { createLogger } from './logger.js';
import { assertPortFree, prepareDataDir, StartCheckError } from './start-checks.js';
import { openStore } from './store/open-store.js';

/** A start-up failure the operator must fix: one line on stderr, exit code 1, no stack trace. */
function refuseToStart(message: string): never {
  process.stderr.write(`porthole: ${message}\n`);
  process.exit(1);
}

/** The first line of an error's message (and of its cause's), never a stack. */
const firstLine = (error: unknown): string => {
  const message = (error as Error).message?.split('\n')[0] ?? String(error);
  const cause = (error as Error).cause instanceof Error ? `: ${((error as Error).cause as Error).message.split('\n')[0]}` : '';
  return `${message}${cause}`;
};

/**
 * `npm start`: parse config, check the data folder and the port, open the store, bootstrap, seed
 * the demo, listen, print where to go. Everything that can be checked before the store opens is.
 */
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
  const { dataDir } = config.store;
  let masterKey = config.masterKey;
  let masterKeyNote: string | undefined;
  try {
    if (dataDir) await prepareDataDir(dataDir);
    await assertPortFree(config.port, config.host);
    if (!masterKey && dataDir) {
      const kept = await loadOrCreateMasterKey(dataDir);
      masterKey = kept.key;
      masterKeyNote = `${kept.file}${kept.created ? ' (new)' : ''}; back it up with the data, or set PORTHOLE_MASTER_KEY`;
    }
  } catch (error) {
    if (error instanceof StartCheckError || error instanceof MasterKeyFileError) refuseToStart(error.message);
    throw error;
  }
  if (!masterKey) {
    masterKey = new Uint8Array(randomBytes(32));
    logger.warn(
      'PORTHOLE_MASTER_KEY is not set and there is no data folder: using an ephemeral key for this process (sealed secrets will not open after a restart).',
    );
  }
  let opened: Awaited<ReturnType<typeof openStore>>;
  try {
    opened = await openStore(config, logger);
  } catch (error) {
    // A database that cannot be used is an operator's problem to fix, not a crash: say what failed, once.
    const where = config.store.mongoUri ? ' named by MONGODB_URI (check the connection string, or leave it unset for the embedded store)' : '';
    refuseToStart(`could not open the store${where}: ${firstLine(error)}`);
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
  if (masterKeyNote) lines.push(`  master key: ${masterKeyNote}`);
  if (!opened.durable) lines.push('  WARNING:  this store is not durable; data will NOT survive a restart.');
  if (opened.crashLoss) lines.push(`  note:     data is written on every change and at stop; ${opened.crashLoss}.`);
  if (demo) {
    lines.push(
      '',
      'Demo workspace "demo" (this key is shown once; to see your keys or make another, open the console: Settings → API keys):',
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
  if (!demo && config.seedDemo) {
    lines.push(
      '',
      `The demo workspace "demo" was made on an earlier start (its API key was shown then): sign in at ${server.url}/console, Settings → API keys.`,
    );
  } else if (demo) {
    lines.push('', `Lost the key? Sign in at ${server.url}/console with it once, then Settings → API keys makes more.`);
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
