import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { statementCounter } from '../../src/db/data-source';
import { jobQueueSchema } from '../../migrations/support/job-queue';
import { createLogger } from '../../src/logger';
import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import { BaseServer, ServerOptions, startServer } from '../../src/server';
import { buildOpenApi } from '../../src/http/openapi';
import { TestClock } from './clock';
import { FakeAuth } from './fake-auth';
import { OpenApiValidator } from './openapi-validation';

/**
 * One Base per test file: its own PostgreSQL schema (migrations applied), a fake Auth over HTTP,
 * and helpers to call both surfaces as a given actor.
 */
export interface Caller {
  userId: string;
  companyId: string;
  token: string;
  headers: Record<string, string>;
}

export interface CallOptions {
  as?: Caller;
  headers?: Record<string, string>;
  body?: unknown;
  /** Send this exact text as the body. */
  rawBody?: string;
}

export interface Answer<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  body: T;
  headers: Headers;
}

export interface TestBase {
  server: BaseServer;
  /** The Base's clock (and its Auth's): move it past a deadline instead of sleeping. */
  clock: TestClock;
  auth: FakeAuth;
  url: string;
  schema: string;
  companyA: string;
  companyB: string;
  caller(permissions?: readonly string[], options?: { company?: string }): Promise<Caller>;
  rest<T = any>(method: string, path: string, options?: CallOptions): Promise<Answer<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: CallOptions): Promise<Answer<{ data?: T; errors?: GqlError[] }>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** SQL statements sent so far (for N+1 assertions). */
  statements(): number;
  /**
   * SQL as the schema's owner (the user that migrates), outside row-level security: to arrange and
   * inspect rows of any company. The service's own queries run as the runtime role (server.dataSource).
   */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; details?: { field: string; message: string }[]; [k: string]: unknown };
}

/**
 * What a test may add to the served Base: fixture families with their entities and migrations, and
 * the clock of another Base on the same schema (instances of one deployment share the time).
 */
export type ExtraFamilies = Pick<ServerOptions, 'modules' | 'extraEntities' | 'extraMigrations'> & { clock?: TestClock };

/** How long an actor's token lives: past any time a test moves the clock by. */
const ACTOR_TOKEN_SECONDS = 400 * 86_400;

export async function startTestBase(env: Record<string, string> = {}, extra: ExtraFamilies = {}): Promise<TestBase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is set by the global setup');
  // A test may route Base through a proxy of its own (env.DATABASE_URL); the schema is dropped directly.
  const databaseUrl = env.DATABASE_URL ?? adminUrl;
  const clock = extra.clock ?? new TestClock();
  const auth = await FakeAuth.start(clock);
  const schema = `test_${randomBytes(5).toString('hex')}`;
  let server: BaseServer;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_MAX: '5',
      // No background polling unless a test asks for it: its statements would blur statement counts.
      JOBS: 'false',
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_URL: auth.url,
      ...env,
    });
    server = await startServer({
      config,
      logger: createLogger(config.logLevel),
      databaseUrl,
      jwksUrl: auth.jwksUrl,
      authUrl: auth.url,
      ...extra,
      clock,
    });
  } catch (err) {
    await auth.close();
    throw err;
  }
  const ownerPool = new Pool({
    connectionString: databaseUrl,
    max: 2,
    options: `-c search_path=${schema} -c statement_timeout=${config.database.statementTimeoutMs}`,
  });
  const companyA = randomUUID();
  const companyB = randomUUID();
  // Every REST answer is held to the document this Base serves (made once, when first needed).
  let validator: OpenApiValidator | undefined;
  const documented = (method: string, path: string, answer: Answer): void => {
    if (!path.startsWith('/api/') || method === 'HEAD') return;
    validator ??= new OpenApiValidator(buildOpenApi(server.routes, server.schema.unguarded));
    const problem = validator.problem(method, path, answer.status, answer.headers.get('content-type'), answer.body);
    if (problem) throw new Error(`REST answer outside the OpenAPI document: ${problem}`);
  };

  const call = async (method: string, path: string, options: CallOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...(options.as?.headers ?? {}), ...(options.headers ?? {}) };
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    const answer = { status: res.status, body: parsed, headers: res.headers };
    documented(method.toUpperCase(), path, answer);
    return answer;
  };

  return {
    server,
    clock,
    auth,
    url: server.url,
    schema,
    companyA,
    companyB,
    async caller(permissions = ALL_PERMISSIONS, options = {}) {
      const userId = `user-${randomBytes(4).toString('hex')}`;
      const companyId = options.company ?? companyA;
      auth.grant(userId, companyId, permissions);
      // Long-lived, so a test that moves the clock by days keeps its actors (token tests mint their own).
      const token = await auth.token(userId, { expiresIn: ACTOR_TOKEN_SECONDS });
      return { userId, companyId, token, headers: { authorization: `Bearer ${token}`, 'x-org': companyId } };
    },
    rest: call,
    gql: (query, variables, options = {}) => call('POST', '/graphql', { ...options, body: { query, variables } }),
    statements: () => statementCounter(server.dataSource).count,
    sql: async (text, params) => (await ownerPool.query(text, params)).rows,
    /** Stops the server (if a test has not already) and drops the file's schema and its job queue's. */
    async close() {
      await server.stop();
      await auth.close();
      await ownerPool.end();
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.query(`DROP SCHEMA IF EXISTS "${jobQueueSchema(schema)}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Every member of TestBase, for useTestBase to forward (adding one to TestBase fails to compile until it is named here). */
const TEST_BASE_MEMBERS: Record<keyof TestBase, true> = {
  server: true,
  clock: true,
  auth: true,
  url: true,
  schema: true,
  companyA: true,
  companyB: true,
  caller: true,
  rest: true,
  gql: true,
  statements: true,
  sql: true,
  close: true,
};

/**
 * One Base for the calling scope (a file, or the describe it is called in): started in `beforeAll`,
 * closed in `afterAll`. Returns a stand-in that forwards to that Base, so tests, hooks and helpers
 * use it as they would the Base itself; touched before `beforeAll` has run, it throws.
 *
 *     const base = useTestBase({ AUTH_TIMEOUT_MS: '200' });
 *     test('…', async () => { await base.rest('GET', '/health'); });
 *
 * Register setup that needs the Base (actors, records) in a `beforeAll` after this call.
 */
export function useTestBase(env: Record<string, string> = {}, extra: ExtraFamilies = {}): TestBase {
  let current: TestBase | undefined;
  beforeAll(async () => {
    current = await startTestBase(env, extra);
  });
  afterAll(() => current?.close());

  const started = (): TestBase => {
    if (!current) throw new Error('useTestBase(): the Base starts in beforeAll; use it inside a test or a hook');
    return current;
  };
  const standIn = {} as TestBase;
  for (const key of Object.keys(TEST_BASE_MEMBERS) as (keyof TestBase)[]) {
    Object.defineProperty(standIn, key, { get: () => started()[key], enumerable: true });
  }
  return standIn;
}
