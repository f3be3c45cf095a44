import { pino, type DestinationStream, type Logger } from 'pino';

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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'porthole' } };
  return destination ? pino(options, destination) : pino(options);
}

/** Strips the query string (where tokens travel) from a URL before it is logged. */
export const pathOnly = (url: string): string => url.split('?')[0]!;
