import type { DataSource, EntityManager } from 'typeorm';

/**
 * The one way code reads or writes across companies. Everything else reaches PostgreSQL through
 * TenantScope, bound to one company; background jobs (sweeps, outboxes, expiries) are the deliberate
 * exception, so they get this instead, and only code under src/jobs may import it (an architecture
 * test holds that).
 */
export class CrossCompanyAccess {
  constructor(private readonly dataSource: DataSource) {}

  /** One transaction across companies. */
  transaction<R>(work: (manager: EntityManager) => Promise<R>): Promise<R> {
    return this.dataSource.transaction(async (manager) => {
      await enterCrossCompanyScope(manager);
      return work(manager);
    });
  }

  /** One statement across companies (its own transaction). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.transaction((manager) => manager.query(sql, params));
  }
}

/**
 * Runs first in every cross-company transaction: the single place that lifts the row-level security
 * company filter (migrations/1764000800000-RowLevelSecurity.ts), for this transaction only.
 */
async function enterCrossCompanyScope(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT set_config('app.cross_company', 'on', true)`);
}
