import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The only reader of `process.env`. Everything else receives a parsed `Config`.
 */

/** The variables mongodb-memory-server reads for a download proxy. */
const PROXY_VARIABLES = [
  'yarn_https-proxy',
  'yarn_proxy',
  'npm_config_https-proxy',
  'npm_config_proxy',
  'https_proxy',
  'http_proxy',
  'HTTPS_PROXY',
  'HTTP_PROXY',
];

const bootstrapEntry = /^([a-z0-9][a-z0-9-]{0,62})=(\S{24,256})$/;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  PORTHOLE_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) origin such as https://embeds.example.com' }).optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  PORTHOLE_STORE: z.enum(['auto', 'memory', 'mongo']).default('auto'),
  // Where the embedded default keeps its data and the generated master key; empty: keep nothing (tests).
  PORTHOLE_DATA_DIR: z.string().default('./.porthole'),
  PORTHOLE_MAX_RECORDS_PER_WORKSPACE: z.coerce.number().int().min(1).default(10_000_000),
  PORTHOLE_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43,}={0,2}$/, 'must be at least 32 random bytes in base64 (try: openssl rand -base64 32)')
    .optional(),
  PORTHOLE_BOOTSTRAP: z
    .string()
    .optional()
    .refine((value) => !value || value.split(',').every((entry) => bootstrapEntry.test(entry.trim())), {
      message: 'must look like "acme=<api key>,globex=<api key>" (slug = key of 24+ characters)',
    }),
  PORTHOLE_SEED_DEMO: z.enum(['true', 'false']).optional(),
  PORTHOLE_SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  PORTHOLE_JWKS_TIMEOUT_MS: z.coerce.number().int().min(10).max(30_000).default(3000),
  PORTHOLE_MAX_EMBED_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  PORTHOLE_MAX_EXPORT_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
  PORTHOLE_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  PORTHOLE_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  PORTHOLE_COMPILED_EMBED_QUERIES: z.enum(['true', 'false']).default('true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Rate limits: operations per window, counted in the store so every instance shares them.
  PORTHOLE_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  PORTHOLE_RATE_EXCHANGE_PER_ADDRESS: z.coerce.number().int().min(1).default(600),
  PORTHOLE_RATE_EXCHANGE_PER_TOKEN: z.coerce.number().int().min(1).default(120),
  PORTHOLE_RATE_RENDER_PER_VIEWER: z.coerce.number().int().min(1).default(600),
  PORTHOLE_RATE_RENDER_PER_TOKEN: z.coerce.number().int().min(1).default(60_000),
  PORTHOLE_RATE_API_PER_KEY: z.coerce.number().int().min(1).default(6000),
  PORTHOLE_RATE_API_PER_WORKSPACE: z.coerce.number().int().min(1).default(30_000),
  PORTHOLE_RATE_RENDER_PER_END_USER: z.coerce.number().int().min(1).default(600),
  PORTHOLE_RATE_AUTH_FAILURES_PER_CREDENTIAL: z.coerce.number().int().min(1).default(10),
  PORTHOLE_RATE_SIGN_IN_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(60),
  PORTHOLE_RATE_SIGN_IN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  PORTHOLE_SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  PORTHOLE_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
});

export interface Config {
  port: number;
  host: string;
  /** Explicit public origin; when absent the server uses the address it listens on. */
  publicUrl: string | undefined;
  store: {
    mode: 'auto' | 'memory' | 'mongo';
    mongoUri: string | undefined;
    /** A download proxy is configured (npm's or *_PROXY), so the embedded default cannot judge reachability by probing the host itself. */
    downloadThroughProxy: boolean;
    /** The folder the embedded default keeps its database (or the memory store's snapshot) and master key in; undefined: nothing is kept. */
    dataDir: string | undefined;
  };
  /** Records one workspace may store; ingest past it answers QUOTA_EXCEEDED. */
  maxRecordsPerWorkspace: number;
  /** Absent only on the embedded default, which then generates an ephemeral key and says so. */
  masterKey: Uint8Array | undefined;
  bootstrap: Array<{ slug: string; apiKey: string }>;
  seedDemo: boolean;
  sessionTtlSeconds: number;
  /** The longest a page embed token may live (`exp − iat`), minted here or self-minted. */
  maxEmbedTtlSeconds: number;
  /** How long a load may wait for a token issuer's JWKS (fetched on a cold or unknown key only). */
  jwksTimeoutMs: number;
  /** The most rows one export file holds (its last line says when it was cut). */
  maxExportRows: number;
  /** How long audit events are kept (a TTL on each event's `expiresAt`). */
  auditRetentionDays: number;
  trustProxy: boolean;
  /** The embed client's trusted documents run compiled by graphql-jit (`compiledExecution`); `false` runs graphql-js's interpreter. */
  compiledEmbedQueries: boolean;
  logLevel: string;
  /** `auto`: human-readable on a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'pretty' | 'json';
  production: boolean;
  /** Fixed-window limits, in operations per `windowSeconds`. */
  rateLimits: RateLimitConfig;
  shutdown: {
    /** How long a SIGTERM'd server keeps accepting (answering `Connection: close`, /readyz 503) before it stops, so a load balancer can take it out of rotation. */
    delayMs: number;
    /** How long in-flight requests get to finish before their connections are closed. */
    graceMs: number;
  };
}

