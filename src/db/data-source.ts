import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { MIGRATIONS } from '../../migrations';
import { SnakeNamingStrategy } from './naming-strategy';
import { StatementCounter } from './statement-counter';

export interface DatabaseOptions {
  /** Every mapped entity (the composition passes the families' and the kit's). */
  entities: Function[];
  /** Migrations applied after Base's own (fixture tables in tests). */
  extraMigrations?: Function[];
  url: string;
  schema: string;
  poolMax: number;
  /** Longest a single statement may run; 0 for no limit. */
  statementTimeoutMs?: number;
  /** Longest wait for a pool connection; unset: node-pg's default (none). */
  connectTimeoutMs?: number;
  /** Client-side bound on one query (a server that never answers); 0 or unset: none. */
  queryTimeoutMs?: number;
  logger: Logger;
}

/** The PostgreSQL data source. The schema is owned by migrations: `synchronize` is never on. */
export function createDataSource(options: DatabaseOptions): DataSource {
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
    maxQueryExecutionTime: 1000,
    extra: {
      max: options.poolMax,
      // unqualified names in migrations and raw SQL resolve to this schema; no statement runs away
      options: `-c search_path=${options.schema} -c statement_timeout=${options.statementTimeoutMs ?? 30000}`,
      application_name: 'kisum-base',
      // A frozen or vanished server must not hold requests: bound the wait for a connection and
      // for each answer; the errors become DATABASE_UNAVAILABLE (src/db/availability.ts).
      ...(options.connectTimeoutMs ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}),
      ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    },
  });
}

/** Connect, make sure the schema exists, and apply pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  if (applied.length) options.logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  return dataSource;
}

export function statementCounter(dataSource: DataSource): StatementCounter {
  return dataSource.logger as unknown as StatementCounter;
}
