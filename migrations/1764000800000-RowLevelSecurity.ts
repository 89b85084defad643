import { MigrationInterface, QueryRunner } from 'typeorm';

/** Company-owned tables: each row visible and writable only inside its company's unit of work. */
const COMPANY_TABLES = ['companies', 'agencies', 'artists', 'venues', 'vendors', 'domain_events'];

/**
 * The company of the current unit of work. `app.company_id` is set per transaction
 * (`set_config(..., true)`); once such a transaction ends, the setting reads '' on that connection,
 * hence NULLIF (an empty string is no company, not an invalid uuid).
 */
const CURRENT_COMPANY = `NULLIF(current_setting('app.company_id', true), '')::uuid`;
/** Set only by the job runner's cross-company scope (src/jobs/cross-company.ts), per transaction. */
const CROSS_COMPANY = `current_setting('app.cross_company', true) = 'on'`;

/**
 * The second tenancy line, under TenantScope: PostgreSQL row-level security. FORCE makes the table
 * owner subject too; the service runs as a role that owns nothing and is no superuser
 * (src/db/runtime-role.ts), so a query that forgets the company sees no other company's rows.
 */
export class RowLevelSecurity1764000800000 implements MigrationInterface {
  name = 'RowLevelSecurity1764000800000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of COMPANY_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY company_isolation ON ${table}
          USING (company_id = ${CURRENT_COMPANY} OR ${CROSS_COMPANY})
          WITH CHECK (company_id = ${CURRENT_COMPANY} OR ${CROSS_COMPANY})`);
    }
    // A job without a company (a sweep, a periodic task) holds no company's data: any unit of work
    // may enqueue one. A company's job belongs to that company, like its records.
    await q.query(`ALTER TABLE jobs ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE jobs FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY company_isolation ON jobs
        USING (company_id IS NULL OR company_id = ${CURRENT_COMPANY} OR ${CROSS_COMPANY})
        WITH CHECK (company_id IS NULL OR company_id = ${CURRENT_COMPANY} OR ${CROSS_COMPANY})`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...COMPANY_TABLES, 'jobs']) {
      await q.query(`DROP POLICY company_isolation ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
  }
}