export interface RateLimitConfig {
  windowSeconds: number;
  /** Token exchanges (GraphQL `validateEmbedToken`, REST `/api/validate-embed-token`) per client address. */
  exchangePerAddress: number;
  /** Token exchanges per embed token. */
  exchangePerToken: number;
  /** Embed renders (`page`, `dashboard`) per bearer token and client address: one viewer's share. */
  renderPerViewer: number;
  /** Embed renders per bearer token from all addresses together: the ceiling of a shared (public) link. */
  renderPerToken: number;
  /** Operations on `/graphql` and the REST API per API key (or console session). */
  apiPerKey: number;
  /** The same operations per workspace, whichever of its keys or sessions sends them: a new key does not reset it. */
  apiPerWorkspace: number;
  /** Dashboard renders per end user (workspace and external id), across all their sessions and addresses. */
  renderPerEndUser: number;
  /** Failed authentications per presented credential (a stale snippet's token, a revoked key), from every address together. */
  authFailuresPerCredential: number;
  /** Console sign-ins (API key guesses) per client address. */
  signInPerAddress: number;
  /** Failed authentications (bad API key, bad embed credential) per client address, on every surface together. */
  authFailuresPerAddress: number;
  /** Failed password sign-ins per account (email), from every address together, per `ACCOUNT_WINDOW_SECONDS` (15 minutes). */
  signInFailuresPerAccount: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws `ConfigError` listing one line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data;
  const problems: string[] = [];
  const mode = values.PORTHOLE_STORE;
  if (mode === 'mongo' && !values.MONGODB_URI) problems.push('PORTHOLE_STORE=mongo needs MONGODB_URI.');
  if (values.MONGODB_URI && mode !== 'memory' && !values.PORTHOLE_MASTER_KEY) {
    problems.push('PORTHOLE_MASTER_KEY is required with MONGODB_URI: it encrypts secrets at rest (generate one with: openssl rand -base64 32).');
  }
  const masterKey = values.PORTHOLE_MASTER_KEY ? Buffer.from(values.PORTHOLE_MASTER_KEY, 'base64') : undefined;
  if (masterKey && masterKey.length < 32) problems.push('PORTHOLE_MASTER_KEY must decode to at least 32 bytes.');
  if (problems.length > 0) throw new ConfigError(problems);

  const bootstrap = (values.PORTHOLE_BOOTSTRAP ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [, slug, apiKey] = bootstrapEntry.exec(entry)!;
      return { slug: slug!, apiKey: apiKey! };
    });

  return {
    port: values.PORT,
    host: values.HOST,
    publicUrl: values.PORTHOLE_PUBLIC_URL ? new URL(values.PORTHOLE_PUBLIC_URL).origin : undefined,
    store: {
      mode,
      mongoUri: values.MONGODB_URI,
      downloadThroughProxy: PROXY_VARIABLES.some((name) => Boolean(env[name])),
      dataDir: values.PORTHOLE_DATA_DIR.trim() === '' ? undefined : resolve(values.PORTHOLE_DATA_DIR.trim()),
    },
    maxRecordsPerWorkspace: values.PORTHOLE_MAX_RECORDS_PER_WORKSPACE,
    masterKey: masterKey ? new Uint8Array(masterKey) : undefined,
    bootstrap,
    seedDemo: values.PORTHOLE_SEED_DEMO ? values.PORTHOLE_SEED_DEMO === 'true' : !values.MONGODB_URI,
    sessionTtlSeconds: values.PORTHOLE_SESSION_TTL_SECONDS,
    maxEmbedTtlSeconds: values.PORTHOLE_MAX_EMBED_TTL_DAYS * 86_400,
    jwksTimeoutMs: values.PORTHOLE_JWKS_TIMEOUT_MS,
    maxExportRows: values.PORTHOLE_MAX_EXPORT_ROWS,
    auditRetentionDays: values.PORTHOLE_AUDIT_RETENTION_DAYS,
    trustProxy: values.PORTHOLE_TRUST_PROXY === 'true',
    compiledEmbedQueries: values.PORTHOLE_COMPILED_EMBED_QUERIES === 'true',
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT,
    production: values.NODE_ENV === 'production',
    rateLimits: {
      windowSeconds: values.PORTHOLE_RATE_WINDOW_SECONDS,
      exchangePerAddress: values.PORTHOLE_RATE_EXCHANGE_PER_ADDRESS,
      exchangePerToken: values.PORTHOLE_RATE_EXCHANGE_PER_TOKEN,
      renderPerViewer: values.PORTHOLE_RATE_RENDER_PER_VIEWER,
      renderPerToken: values.PORTHOLE_RATE_RENDER_PER_TOKEN,
      apiPerKey: values.PORTHOLE_RATE_API_PER_KEY,
      apiPerWorkspace: values.PORTHOLE_RATE_API_PER_WORKSPACE,
      renderPerEndUser: values.PORTHOLE_RATE_RENDER_PER_END_USER,
      authFailuresPerCredential: values.PORTHOLE_RATE_AUTH_FAILURES_PER_CREDENTIAL,
      signInPerAddress: values.PORTHOLE_RATE_SIGN_IN_PER_ADDRESS,
      authFailuresPerAddress: values.PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS,
      signInFailuresPerAccount: values.PORTHOLE_RATE_SIGN_IN_FAILURES_PER_ACCOUNT,
    },
    shutdown: { delayMs: values.PORTHOLE_SHUTDOWN_DELAY_MS, graceMs: values.PORTHOLE_SHUTDOWN_GRACE_MS },
  };
}
