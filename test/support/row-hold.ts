import { Client } from 'pg';
import type { TestBase } from './harness';
import { eventually } from './waiting';

/**
 * A row held `FOR UPDATE` by a session of the test's own, so that requests racing for it line up in
 * the order the test starts them: start one, wait until it waits, start the next, wait, release.
 * Each request then meets the others' locks as the database decides them, but in a known order.
 */
export interface RowHold {
  /** Resolves once `count` sessions wait, directly or behind another waiter, on this session's locks. */
  waiting(count: number): Promise<void>;
  /** Commit: the waiters go on, first come first served. */
  release(): Promise<void>;
}

export async function holdRow(base: TestBase, table: string, id: string): Promise<RowHold> {
  const client = new Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${base.schema}` });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`SELECT 1 FROM "${table}" WHERE id = $1 FOR UPDATE`, [id]);
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  // Everyone blocked by this session, or by someone it blocks (a second waiter queues behind the first).
  const blocked = `WITH RECURSIVE blocked(pid) AS (
      SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))
      UNION SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY(pg_blocking_pids(a.pid))
    ) SELECT count(*)::int AS n FROM blocked`;
  return {
    async waiting(count) {
      // Asked on another connection: inside its transaction this session would see a frozen pg_stat_activity.
      await eventually(async () => (await base.sql<{ n: number }>(blocked, [pid]))[0].n >= count, 10_000, `${count} sessions waiting on ${table} ${id}`);
    },
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}
