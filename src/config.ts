import { z } from 'zod';

/**
 * Every environment variable Base reads, validated once at start-up.
 * The README's table is the human copy of this file.
 */
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** 25 MiB: the largest uploaded file unless FILE_MAX_BYTES says otherwise. */
export const FILE_MAX_BYTES_DEFAULT = 25 * 1024 * 1024;

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A size as express's body parser writes it (`100kb`, `1mb`, `2048`), checked here rather than on the first request. */
const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)? *(b|kb|mb|gb)?$/i, 'a size such as 512kb, 1mb or 1048576 (bytes)')
  .transform((v) => {
    const [, number, unit = 'b'] = /^([\d.]+) *([a-z]*)$/i.exec(v)!;
    return Math.floor(Number(number) * BYTE_UNITS[unit.toLowerCase() || 'b']);
  })
  .pipe(z.number().int().min(1, 'at least 1 byte'));

/** What migrating needs: the database and the logs. Serving needs all of envSchema. */
const databaseEnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().optional(),
  // At most 47 characters: the job queue's schema beside it adds `_graphile_worker` (migrations/support/job-queue.ts).
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,46}$/, 'a lower-case PostgreSQL identifier of at most 47 characters')
    .default('public'),
  DATABASE_RUNTIME_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case PostgreSQL identifier')
    .default('kisum_base_runtime'),
  DATABASE_JOBS_URL: z.string().url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30000),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1).max(600000).default(5000),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).optional(),
  EMBEDDED_PG_DIR: z.string().default('.data/postgres'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  HISTORY_RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).optional(),
});

const envSchema = databaseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3099),
  HOST: z.string().default('0.0.0.0'),
  // auto: start-up migrates (as the DATABASE_URL user); off: it only checks that nothing is pending.
  DATABASE_MIGRATE: z.enum(['auto', 'off']).default('auto'),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_URL: z.string().url().optional(),
  AUTH_ISSUER: z.string().min(1).default('kisum-auth'),
  AUTH_AUDIENCE: z.string().min(1).default('kisum-base'),
  AUTH_TIMEOUT_MS: z.coerce.number().int().min(1).max(60000).default(2000),
  AUTH_ACCESS_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300000).default(10000),
  AUTH_JWKS_MAX_AGE_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  AUTH_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  GRAPHIQL: bool.optional(),
  GRAPHQL_INTROSPECTION: bool.optional(),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'a comma-separated list of origins such as https://app.example.com, or *'))),
  BODY_LIMIT: byteSize.default(1024 * 1024),
  // An uploaded file over it is refused (413) and nothing of it is kept.
  FILE_MAX_BYTES: z.coerce.number().int().min(1).max(2 ** 40).default(FILE_MAX_BYTES_DEFAULT),
  // A REST upload holds a database connection while its body arrives: at most this many at once per
  // instance (default: half the pool), and one that sends nothing for FILE_UPLOAD_IDLE_MS is dropped.
  FILE_UPLOADS_MAX_CONCURRENT: z.coerce.number().int().min(1).max(1000).optional(),
  FILE_UPLOAD_IDLE_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(10),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(30),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(50).max(100000).default(2000),
  GRAPHQL_MAX_DOCUMENT_LENGTH: z.coerce.number().int().min(100).max(10_000_000).default(50000),
  GRAPHQL_MAX_ENTITIES: z.coerce.number().int().min(1).max(10000).default(500),
  // 5000: the heaviest screens fit (100 artists with their agency ≈ 1300, 20 agencies × 50 artists
  // ≈ 4100, 20 artists × 20 history entries ≈ 1700); a 100 × 100 nested list (20201) is refused, and
  // the heaviest allowed query keeps the event loop free enough for /health (test/graphql/cost.test.ts).
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).max(10_000_000).default(5000),
  // A REST total counts at most this many rows, then says it is an estimate; a page number may skip
  // at most LIST_MAX_PAGE_DEPTH rows (deeper pages follow the cursor, which costs what page 1 costs).
  LIST_COUNT_LIMIT: z.coerce.number().int().min(1).max(100_000_000).default(10_000),
  LIST_MAX_PAGE_DEPTH: z.coerce.number().int().min(0).max(100_000_000).default(10_000),
  // A list answered as CSV (every matching row) stops at this many rows; an import at this many rows.
  EXPORT_MAX_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10000),
  JOBS: bool.default(true),
  JOBS_POLL_MS: z.coerce.number().int().min(10).max(3600000).default(1000),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  NOTIFICATION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  NOTIFICATION_READ_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  CALENDAR_FEED_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  CALENDAR_FEED_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(60),
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .regex(/^https?:\/\/[^/]+(\/[^?#]*)?$/, 'an http(s) URL without query or fragment')
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  JOBS_FAILED_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // GraphQL subscriptions (WebSocket on /graphql): sockets per instance, live subscriptions per socket,
  // and changes waiting for one subscriber before it is dropped as a slow consumer (closed 4429).
  SUBSCRIPTIONS_MAX_CONNECTIONS: z.coerce.number().int().min(0).max(100_000).default(1000),
  SUBSCRIPTIONS_MAX_PER_CONNECTION: z.coerce.number().int().min(1).max(1000).default(20),
  SUBSCRIPTIONS_MAX_QUEUE: z.coerce.number().int().min(1).max(10_000).default(100),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  AI_API_URL: z.string().url().regex(/^https?:\/\//, 'an http(s) URL').optional(),
  AI_API_KEY: z.string().min(1).optional(),
  AI_MODEL: z.string().min(1).max(200).default('gpt-4o-mini'),
  AI_TIMEOUT_MS: z.coerce.number().int().min(1).max(300000).default(30000),
  AI_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(100),
  AI_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(31 * 24 * 3600).default(3600),
  XERO_CLIENT_ID: z.string().min(1).optional(),
  XERO_CLIENT_SECRET: z.string().min(1).optional(),
  XERO_IDENTITY_URL: z.string().url().default('https://identity.xero.com'),
  XERO_API_URL: z.string().url().default('https://api.xero.com'),
  XERO_TOKEN_KEYS: z.string().optional(),
  XERO_TIMEOUT_MS: z.coerce.number().int().min(1).max(300000).default(15000),
  XERO_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3600000).default(10000),
  XERO_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86400000).default(3600000),
  XERO_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  XERO_MINUTE_LIMIT: z.coerce.number().int().min(1).max(100000).default(60),
  XERO_DAY_LIMIT: z.coerce.number().int().min(1).max(10000000).default(5000),
  XERO_CONCURRENT_LIMIT: z.coerce.number().int().min(1).max(100).default(5),
  WEBHOOKS_ALLOW_PRIVATE: bool.optional(),
  WEBHOOKS_SECRET_KEYS: z.string().optional(),
  WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(1).max(60000).default(10000),
  WEBHOOKS_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3600000).default(5000),
  WEBHOOKS_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86400000).default(3600000),
  WEBHOOKS_RETRY_FOR_HOURS: z.coerce.number().int().min(1).max(168).default(24),
  WEBHOOKS_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(10000).default(50),
  WEBHOOKS_DELIVERY_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

