import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies, stopIsolatingCompanies } from './support/row-level-security';

/** Company-owned tables: each row visible and writable only inside its company's unit of work. */
const COMPANY_TABLES = ['companies', 'agencies', 'artists', 'venues', 'vendors', 'domain_events'];

/**
 * The second tenancy line, under TenantScope: PostgreSQL row-level security. The service runs as a
 * role that owns nothing and is no superuser (src/db/runtime-role.ts), so a query that forgets the
 * company sees no other company's rows.
 */
export class RowLevelSecurity1764000800000 implements MigrationInterface {
  name = 'RowLevelSecurity1764000800000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of COMPANY_TABLES) await isolateCompanies(q, table);
    // A job without a company (a sweep, a periodic task) holds no company's data: any unit of work
    // may enqueue one. A company's job belongs to that company, like its records.
    await isolateCompanies(q, 'jobs', 'company_id IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...COMPANY_TABLES, 'jobs']) await stopIsolatingCompanies(q, table);
  }
}
