import { EventEmitter } from 'node:events';
import type { EntityManager } from 'typeorm';

/** What to run, and when. */
export interface JobSpec {
  kind: string;
  payload?: Record<string, unknown>;
  /** Not before this time; now when absent. */
  runAt?: Date;
  /** The company the work is for; absent for work across companies. */
  companyId?: string | null;
  /**
   * One live job per key: enqueueing the same key again while the job waits moves it (new `runAt`
   * and payload) instead of adding a second one. While it runs, the running job stands.
   */
  dedupeKey?: string;
  maxAttempts?: number;
}

export interface Enqueued {
  id: string;
  /** false: a job with the same dedupe key already existed (and was moved if it was waiting). */
  created: boolean;
}

/** Anything that runs SQL: the caller's transaction (an EntityManager) or the data source. */
export type SqlRunner = Pick<EntityManager, 'query'>;

/** In-process signal that work was enqueued, so a local runner looks now instead of at its next poll. */
export const jobWakeups = new EventEmitter();
jobWakeups.setMaxListeners(0);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Add a job. Pass the EntityManager of the transaction that makes the change needing it, so both
 * commit or neither does.
 */
export async function enqueueJob(sql: SqlRunner, spec: JobSpec): Promise<Enqueued> {
  if (!spec.kind?.trim()) throw new Error('enqueueJob: kind is required');
  if (spec.runAt !== undefined && Number.isNaN(spec.runAt.getTime())) throw new Error('enqueueJob: runAt is not a valid date');
  if (spec.maxAttempts !== undefined && !(Number.isInteger(spec.maxAttempts) && spec.maxAttempts >= 1)) {
    throw new Error('enqueueJob: maxAttempts must be a positive integer');
  }
  if (spec.companyId != null && !UUID.test(spec.companyId)) throw new Error('enqueueJob: companyId must be a uuid');

  const params = [
    spec.kind,
    JSON.stringify(spec.payload ?? {}),
    spec.runAt ?? null,
    spec.companyId ?? null,
    spec.dedupeKey ?? null,
    spec.maxAttempts ?? 5,
  ];
  const insert = `
    INSERT INTO jobs (kind, payload, run_at, company_id, dedupe_key, max_attempts)
    VALUES ($1, $2::jsonb, coalesce($3::timestamptz, now()), $4, $5, $6)`;
  let row: { id: string; created: boolean } | undefined;
  if (spec.dedupeKey === undefined) {
    [row] = await sql.query(`${insert} RETURNING id, true AS created`, params);
  }
  // With a key: insert, or move the waiting job; a running one stands. Looping covers the job
  // finishing between the two statements (its key is free again).
  for (let round = 0; !row && round < 3; round++) {
    // xmax = 0 only on a freshly inserted row: tells "created" from "moved".
    [row] = await sql.query(
      `${insert}
       ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'running')
       DO UPDATE SET run_at = EXCLUDED.run_at, payload = EXCLUDED.payload,
                     max_attempts = EXCLUDED.max_attempts, updated_at = now()
         WHERE jobs.status = 'pending'
       RETURNING id, (xmax = 0) AS created`,
      params,
    );
    row ??= (
      await sql.query(`SELECT id, false AS created FROM jobs WHERE dedupe_key = $1 AND status IN ('pending', 'running')`, [
        spec.dedupeKey,
      ])
    )[0];
  }
  if (!row) throw new Error(`enqueueJob: could not schedule ${spec.kind} under key ${spec.dedupeKey}`);
  jobWakeups.emit('enqueued');
  return { id: row.id, created: row.created };
}
