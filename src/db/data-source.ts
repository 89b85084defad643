import { DataSource, EventSubscriber, MigrationExecutor } from 'typeorm';
import type { AfterQueryEvent, EntitySubscriberInterface } from 'typeorm';
import type { Logger } from 'pino';
import { MIGRATIONS } from '../../migrations';
import { jobQueueSchema, migrateJobQueue } from '../../migrations/support/job-queue';
import { SnakeNamingStrategy } from './naming-strategy';
import { DEFAULT_RUNTIME_ROLE, CROSS_COMPANY_ROLE, prepareServiceRoles, rowLevelSecurityGaps, type RuntimeRoleSetup } from './runtime-role';
import { StatementCounter } from './statement-counter';
import { pgTypes } from './timestamps';
import type { ClassType } from './class-type';
import { closeConnectionAfterTimeout } from './availability';

export interface DatabaseOptions {
  /** Every mapped entity (the composition passes the families' and the kit's). */
  entities: ClassType[];
  /** Migrations applied after Base's own (fixture tables in tests). */
  extraMigrations?: ClassType[];
  url: string;
  schema: string;
  poolMax: number;
  /** Longest a single statement may run; 0 for no limit. */
  statementTimeoutMs?: number;
  /** Longest wait for a pool connection; unset: node-pg's default (none). */
  connectTimeoutMs?: number;
  /** Client-side bound on one query (a server that never answers); 0 or unset: none. */
  queryTimeoutMs?: number;
  /**
   * The role the service's queries run as (src/db/runtime-role.ts); the URL's user only migrates.
   * Default: kisum_base_runtime.
   */
  runtimeRole?: string;
  /**
   * Months of history kept (HISTORY_RETENTION_MONTHS), stored by the owner when it migrates; the
   * partition upkeep reads it there. Unset: keep everything.
   */
  historyRetentionMonths?: number | null;
  /** Refuse to open when row-level security would not hold for the service's queries (production). */
  requireRowLevelSecurity?: boolean;
  /**
   * auto (default): migrate as the URL's user first. off: the URL's user may be a login that is only a
   * member of the runtime role; nothing is created or granted, and a pending migration refuses the start.
   */
  migrate?: 'auto' | 'off';
  logger: Logger;
}

/** Every failed statement passes here before its caller sees the error (and sends a ROLLBACK). */
@EventSubscriber()
class CloseTimedOutConnections implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    if (!event.success) closeConnectionAfterTimeout(event.error, event.queryRunner);
  }
}

/** The PostgreSQL data source. The schema is owned by migrations: `synchronize` is never on. */
export function createDataSource(options: DatabaseOptions, role?: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: [...MIGRATIONS, ...(options.extraMigrations ?? [])],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install.
    installExtensions: false,
    logger: new StatementCounter(options.logger),
    subscribers: [CloseTimedOutConnections],
    maxQueryExecutionTime: 1000,
    extra: {
      max: options.poolMax,
      // unqualified names in migrations and raw SQL resolve to this schema; no statement runs away
      options: `-c search_path=${options.schema} -c statement_timeout=${options.statementTimeoutMs ?? 30000}${role ? ` -c role=${role}` : ''}`,
      application_name: 'kisum-base',
      // timestamptz parsed by arithmetic rather than regular expressions (src/db/timestamps.ts)
      types: pgTypes,
      // A frozen or vanished server must not hold requests: bound the wait for a connection and
      // for each answer; the errors become DATABASE_UNAVAILABLE (src/db/availability.ts).
      ...(options.connectTimeoutMs ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}),
      ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    },
  });
}

/** How long a starting instance waits for another one to finish migrating the same schema. */
const MIGRATION_LOCK_TIMEOUT_MS = 120_000;

/**
 * Migrate as the URL's user (the owner), then open the service's pool as the runtime role, so
 * row-level security applies to every query the service sends. Replicas that start together take
 * turns under a PostgreSQL advisory lock (per schema, held on one connection), so each migration
 * runs once; the ones that waited find nothing pending. With `migrate: 'off'` nothing is migrated,
 * created or granted: the pool only checks that no migration is pending.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const role = options.runtimeRole ?? DEFAULT_RUNTIME_ROLE;
  const setup: RuntimeRoleSetup = options.migrate === 'off' ? { usable: true } : await migrate(options, role);
  if (!setup.usable) {
    const message = `row-level security: ${setup.reason}; queries would run as the owner`;
    if (options.requireRowLevelSecurity) {
      throw new Error(`${message}. Create it once as an administrator: CREATE ROLE ${role} NOLOGIN; GRANT ${role} TO <the DATABASE_URL user>`);
    }
    options.logger.warn(message);
  }
  const dataSource = createDataSource(options, setup.usable ? role : undefined);
  await dataSource.initialize();
  try {
    if (options.migrate === 'off') {
      const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
      if (pending.length) throw new MigrationsPendingError(options.schema, pending.map((m) => m.name));
    }
    const gaps = await rowLevelSecurityGaps(dataSource, options.schema);
    if (gaps.length && options.requireRowLevelSecurity) {
      throw new Error(`row-level security would have no effect: ${gaps.join('; ')}`);
    }
    if (gaps.length) options.logger.warn({ gaps }, 'row-level security has no effect on this connection');
  } catch (err) {
    await dataSource.destroy().catch(() => undefined);
    throw err;
  }
  return dataSource;
}

/** DATABASE_MIGRATE=off and the database is behind the code: migrate as the owner first. */
export class MigrationsPendingError extends Error {
  constructor(
    schema: string,
    readonly pending: string[],
  ) {
    super(
      `schema "${schema}" lacks ${pending.length} migration(s): ${pending.join(', ')}. ` +
        'Run them as the schema owner (node dist/src/cli/migrate.js, or npm run migrate) before starting with DATABASE_MIGRATE=off.',
    );
  }
}

