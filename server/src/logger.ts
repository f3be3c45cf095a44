import { pino, type DestinationStream, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';

/**
 * Structured logs. Credentials never reach them: request logs carry the path without its
 * query string, and these paths are redacted wherever they appear anyway.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  '*.token',
  '*.apiKey',
  '*.embedToken',
  '*.authToken',
  '*.plaintext',
  '*.secret',
  // Credentials wherever a headers object or a parsed query string is logged one level down.
  '*.authorization',
  '*["x-api-key"]',
  '*.cookie',
  '*["set-cookie"]',
  '*.embed_token',
  '*.auth_token',
  'req.query.t',
  'req.query.token',
  'query.t',
  'query.token',
  // body-parser errors carry the raw body, which may hold a token.
  'err.body',
];

/**
 * The process logger. `destination` (tests, the bench) gets JSON lines. Otherwise `format`
 * decides: `pretty` is human-readable (pino-pretty, synchronously, so lines never interleave with
 * the start-up banner), `json` is one JSON object a line, `auto` is pretty on a terminal and JSON
 * elsewhere (a log collector). Redaction applies before either.
 */
export function createLogger(level: string, destination?: DestinationStream, format: 'auto' | 'pretty' | 'json' = 'json'): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'porthole' } };
  if (destination) return pino(options, destination);
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (pretty) {
    const logger = pino(
      options,
      PinoPretty({ colorize: process.stdout.isTTY === true, sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }),
    );
    if (process.stdout.isTTY === true) forTerminal.add(logger);
    return logger;
  }
  return pino(options);
}

/** Loggers that write to a person's terminal, where one line per request would scroll the banner (and its API key) away. */
const forTerminal = new WeakSet<Logger>();

/** The level of the line each answer gets: `debug` on a terminal (shown with LOG_LEVEL=debug), `info` in JSON logs for a collector. */
export const requestLineLevel = (logger: Logger): 'info' | 'debug' => (forTerminal.has(logger) ? 'debug' : 'info');

/**
 * The logger for the one line each answer gets (`startRequestLog`). Its fields are all ours — the
 * request id, method, path without its query string, status and time — so that line skips the
 * redaction walk, a third of the line's cost on the embed endpoint; every other line keeps it.
 */
export const requestLineLogger = (logger: Logger): Logger => logger.child({}, { redact: { paths: [], censor: '[redacted]' } });

/** Strips the query string (where tokens travel) from a URL before it is logged. */
export const pathOnly = (url: string): string => url.split('?')[0]!;
