import type { QueryRunner } from 'typeorm';

/**
 * The company of the current unit of work. `app.company_id` is set per transaction
 * (`set_config(..., true)`); once such a transaction ends, the setting reads '' on that connection,
 * hence NULLIF (an empty string is no company, not an invalid uuid).
 */
export const CURRENT_COMPANY = `NULLIF(current_setting('app.company_id', true), '')::uuid`;
/** Set only by the job runner's cross-company scope (src/jobs/cross-company.ts), per transaction. */
export const CROSS_COMPANY = `current_setting('app.cross_company', true) = 'on'`;

/**
 * Row-level security on a company-owned table: a row is visible and writable only inside its
 * company's unit of work (or the jobs' cross-company scope). FORCE makes the table owner subject too.
 * Every migration that creates a company-owned table calls this (a test checks every such table).
 */
export async function isolateCompanies(q: QueryRunner, table: string, extraCondition?: string): Promise<void> {
  const condition = [extraCondition, `company_id = ${CURRENT_COMPANY}`, CROSS_COMPANY].filter(Boolean).join(' OR ');
  await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await q.query(`CREATE POLICY company_isolation ON ${table} USING (${condition}) WITH CHECK (${condition})`);
}

export async function stopIsolatingCompanies(q: QueryRunner, table: string): Promise<void> {
  await q.query(`DROP POLICY company_isolation ON ${table}`);
  await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
}