/**
 * The job queue's pool for work across companies (src/jobs/cross-company.ts): its connections run as
 * CROSS_COMPANY_ROLE, which the policies let see every company. `options.url` is DATABASE_JOBS_URL
 * when set (a login that is a member of that role and of nothing else), else the migrating user's.
 * Opened after openDatabase, which made the role and its grants.
 */
export async function openCrossCompanyDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options, CROSS_COMPANY_ROLE);
  try {
    await dataSource.initialize();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `the job queue's connections cannot run as role ${CROSS_COMPANY_ROLE} (${reason}): make its login a member of that role ` +
        `(GRANT ${CROSS_COMPANY_ROLE} TO <login>), or set DATABASE_JOBS_URL to a login that is (docs/production.md)`,
    );
  }
  return dataSource;
}

/** Connect as the owner, make sure the schema exists, apply pending migrations (the job queue's too), grant the service's roles. */
async function migrate(options: DatabaseOptions, role: string) {
  const owner = createDataSource({ ...options, poolMax: 1 });
  await owner.initialize();
  try {
    const runner = owner.createQueryRunner();
    try {
      await runner.connect();
      await acquireMigrationLock(runner, options.schema);
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      // The executor runs on the locked connection: a pool of one cannot deadlock on the lock.
      const executor = new MigrationExecutor(owner, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      if (applied.length) options.logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
      // A newer graphile-worker may bring migrations of its own schema (installed by JobQueue1764004000000).
      await migrateJobQueue(await runner.connect(), jobQueueSchema(options.schema));
      // Under the lock too: two instances granting on the same tables at once would collide.
      const setup = await prepareServiceRoles(runner, options.schema, role);
      await storeRetentionSettings(runner, options.historyRetentionMonths ?? null);
      return setup;
    } finally {
      await runner.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
      await runner.release();
    }
  } finally {
    await owner.destroy().catch(() => undefined);
  }
}

/** The owner's retention policies (migrations/1764003000000-Retention.ts); the service's role only reads them. */
async function storeRetentionSettings(runner: { query(sql: string, params?: unknown[]): Promise<unknown> }, historyMonths: number | null): Promise<void> {
  if (historyMonths === null) {
    await runner.query(`DELETE FROM retention_settings WHERE subject = 'history'`);
  } else {
    await runner.query(
      `INSERT INTO retention_settings (subject, months) VALUES ('history', $1) ON CONFLICT (subject) DO UPDATE SET months = EXCLUDED.months`,
      [historyMonths],
    );
  }
}

async function acquireMigrationLock(runner: { query(sql: string, params?: unknown[]): Promise<unknown> }, schema: string): Promise<void> {
  const deadline = Date.now() + MIGRATION_LOCK_TIMEOUT_MS;
  for (;;) {
    // A try-lock in a loop, not a blocking lock: the wait has a deadline and no statement timeout hits it.
    const [row] = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [
      `kisum-base:migrations:${schema}`,
    ])) as { locked: boolean }[];
    if (row.locked) return;
    if (Date.now() > deadline) {
      throw new Error(`Another instance has been migrating schema "${schema}" for over ${MIGRATION_LOCK_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function statementCounter(dataSource: DataSource): StatementCounter {
  return dataSource.logger as unknown as StatementCounter;
}

/**
 * Close the pool and wait until its connections are really gone. pg's pool forgets a client as soon
 * as it asks it to end, not when the socket closes; a database stopped right after (the embedded one
 * at shutdown) would otherwise terminate connections that are still closing. Bounded: 2 s at most.
 */
export async function closeDatabase(dataSource: DataSource): Promise<void> {
  type PooledClient = { once(event: 'end', listener: () => void): void };
  const pool = (dataSource.driver as unknown as { master?: { _clients?: PooledClient[] } }).master;
  const closed = (pool?._clients ?? []).map(
    (client) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        timer.unref();
        client.once('end', () => {
          clearTimeout(timer);
          resolve();
        });
      }),
  );
  await dataSource.destroy();
  await Promise.all(closed);
}
