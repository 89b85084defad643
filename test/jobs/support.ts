import { jobQueueSchema } from '../../migrations/support/job-queue';
import type { TestBase } from '../support/harness';

/**
 * The queue's jobs as tests look at them: graphile-worker's table with each job's kind, company and
 * a status (`running` while held, `failed` once its attempts are used up, else `pending`). A job
 * that succeeded is gone: the library deletes it.
 */
export interface JobRow {
  id: string;
  kind: string;
  status: 'pending' | 'running' | 'failed';
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_by: string | null;
  locked_at: Date | null;
  payload: Record<string, unknown>;
  company_id: string | null;
  key: string | null;
  run_at: Date;
  /** How far in the future the job is due (negative: overdue). */
  wait_ms: number;
}

/** The queue of a file's schema as a relation named `jobs`, for a FROM clause of the owner's SQL. */
export function queueJobs(schema: string): string {
  const queue = `"${jobQueueSchema(schema)}"`;
  return `(SELECT j.id::text AS id, t.identifier AS kind,
                  CASE WHEN j.locked_at IS NOT NULL THEN 'running' WHEN j.attempts >= j.max_attempts THEN 'failed' ELSE 'pending' END AS status,
                  j.attempts::int AS attempts, j.max_attempts::int AS max_attempts, j.last_error, j.locked_by, j.locked_at,
                  coalesce((j.payload::jsonb)->'payload', '{}') AS payload, ((j.payload::jsonb)->>'companyId')::uuid AS company_id,
                  j.key, j.run_at, (extract(epoch FROM j.run_at - now()) * 1000)::float8 AS wait_ms
             FROM ${queue}._private_jobs j JOIN ${queue}._private_tasks t ON t.id = j.task_id) AS jobs`;
}

/** The job, or undefined once it succeeded (the library deletes it then). */
export async function jobRow(base: Pick<TestBase, 'sql' | 'schema'>, id: string): Promise<JobRow | undefined> {
  const [row] = await base.sql<JobRow>(`SELECT * FROM ${queueJobs(base.schema)} WHERE id = $1`, [id]);
  return row;
}

/** Jobs of a kind, oldest first. */
export function jobsOfKind(base: Pick<TestBase, 'sql' | 'schema'>, kind: string): Promise<JobRow[]> {
  return base.sql<JobRow>(`SELECT * FROM ${queueJobs(base.schema)} WHERE kind = $1 ORDER BY id::bigint`, [kind]);
}

/** Make waiting jobs due now instead of sleeping until their time (the library's own reschedule). */
export async function makeDue(base: Pick<TestBase, 'sql' | 'schema'>, ...ids: string[]): Promise<void> {
  await base.sql(`SELECT FROM "${jobQueueSchema(base.schema)}".reschedule_jobs($1::bigint[], run_at => now())`, [ids]);
}

/** Make every waiting job of `kind` (optionally of one company) due now. */
export async function makeKindDue(base: Pick<TestBase, 'sql' | 'schema'>, kind: string, companyId?: string): Promise<void> {
  const ids = (await jobsOfKind(base, kind)).filter((j) => j.status === 'pending' && (!companyId || j.company_id === companyId)).map((j) => j.id);
  if (ids.length) await makeDue(base, ...ids);
}

export { eventually, sleep } from '../support/waiting';