/** What migrating needs (`src/cli/migrate.ts`): no Auth, no HTTP. */
export interface DatabaseConfig {
  env: string;
  production: boolean;
  logLevel: string;
  database: {
    /** null: the embedded PostgreSQL of the dev default. */
    url: string | null;
    schema: string;
    /** The role the service's queries run as, under row-level security; the URL's user migrates. */
    runtimeRole: string;
    /** The job queue's login for work across companies (docs/production.md); null: the URL's user. */
    jobsUrl: string | null;
    poolMax: number;
    /** Longest a single SQL statement may run (0: no limit). */
    statementTimeoutMs: number;
    /** Longest wait for a pool connection (a new one included). */
    connectTimeoutMs: number;
    /** Client-side bound on one query, for a server that does not answer at all (0: none). */
    queryTimeoutMs: number;
    embeddedDir: string;
    embeddedPort: number;
    /** Months of history (domain events) kept, whole UTC months; null keeps everything. Stored when migrating. */
    historyRetentionMonths: number | null;
  };
}

export interface Config extends DatabaseConfig {
  port: number;
  host: string;
  database: DatabaseConfig['database'] & {
    /** auto: migrate at start-up; off: refuse to start while a migration is pending. */
    migrate: 'auto' | 'off';
  };
  auth: {
    /** null: the embedded dev Auth (never in production). */
    jwksUrl: string | null;
    url: string | null;
    issuer: string;
    audience: string;
    timeoutMs: number;
    cacheTtlMs: number;
    /** How long a fetched JWKS is used before it is fetched again (0: every verification fetches it). */
    jwksMaxAgeMs: number;
    /** Least time between two JWKS fetches caused by an unknown `kid`. */
    jwksCooldownMs: number;
  };
  graphiql: boolean;
  /** `__schema`/`__type` and "Did you mean" suggestions; `_service { sdl }` is served either way. */
  graphqlIntrospection: boolean;
  /** Browser origins allowed to call Base directly (CORS); empty: none. */
  corsOrigins: string[];
  /** Largest JSON body, in bytes. */
  bodyLimit: number;
  /** Largest uploaded file, in bytes (FILE_MAX_BYTES). */
  fileMaxBytes: number;
  /** REST uploads in progress at once on this instance, and how long one may send nothing. */
  fileUploads: { maxConcurrent: number; idleMs: number };
  /** Limits on one GraphQL operation, checked before it runs. */
  graphqlLimits: { maxDepth: number; maxAliases: number; maxTokens: number; maxDocumentLength: number; maxEntities: number; maxCost: number };
  /** What a list page may cost: its count's bound and the deepest offset a page number reaches. */
  listing: { countLimit: number; maxPageDepth: number };
  /** CSV out and in: the most rows a list answers as CSV (EXPORT_MAX_ROWS) and an import takes (IMPORT_MAX_ROWS). */
  csv: { exportMaxRows: number; importMaxRows: number };
  shutdownTimeoutMs: number;
  /** The background jobs of this instance (src/jobs); jobs that failed for good are kept `failedRetentionDays`. */
  jobs: { enabled: boolean; pollMs: number; concurrency: number; failedRetentionDays: number };
  /** Notifications older than this many days (read ones: `readMaxAgeDays` after being read) are removed by a periodic job. */
  notifications: { maxAgeDays: number; readMaxAgeDays: number };
  /**
   * Calendar feeds: how many days a feed's URL answers, and how many reads of one feed an hour
   * (shared by every instance).
   */
  calendarFeeds: { days: number; readsPerHour: number };
  /** Where Base is reached from outside, for the absolute links it hands out (a calendar feed's URL); no trailing slash. */
  baseUrl: string;
  /** GraphQL subscriptions over WebSocket (src/graphql/subscriptions-server.ts): the bounds of one instance. */
  subscriptions: { maxConnections: number; maxPerConnection: number; maxQueue: number };
  /** `GET /metrics`: a separate listener without a token, and/or the public port with a bearer. */
  metrics: { port: number | null; token: string | null };
  /** The OpenAI-compatible chat-completions provider of the AI helpers; `url` null: not configured (503). */
  ai: {
    url: string | null;
    apiKey: string | null;
    model: string;
    timeoutMs: number;
    /** Most AI calls one company makes per window (shared by every instance, counted in PostgreSQL). */
    callsPerWindow: number;
    windowSeconds: number;
  };
  /** The Xero accounting sync (src/modules/xero); null without a client id. */
  xero: XeroConfig | null;
  /** Outbound webhooks (src/modules/webhooks). */
  webhooks: WebhooksConfig;
}

