import type { ClientBase } from 'pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { Jobs1764000700000 } from './1764000700000-Jobs';
import { jobQueueSchema, migrateJobQueue } from './support/job-queue';
import { CROSS_COMPANY_ROLE, CURRENT_COMPANY, isolateCompanies } from './support/row-level-security';

/**
 * The background jobs move to graphile-worker (src/jobs/queue.ts): its schema is installed here, by
 * the owner, with the library's own migrator; the jobs still waiting or running in `jobs` become its
 * jobs (a running one runs again: delivery was at least once), and `jobs` goes. Done and failed jobs
 * are history and are not moved; neither are the periodic tasks' rows (the library's crontab
 * schedules those).
 *
 * `enqueue_job` is how the service adds a job inside a change's transaction. graphile-worker's tables
 * know no company, so the service's role gets no right on them: the function, run with the owner's
 * rights, adds a company's job only in that company's unit of work, the way row-level security
 * admitted rows of `jobs` (any company for the jobs' role; no company for anyone).
 */
export class JobQueue1764004000000 implements MigrationInterface {
  name = 'JobQueue1764004000000';
  /** The library's migrator runs transactions of its own; the rest is one transaction of ours. */
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    const worker = jobQueueSchema(await currentSchema(q));
    await migrateJobQueue((await q.connect()) as ClientBase, worker);
    await inTransaction(q, async () => {
      await q.query(enqueueFunction(worker));
      await q.query(`REVOKE ALL ON FUNCTION enqueue_job(text, jsonb, timestamptz, uuid, text, integer) FROM PUBLIC`);
      // A rerun after a crash past this point finds the table gone.
      if (!(await tableExists(q, 'jobs'))) return;
      // The owner is subject to the table's policy too; the rows of every company move.
      await q.query(`ALTER TABLE jobs NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE jobs DISABLE ROW LEVEL SECURITY`);
      await q.query(`
        SELECT ${ident(worker)}.add_job(
                 identifier   => kind,
                 payload      => json_build_object('companyId', company_id, 'payload', payload),
                 run_at       => CASE WHEN status = 'running' THEN now() ELSE run_at END,
                 max_attempts => least(greatest(max_attempts - attempts, 1), 32767),
                 job_key      => dedupe_key)
          FROM jobs
         WHERE status IN ('pending', 'running') AND kind NOT LIKE 'periodic:%'
         ORDER BY run_at`);
      await q.query(`DROP TABLE jobs`);
    });
  }

  async down(q: QueryRunner): Promise<void> {
    const worker = jobQueueSchema(await currentSchema(q));
    await inTransaction(q, async () => {
      await new Jobs1764000700000().up(q);
      await q.query(`
        INSERT INTO jobs (kind, payload, run_at, company_id, dedupe_key, max_attempts)
        SELECT t.identifier, coalesce((j.payload::jsonb)->'payload', '{}'), j.run_at, ((j.payload::jsonb)->>'companyId')::uuid, j.key,
               greatest(j.max_attempts - j.attempts, 1)
          FROM ${ident(worker)}._private_jobs j JOIN ${ident(worker)}._private_tasks t ON t.id = j.task_id
         WHERE j.attempts < j.max_attempts AND t.identifier NOT LIKE 'periodic:%'`);
      await isolateCompanies(q, 'jobs', 'company_id IS NULL');
      await q.query(`CREATE INDEX ix__jobs__finished ON jobs (status, updated_at) WHERE status IN ('done', 'failed')`);
      await q.query(`DROP FUNCTION enqueue_job(text, jsonb, timestamptz, uuid, text, integer)`);
      await q.query(`DROP SCHEMA ${ident(worker)} CASCADE`);
    });
  }
}

/** The service's way to add a job in its transaction (src/jobs/enqueue.ts); `created` is false when it moved a waiting job with the same key. */
function enqueueFunction(worker: string): string {
  return `
    CREATE OR REPLACE FUNCTION enqueue_job(
      p_kind text, p_payload jsonb, p_run_at timestamptz, p_company_id uuid, p_job_key text, p_max_attempts integer,
      OUT job_id text, OUT created boolean)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
      -- Inside this function current_user is the owner; the role setting is the caller's session's.
      IF p_company_id IS NOT NULL AND p_company_id IS DISTINCT FROM ${CURRENT_COMPANY}
         AND current_setting('role') <> '${CROSS_COMPANY_ROLE}' THEN
        RAISE EXCEPTION 'a job for company % may only be added in that company''s unit of work', p_company_id
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      SELECT j.id::text, j.revision = 0 INTO job_id, created
        FROM ${ident(worker)}.add_job(
               identifier   => p_kind,
               payload      => json_build_object('companyId', p_company_id, 'payload', coalesce(p_payload, '{}'::jsonb)),
               run_at       => p_run_at,
               max_attempts => p_max_attempts,
               job_key      => p_job_key,
               job_key_mode => 'replace') j;
    END $$`;
}

async function currentSchema(q: QueryRunner): Promise<string> {
  const [{ schema }]: { schema: string }[] = await q.query(`SELECT current_schema() AS schema`);
  return schema;
}

async function tableExists(q: QueryRunner, table: string): Promise<boolean> {
  const [{ exists }]: { exists: boolean }[] = await q.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table]);
  return exists;
}

async function inTransaction(q: QueryRunner, work: () => Promise<void>): Promise<void> {
  await q.startTransaction();
  try {
    await work();
    await q.commitTransaction();
  } catch (err) {
    await q.rollbackTransaction();
    throw err;
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
