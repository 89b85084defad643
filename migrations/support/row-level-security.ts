import type { QueryRunner } from 'typeorm';

/**
 * The company of the current unit of work. `app.company_id` is set per transaction
 * (`set_config(..., true)`); once such a transaction ends, the setting reads '' on that connection,
 * hence NULLIF (an empty string is no company, not an invalid uuid). A scalar subselect, so
 * PostgreSQL computes it once per statement (an InitPlan), not once per row.
 */
export const CURRENT_COMPANY = `(SELECT NULLIF(current_setting('app.company_id', true), '')::uuid)`;

/**
 * The role the job queue's cross-company connections run as (src/jobs/cross-company.ts). Keyed on
 * the role, not on a setting: a session of the runtime role cannot take it on (docs/production.md).
 */
export const CROSS_COMPANY_ROLE = 'kisum_base_jobs';
const CROSS_COMPANY = `(SELECT current_user = '${CROSS_COMPANY_ROLE}')`;

/** The policy's condition: the extra one (`jobs` without a company), the unit's company, the jobs' role. */
export function companyIsolationCondition(extraCondition?: string): string {
  return [extraCondition, `company_id = ${CURRENT_COMPANY}`, CROSS_COMPANY].filter(Boolean).join(' OR ');
}

/**
 * Row-level security on a company-owned table: a row is visible and writable only inside its
 * company's unit of work (or to the jobs' cross-company role). FORCE makes the table owner subject too.
 * Every migration that creates a company-owned table calls this (a test checks every such table).
 */
export async function isolateCompanies(q: QueryRunner, table: string, extraCondition?: string): Promise<void> {
  const condition = companyIsolationCondition(extraCondition);
  await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await q.query(`CREATE POLICY company_isolation ON ${table} USING (${condition}) WITH CHECK (${condition})`);
}

export async function stopIsolatingCompanies(q: QueryRunner, table: string): Promise<void> {
  await q.query(`DROP POLICY company_isolation ON ${table}`);
  await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
}