export interface WebhooksConfig {
  /** Endpoints may be (and resolve to) loopback, private, link-local or other internal addresses; false in production unless set. */
  allowPrivate: boolean;
  /** Endpoints must be https (production). */
  requireHttps: boolean;
  /** Seal the signing secrets at rest; the first seals, all open. null (production without keys): webhooks cannot be made (503). */
  secretKeys: EncryptionKey[] | null;
  timeoutMs: number;
  /** A failed delivery waits `baseMs · 2^(n-1)` (capped, jittered), and is retried for `retryForMs` after it was made. */
  retry: { baseMs: number; maxMs: number; retryForMs: number };
  /** Failed attempts in a row (any delivery) after which an endpoint is disabled and its creator told. */
  disableAfterFailures: number;
  /** Deliveries older than this many days are removed. */
  deliveryMaxAgeDays: number;
}

/**
 * The development key that seals webhook secrets when WEBHOOKS_SECRET_KEYS is unset (never in
 * production, where webhooks then answer 503): a fixed value, so secrets open across restarts.
 */
const DEV_WEBHOOK_KEY: EncryptionKey = { id: 'dev', key: Buffer.alloc(32, 'kisum-dev-webhooks') };

export interface XeroConfig {
  clientId: string;
  clientSecret: string;
  identityUrl: string;
  apiUrl: string;
  /** Encrypt the stored tokens (the first encrypts, all decrypt); null (never in production): connecting is refused. */
  tokenKeys: EncryptionKey[] | null;
  timeoutMs: number;
  /** Failed sends wait `baseMs · 2^(n-1)` (capped, jittered); after `maxAttempts` the item stays failed. */
  retry: { baseMs: number; maxMs: number; maxAttempts: number };
  /** Xero's limits per tenant, across every instance. */
  limits: { perMinute: number; perDay: number; concurrent: number };
}

export class ConfigError extends Error {}

