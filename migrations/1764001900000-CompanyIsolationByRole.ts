import { MigrationInterface, QueryRunner } from 'typeorm';
import { companyIsolationCondition } from './support/row-level-security';

/** Tables whose policy admits more than the company's rows (a job without a company is anyone's). */
const EXTRA_CONDITIONS: Record<string, string> = { jobs: 'company_id IS NULL' };

/**
 * The policies up to here also let any session that set `app.cross_company = 'on'` see every
 * company, and the runtime role could set it. They now admit cross-company work by role instead (the
 * jobs' connections run as kisum_base_jobs, which the runtime role cannot become), and read the
 * company once per statement (a scalar subselect) rather than once per row.
 */
export class CompanyIsolationByRole1764001900000 implements MigrationInterface {
  name = 'CompanyIsolationByRole1764001900000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of await isolatedTables(q)) {
      const condition = companyIsolationCondition(EXTRA_CONDITIONS[table]);
      await q.query(`ALTER POLICY company_isolation ON ${table} USING (${condition}) WITH CHECK (${condition})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of await isolatedTables(q)) {
      const condition = [
        EXTRA_CONDITIONS[table],
        `company_id = NULLIF(current_setting('app.company_id', true), '')::uuid`,
        `current_setting('app.cross_company', true) = 'on'`,
      ].filter(Boolean).join(' OR ');
      await q.query(`ALTER POLICY company_isolation ON ${table} USING (${condition}) WITH CHECK (${condition})`);
    }
  }
}

/** Every table of this schema under the company policy. */
async function isolatedTables(q: QueryRunner): Promise<string[]> {
  const rows: { tablename: string }[] = await q.query(
    `SELECT tablename FROM pg_policies WHERE schemaname = current_schema() AND policyname = 'company_isolation' ORDER BY tablename`,
  );
  return rows.map((r) => r.tablename);
}
