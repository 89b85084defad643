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

const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3099),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case PostgreSQL identifier')
    .default('public'),
  DATABASE_RUNTIME_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case PostgreSQL identifier')
    .default('kisum_base_runtime'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30000),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1).max(600000).default(5000),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).optional(),
  EMBEDDED_PG_DIR: z.string().default('.data/postgres'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_URL: z.string().url().optional(),
  AUTH_ISSUER: z.string().min(1).default('kisum-auth'),
  AUTH_AUDIENCE: z.string().min(1).default('kisum-base'),
  AUTH_TIMEOUT_MS: z.coerce.number().int().min(1).max(60000).default(2000),
  AUTH_ACCESS_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300000).default(10000),
  GRAPHIQL: bool.optional(),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'a comma-separated list of origins such as https://app.example.com, or *'))),
  BODY_LIMIT: z.string().default('1mb'),
  // An uploaded file over it is refused (413) and nothing of it is kept.
  FILE_MAX_BYTES: z.coerce.number().int().min(1).max(2 ** 40).default(FILE_MAX_BYTES_DEFAULT),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(10),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(30),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(50).max(100000).default(2000),
  GRAPHQL_MAX_DOCUMENT_LENGTH: z.coerce.number().int().min(100).max(10_000_000).default(50000),
  GRAPHQL_MAX_ENTITIES: z.coerce.number().int().min(1).max(10000).default(500),
  // 5000: the heaviest screens fit (100 artists with their agency ≈ 1300, 20 agencies × 50 artists
  // ≈ 4100, 20 artists × 20 history entries ≈ 1700); a 100 × 100 nested list (20201) is refused, and
  // the heaviest allowed query keeps the event loop free enough for /health (test/graphql/cost.test.ts).
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).max(10_000_000).default(5000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10000),
  JOBS: bool.default(true),
  JOBS_POLL_MS: z.coerce.number().int().min(10).max(3600000).default(1000),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
});

export interface Config {
  env: string;
  production: boolean;
  port: number;
  host: string;
  logLevel: string;
  database: {
    /** null: the embedded PostgreSQL of the dev default. */
    url: string | null;
    schema: string;
    /** The role the service's queries run as, under row-level security; the URL's user migrates. */
    runtimeRole: string;
    poolMax: number;
    /** Longest a single SQL statement may run (0: no limit). */
    statementTimeoutMs: number;
    /** Longest wait for a pool connection (a new one included). */
    connectTimeoutMs: number;
    /** Client-side bound on one query, for a server that does not answer at all (0: none). */
    queryTimeoutMs: number;
    embeddedDir: string;
    embeddedPort: number;
  };
  auth: {
    /** null: the embedded dev Auth (never in production). */
    jwksUrl: string | null;
    url: string | null;
    issuer: string;
    audience: string;
    timeoutMs: number;
    cacheTtlMs: number;
  };
  graphiql: boolean;
  /** Browser origins allowed to call Base directly (CORS); empty: none. */
  corsOrigins: string[];
  bodyLimit: string;
  /** Largest uploaded file, in bytes (FILE_MAX_BYTES). */
  fileMaxBytes: number;
  /** Limits on one GraphQL operation, checked before it runs. */
  graphqlLimits: { maxDepth: number; maxAliases: number; maxTokens: number; maxDocumentLength: number; maxEntities: number; maxCost: number };
  shutdownTimeoutMs: number;
  /** The background-job runner of this instance (src/jobs). */
  jobs: { enabled: boolean; pollMs: number; concurrency: number };
  /** `GET /metrics`: a separate listener without a token, and/or the public port with a bearer. */
  metrics: { port: number | null; token: string | null };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';

  if (Boolean(e.AUTH_JWKS_URL) !== Boolean(e.AUTH_URL)) {
    throw new ConfigError(
      'AUTH_JWKS_URL and AUTH_URL go together: set both to use a real Auth, or neither for the dev Auth.',
    );
  }
  if (production) {
    const missing = [
      !e.DATABASE_URL && 'DATABASE_URL (the embedded PostgreSQL is dev-only)',
      !e.AUTH_JWKS_URL && 'AUTH_JWKS_URL and AUTH_URL (the embedded dev Auth is dev-only)',
    ].filter(Boolean);
    if (missing.length) {
      throw new ConfigError(`NODE_ENV=production needs:\n  ${missing.join('\n  ')}`);
    }
  }

  return {
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    database: {
      url: e.DATABASE_URL ?? null,
      schema: e.DATABASE_SCHEMA,
      runtimeRole: e.DATABASE_RUNTIME_ROLE,
      poolMax: e.DATABASE_POOL_MAX,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      // A little over the statement timeout, so the server's own verdict normally arrives first.
      queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS ?? (e.DATABASE_STATEMENT_TIMEOUT_MS ? e.DATABASE_STATEMENT_TIMEOUT_MS + 5000 : 0),
      embeddedDir: e.EMBEDDED_PG_DIR,
      embeddedPort: e.EMBEDDED_PG_PORT,
    },
    auth: {
      jwksUrl: e.AUTH_JWKS_URL ?? null,
      url: e.AUTH_URL ?? null,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      timeoutMs: e.AUTH_TIMEOUT_MS,
      cacheTtlMs: e.AUTH_ACCESS_CACHE_TTL_MS,
    },
    graphiql: e.GRAPHIQL ?? !production,
    corsOrigins: e.CORS_ORIGINS,
    bodyLimit: e.BODY_LIMIT,
    fileMaxBytes: e.FILE_MAX_BYTES,
    graphqlLimits: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxDocumentLength: e.GRAPHQL_MAX_DOCUMENT_LENGTH,
      maxEntities: e.GRAPHQL_MAX_ENTITIES,
      maxCost: e.GRAPHQL_MAX_COST,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    jobs: { enabled: e.JOBS, pollMs: e.JOBS_POLL_MS, concurrency: e.JOBS_CONCURRENCY },
    metrics: { port: e.METRICS_PORT ?? null, token: e.METRICS_TOKEN ?? null },
  };
}
