import type { DataSource, EntityManager } from 'typeorm';

/**
 * The one way code reads or writes across companies. Everything else reaches PostgreSQL through
 * TenantScope, bound to one company; background jobs (sweeps, outboxes, expiries) are the deliberate
 * exception, so they get this instead, and only code under src/jobs may import it (an architecture
 * test holds that). It runs on its own pool, whose connections are the role the row-level security
 * policies admit across companies (openCrossCompanyDatabase in src/db/data-source.ts): no setting a
 * session of the service's runtime role could change lifts the company filter.
 */
export class CrossCompanyAccess {
  constructor(private readonly crossCompany: DataSource) {}

  /** One transaction across companies. */
  transaction<R>(work: (manager: EntityManager) => Promise<R>): Promise<R> {
    return this.crossCompany.transaction(work);
  }

  /** One statement across companies. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.crossCompany.query(sql, params);
  }
}
