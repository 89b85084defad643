/** What to run, and when. */
export interface JobSpec {
  kind: string;
  payload?: Record<string, unknown>;
  /** Not before this time; now when absent. */
  runAt?: Date;
  /** The company the work is for; absent for work across companies. */
  companyId?: string | null;
  /**
   * One waiting job per key (graphile-worker's `job_key`, mode `replace`): enqueueing the same key
   * again while the job waits moves it (new `runAt` and payload) instead of adding a second one. A
   * running job stands and runs to its end; the new enqueue then waits behind it as a job of its own,
   * since it may carry news the running one started too early to see.
   */
  dedupeKey?: string;
  maxAttempts?: number;
}

export interface Enqueued {
  id: string;
  /** false: a waiting job with the same dedupe key was moved instead. */
  created: boolean;
}

/** Anything that runs SQL: the caller's transaction (an EntityManager), a data source, the cross-company access. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** graphile-worker keeps attempts in a smallint. */
const MAX_ATTEMPTS_LIMIT = 32767;

/**
 * Add a job. Pass the EntityManager of the transaction that makes the change needing it, so both
 * commit or neither does: graphile-worker's `add_job`, through `enqueue_job`
 * (migrations/1764004000000-JobQueue.ts), on that same connection. Its notice wakes a waiting worker
 * on any instance once the transaction commits.
 */
export async function enqueueJob(sql: SqlRunner, spec: JobSpec): Promise<Enqueued> {
  if (!spec.kind?.trim()) throw new Error('enqueueJob: kind is required');
  if (spec.runAt !== undefined && Number.isNaN(spec.runAt.getTime())) throw new Error('enqueueJob: runAt is not a valid date');
  if (spec.maxAttempts !== undefined && !(Number.isInteger(spec.maxAttempts) && spec.maxAttempts >= 1 && spec.maxAttempts <= MAX_ATTEMPTS_LIMIT)) {
    throw new Error(`enqueueJob: maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}`);
  }
  if (spec.companyId != null && !UUID.test(spec.companyId)) throw new Error('enqueueJob: companyId must be a uuid');
  if (spec.dedupeKey !== undefined && !(spec.dedupeKey.length > 0 && spec.dedupeKey.length <= 512)) {
    throw new Error('enqueueJob: dedupeKey must be 1 to 512 characters');
  }

  const [row] = (await sql.query(
    `SELECT job_id, created FROM enqueue_job($1, $2::jsonb, $3::timestamptz, $4::uuid, $5, $6)`,
    [spec.kind, JSON.stringify(spec.payload ?? {}), spec.runAt ?? null, spec.companyId ?? null, spec.dedupeKey ?? null, spec.maxAttempts ?? 5],
  )) as { job_id: string; created: boolean }[];
  return { id: row.job_id, created: row.created };
}
