import type { Logger } from 'pino';
import type { Config } from '../config';
import type { CrossCompanyAccess } from './cross-company';
import type { JobQueue } from './queue';

const HOUR_MS = 3600_000;
/** Most rows one pruning statement removes: no statement holds many row locks or runs long. */
const PRUNE_BATCH = 1000;

/**
 * Deletes the rows of `table` matching `where` (an index must serve it), a bounded batch a
 * statement, until none is left or the run is stopped.
 */
export async function pruneInBatches(
  access: CrossCompanyAccess,
  signal: AbortSignal,
  table: string,
  where: string,
  params: unknown[],
  batch = PRUNE_BATCH,
): Promise<number> {
  let removed = 0;
  while (!signal.aborted) {
    // Counted in SQL: through TypeORM a DELETE answers [rows, count], not its rows.
    const [{ n }] = await access.query<{ n: number }>(
      `WITH removed AS (
         DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${where} LIMIT ${batch} FOR UPDATE SKIP LOCKED) RETURNING 1
       ) SELECT count(*)::int AS n FROM removed`,
      params,
    );
    removed += n;
    if (n < batch) break;
  }
  return removed;
}

/**
 * The kit's own retention, beside the families' (`retention` in a family module): every table that
 * grows with time has a bound here or there.
 */
export function registerUpkeep(queue: JobQueue, config: Config, logger: Logger): void {
  // graphile-worker deletes a job once it succeeds and keeps the ones that failed for good.
  queue.registerPeriodic('jobs.remove-failed', HOUR_MS, async (_access, { signal, clock }) => {
    await queue.removeFailed(config.jobs.failedRetentionDays, clock.now(), signal);
  });

  // Partitions of the coming months ahead of time; past the owner's retention, old months dropped
  // whole (migrations/1764003000000-Retention.ts). Runs as the owner through its function, on the
  // database's own time: a function of the owner that took the time as an argument would let its
  // caller drop any month of history.
  queue.registerPeriodic('history.maintain-partitions', 6 * HOUR_MS, async (access) => {
    const actions = await access.query<{ action: string; partition_name: string }>(`SELECT action, partition_name FROM maintain_domain_event_partitions()`);
    if (actions.length) logger.info({ component: 'jobs', partitions: actions }, 'history partitions maintained');
  });

  // A fixed window's counter matters until its window ends; the longest window any limit uses bounds them all.
  queue.registerPeriodic('rate-counters.remove-old', HOUR_MS, async (access, { signal, clock }) => {
    await pruneInBatches(access, signal, 'rate_counters', `window_start < $2::timestamptz - $1 * interval '1 second'`, [config.ai.windowSeconds, clock.now()]);
  });

  // Call budgets look back one day (src/jobs/call-budget.ts); a budget no longer called keeps nothing.
  queue.registerPeriodic('call-budgets.remove-old', HOUR_MS, async (access, { signal, clock }) => {
    const now = clock.now();
    await pruneInBatches(access, signal, 'call_budget_calls', `at < $1::timestamptz - interval '1 day'`, [now]);
    await pruneInBatches(access, signal, 'call_budget_pauses', `until < $1::timestamptz`, [now]);
  });
}