/** A program's configuration, or exit 78 (EX_CONFIG) with the message naming what is wrong: no stack trace. */
export function configOrExit<T>(load: () => T, program: string): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${program}: ${err.message}\n`);
    process.exit(78);
  }
}

/** A key for data encrypted at rest (AES-256-GCM), named so a stored value says which key sealed it. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/**
 * `k2:<base64>,k1:<base64>`: keys with ids, newest first. The first encrypts, every one decrypts, so a
 * key is rotated by putting a new one in front and dropping the old one once nothing uses it.
 */
export function parseEncryptionKeys(value: string, name: string): EncryptionKey[] {
  const keys = value.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]+={0,2})$/.exec(entry);
    const key = match ? Buffer.from(match[2], 'base64') : null;
    if (!match || key!.length !== 32) {
      throw new ConfigError(`Invalid configuration:\n  ${name}: each entry is <id>:<base64 of 32 random bytes> (e.g. k1:$(openssl rand -base64 32))`);
    }
    return { id: match[1], key: key! };
  });
  if (!keys.length) throw new ConfigError(`Invalid configuration:\n  ${name}: at least one <id>:<base64 key>`);
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new ConfigError(`Invalid configuration:\n  ${name}: key ids must differ`);
  return keys;
}

function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    // The variable's name alone: an index into a list (CORS_ORIGINS.0) tells an operator nothing more.
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

function databaseConfig(e: z.output<typeof databaseEnvSchema>): DatabaseConfig {
  return {
    env: e.NODE_ENV,
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    database: {
      url: e.DATABASE_URL ?? null,
      schema: e.DATABASE_SCHEMA,
      runtimeRole: e.DATABASE_RUNTIME_ROLE,
      jobsUrl: e.DATABASE_JOBS_URL ?? null,
      poolMax: e.DATABASE_POOL_MAX,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      // A little over the statement timeout, so the server's own verdict normally arrives first.
      queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS ?? (e.DATABASE_STATEMENT_TIMEOUT_MS ? e.DATABASE_STATEMENT_TIMEOUT_MS + 5000 : 0),
      embeddedDir: e.EMBEDDED_PG_DIR,
      embeddedPort: e.EMBEDDED_PG_PORT,
      historyRetentionMonths: e.HISTORY_RETENTION_MONTHS ?? null,
    },
  };
}

/** The settings migrating reads (a release step needs no Auth); production still needs DATABASE_URL. */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const config = databaseConfig(parseEnv(databaseEnvSchema, env));
  if (config.production && !config.database.url) {
    throw new ConfigError('NODE_ENV=production needs:\n  DATABASE_URL (the embedded PostgreSQL is dev-only)');
  }
  return config;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(envSchema, env);
  const production = e.NODE_ENV === 'production';

  if (Boolean(e.AUTH_JWKS_URL) !== Boolean(e.AUTH_URL)) {
    throw new ConfigError(
      'AUTH_JWKS_URL and AUTH_URL go together: set both to use a real Auth, or neither for the dev Auth.',
    );
  }
  const webhookKeys = e.WEBHOOKS_SECRET_KEYS ? parseEncryptionKeys(e.WEBHOOKS_SECRET_KEYS, 'WEBHOOKS_SECRET_KEYS') : null;
  const tokenKeys = e.XERO_TOKEN_KEYS ? parseEncryptionKeys(e.XERO_TOKEN_KEYS, 'XERO_TOKEN_KEYS') : null;
  if (Boolean(e.XERO_CLIENT_ID) !== Boolean(e.XERO_CLIENT_SECRET)) {
    throw new ConfigError('XERO_CLIENT_ID and XERO_CLIENT_SECRET go together: set both to sync with Xero, or neither.');
  }
  if (production) {
    const missing = [
      e.XERO_CLIENT_ID && !tokenKeys && 'XERO_TOKEN_KEYS (Xero tokens are stored encrypted: id:base64 of 32 bytes, comma-separated, newest first)',
      !e.DATABASE_URL && 'DATABASE_URL (the embedded PostgreSQL is dev-only)',
      !e.AUTH_JWKS_URL && 'AUTH_JWKS_URL and AUTH_URL (the embedded dev Auth is dev-only)',
      // The key is a bearer credential: it never travels in clear text outside development.
      e.AI_API_URL?.startsWith('http://') && 'AI_API_URL over https (it carries AI_API_KEY)',
    ].filter(Boolean);
    if (missing.length) {
      throw new ConfigError(`NODE_ENV=production needs:\n  ${missing.join('\n  ')}`);
    }
  }

  const base = databaseConfig(e);
  return {
    ...base,
    port: e.PORT,
    host: e.HOST,
    database: { ...base.database, migrate: e.DATABASE_MIGRATE },
    auth: {
      jwksUrl: e.AUTH_JWKS_URL ?? null,
      url: e.AUTH_URL ?? null,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      timeoutMs: e.AUTH_TIMEOUT_MS,
      cacheTtlMs: e.AUTH_ACCESS_CACHE_TTL_MS,
      jwksMaxAgeMs: e.AUTH_JWKS_MAX_AGE_MS,
      jwksCooldownMs: e.AUTH_JWKS_COOLDOWN_MS,
    },
    graphiql: e.GRAPHIQL ?? !production,
    // Off in production: the router reads the schema through `_service`, nobody else needs to.
    graphqlIntrospection: e.GRAPHQL_INTROSPECTION ?? !production,
    corsOrigins: e.CORS_ORIGINS,
    bodyLimit: e.BODY_LIMIT,
    fileMaxBytes: e.FILE_MAX_BYTES,
    fileUploads: { maxConcurrent: e.FILE_UPLOADS_MAX_CONCURRENT ?? Math.max(1, Math.floor(e.DATABASE_POOL_MAX / 2)), idleMs: e.FILE_UPLOAD_IDLE_MS },
    graphqlLimits: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxDocumentLength: e.GRAPHQL_MAX_DOCUMENT_LENGTH,
      maxEntities: e.GRAPHQL_MAX_ENTITIES,
      maxCost: e.GRAPHQL_MAX_COST,
    },
    listing: { countLimit: e.LIST_COUNT_LIMIT, maxPageDepth: e.LIST_MAX_PAGE_DEPTH },
    csv: { exportMaxRows: e.EXPORT_MAX_ROWS, importMaxRows: e.IMPORT_MAX_ROWS },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    jobs: {
      enabled: e.JOBS,
      pollMs: e.JOBS_POLL_MS,
      concurrency: e.JOBS_CONCURRENCY,
      failedRetentionDays: e.JOBS_FAILED_RETENTION_DAYS,
    },
    notifications: { maxAgeDays: e.NOTIFICATION_MAX_AGE_DAYS, readMaxAgeDays: e.NOTIFICATION_READ_MAX_AGE_DAYS },
    calendarFeeds: { days: e.CALENDAR_FEED_DAYS, readsPerHour: e.CALENDAR_FEED_RATE_LIMIT },
    baseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`,
    subscriptions: {
      maxConnections: e.SUBSCRIPTIONS_MAX_CONNECTIONS,
      maxPerConnection: e.SUBSCRIPTIONS_MAX_PER_CONNECTION,
      maxQueue: e.SUBSCRIPTIONS_MAX_QUEUE,
    },
    metrics: { port: e.METRICS_PORT ?? null, token: e.METRICS_TOKEN ?? null },
    ai: {
      url: e.AI_API_URL ? e.AI_API_URL.replace(/\/+$/, '') : null,
      apiKey: e.AI_API_KEY ?? null,
      model: e.AI_MODEL,
      timeoutMs: e.AI_TIMEOUT_MS,
      callsPerWindow: e.AI_RATE_LIMIT,
      windowSeconds: e.AI_RATE_WINDOW_SECONDS,
    },
    xero: e.XERO_CLIENT_ID
      ? {
          clientId: e.XERO_CLIENT_ID,
          clientSecret: e.XERO_CLIENT_SECRET!,
          identityUrl: e.XERO_IDENTITY_URL.replace(/\/+$/, ''),
          apiUrl: e.XERO_API_URL.replace(/\/+$/, ''),
          tokenKeys,
          timeoutMs: e.XERO_TIMEOUT_MS,
          retry: { baseMs: e.XERO_RETRY_BASE_MS, maxMs: e.XERO_RETRY_MAX_MS, maxAttempts: e.XERO_MAX_ATTEMPTS },
          limits: { perMinute: e.XERO_MINUTE_LIMIT, perDay: e.XERO_DAY_LIMIT, concurrent: e.XERO_CONCURRENT_LIMIT },
        }
      : null,
    webhooks: {
      allowPrivate: e.WEBHOOKS_ALLOW_PRIVATE ?? !production,
      requireHttps: production,
      secretKeys: webhookKeys ?? (production ? null : [DEV_WEBHOOK_KEY]),
      timeoutMs: e.WEBHOOKS_TIMEOUT_MS,
      retry: { baseMs: e.WEBHOOKS_RETRY_BASE_MS, maxMs: e.WEBHOOKS_RETRY_MAX_MS, retryForMs: e.WEBHOOKS_RETRY_FOR_HOURS * 3_600_000 },
      disableAfterFailures: e.WEBHOOKS_DISABLE_AFTER_FAILURES,
      deliveryMaxAgeDays: e.WEBHOOKS_DELIVERY_MAX_AGE_DAYS,
    },
  };
}
