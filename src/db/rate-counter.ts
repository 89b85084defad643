import type { EntityManager } from 'typeorm';

/** One more call counted in a company's current window of a limit. */
export interface WindowCount {
  /** Calls in this window so far, this one included. */
  count: number;
  /** When the window ends and counting starts again. */
  resetsAt: Date;
}

/**
 * Count one call of `key` for the company in the fixed window of `windowSeconds` that holds `now`
 * (the scope's clock), in PostgreSQL so every instance shares the count. The upsert takes the counter row's lock, so of any
 * number of concurrent calls each sees a distinct count: exactly the limit's worth are under it.
 * Earlier windows of the key are dropped on the way, so a key keeps one row.
 */
export async function countInWindow(manager: EntityManager, companyId: string, key: string, windowSeconds: number, now: Date): Promise<WindowCount> {
  const rows: { count: number; resets_at: Date }[] = await manager.query(
    `WITH window_start AS (
       SELECT to_timestamp(floor(extract(epoch FROM $4::timestamptz) / $3::integer) * $3::integer) AS at
     ), dropped AS (
       DELETE FROM rate_counters
        WHERE company_id = $1 AND key = $2 AND window_start < (SELECT at FROM window_start)
     )
     INSERT INTO rate_counters (company_id, key, window_start, count)
     SELECT $1, $2, at, 1 FROM window_start
     ON CONFLICT (company_id, key, window_start) DO UPDATE SET count = rate_counters.count + 1
     RETURNING count, window_start + make_interval(secs => $3::integer) AS resets_at`,
    [companyId, key, windowSeconds, now],
  );
  return { count: Number(rows[0].count), resetsAt: new Date(rows[0].resets_at) };
}
