import { randomUUID } from 'node:crypto';
import { useTestBase } from '../support/harness';
import { createAgency, freshActor } from '../support/fixtures';

/**
 * Retention by design: every table that grows with time is bounded. History is partitioned by
 * month and dropped a month at a time past HISTORY_RETENTION_MONTHS; finished jobs, read
 * notifications, rate-counter windows and call-budget records are pruned by periodic jobs.
 */
const base = useTestBase({ HISTORY_RETENTION_MONTHS: '12', JOBS_DONE_RETENTION_DAYS: '7', JOBS_FAILED_RETENTION_DAYS: '30' });

/** Runs one periodic task now, as its schedule would. */
async function runPeriodic(name: string): Promise<void> {
  await base.server.jobs.runOnce(); // schedules the periodic tasks' rows
  const [row] = await base.sql<{ id: string }>(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE kind = $1 AND status = 'pending' RETURNING id`, [`periodic:${name}`]);
  if (!row) throw new Error(`no periodic task ${name}`);
  await base.server.jobs.runOnce();
  const [after] = await base.sql<{ status: string; last_error: string | null }>(`SELECT status, last_error FROM jobs WHERE id = $1`, [row.id]);
  expect(after).toEqual({ status: 'pending', last_error: null });
}

const monthName = (offset: number) => {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return `domain_events_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
const monthStart = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString();
};
const partitions = async () =>
  (await base.sql<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1`,
    [`"${base.schema}".domain_events`],
  )).map((r) => r.name);

describe('history (domain events)', () => {
  test('is partitioned by month, with the coming months ready and a default partition', async () => {
    const names = await partitions();
    for (const offset of [0, 1, 2, 3]) expect(names).toContain(monthName(offset));
    expect(names).toContain('domain_events_default');
    const actor = await freshActor(base);
    const agency = await createAgency(base, actor);
    const [row] = await base.sql<{ partition: string }>(`SELECT tableoid::regclass::text AS partition FROM domain_events WHERE entity_id = $1`, [agency.id]);
    expect(row.partition.replace(/^.*\./, '')).toBe(monthName(0));
  });

  test("the service's role reads history only through the parent (row-level security): a partition itself is refused", async () => {
    const role = base.server.dataSource;
    await expect(role.query(`SELECT count(*) FROM ${monthName(0)}`)).rejects.toThrow(/permission denied/);
    await expect(role.query(`UPDATE retention_settings SET months = 1`)).rejects.toThrow(/permission denied/);
    expect(await base.sql(`SELECT months FROM retention_settings WHERE subject = 'history'`)).toEqual([{ months: 12 }]);
  });

  test('months past HISTORY_RETENTION_MONTHS are dropped whole; the kept months and the next ones stay', async () => {
    const actor = await freshActor(base);
    const agency = await createAgency(base, actor);
    const old = monthName(-14);
    const kept = monthName(-11);
    for (const [name, offset] of [[old, -14], [kept, -11]] as const) {
      await base.sql(`CREATE TABLE ${name} PARTITION OF domain_events FOR VALUES FROM ('${monthStart(offset)}') TO ('${monthStart(offset + 1)}')`);
      await base.sql(
        `INSERT INTO domain_events (company_id, type, entity_type, entity_id, actor_id, version, occurred_at)
         VALUES ($1, 'agency.updated', 'Agency', $2, 'someone', 1, date_trunc('month', now()) + $3 * interval '1 month' + interval '2 days')`,
        [actor.companyId, agency.id, offset],
      );
    }
    await base.sql(`DROP TABLE ${monthName(3)}`); // the upkeep makes it again
    const history = async () => (await base.rest('GET', `/api/agencies/${agency.id}/history?limit=100`, { as: actor })).body.data.length;
    expect(await history()).toBe(3);

    await runPeriodic('history.maintain-partitions');
    const names = await partitions();
    expect(names).not.toContain(old);
    expect(names).toContain(kept);
    expect(names).toContain(monthName(3));
    expect(await history()).toBe(2);
  });
});

test('finished jobs: done ones past JOBS_DONE_RETENTION_DAYS and failed ones past JOBS_FAILED_RETENTION_DAYS are removed', async () => {
  const insert = (status: string, ageDays: number) =>
    base.sql<{ id: string }>(
      `INSERT INTO jobs (kind, status, attempts, max_attempts, updated_at) VALUES ('test.finished', $1, 1, 1, now() - $2 * interval '1 day') RETURNING id`,
      [status, ageDays],
    ).then(([r]) => r.id);
  const oldDone = await insert('done', 8);
  const recentDone = await insert('done', 6);
  const oldFailed = await insert('failed', 31);
  const recentFailed = await insert('failed', 20);
  const waiting = await base.sql<{ id: string }>(`INSERT INTO jobs (kind, run_at, updated_at) VALUES ('test.finished', now() + interval '1 day', now() - interval '90 days') RETURNING id`).then(([r]) => r.id);

  await runPeriodic('jobs.remove-finished');
  const left = (await base.sql<{ id: string }>(`SELECT id FROM jobs WHERE kind = 'test.finished'`)).map((r) => r.id).sort();
  expect(left).toEqual([recentDone, recentFailed, waiting].sort());
  expect(left).not.toContain(oldDone);
  expect(left).not.toContain(oldFailed);
});

test('read notifications go NOTIFICATION_READ_MAX_AGE_DAYS after being read, in every company; unread ones stay', async () => {
  const companies = [randomUUID(), randomUUID()];
  for (const companyId of companies) {
    await base.sql(
      `INSERT INTO notifications (company_id, recipient_id, event_id, kind, title, entity_type, entity_id, created_by, created_at, read_at)
       SELECT $1, 'reader', gen_random_uuid(), 'task.assigned', t.title, 'Task', gen_random_uuid(), 'someone', now() - interval '40 days', t.read_at
         FROM (VALUES ('read long ago', now() - interval '31 days'), ('read lately', now() - interval '2 days'), ('unread', NULL::timestamptz)) AS t(title, read_at)`,
      [companyId],
    );
  }
  await runPeriodic('notification.remove-read');
  const left = await base.sql<{ title: string; n: number }>(
    `SELECT title, count(*)::int AS n FROM notifications WHERE company_id = ANY($1) GROUP BY title ORDER BY title`,
    [companies],
  );
  expect(left).toEqual([{ title: 'read lately', n: 2 }, { title: 'unread', n: 2 }]);
});

test('rate-counter windows and call-budget records past their window are removed; current ones stay', async () => {
  const companyId = randomUUID();
  await base.sql(
    `INSERT INTO rate_counters (company_id, key, window_start, count) VALUES
       ($1, 'ai', now() - interval '2 hours', 3), ($1, 'ai', now() - interval '10 minutes', 1), ($1, 'other', now() - interval '3 days', 9)`,
    [companyId],
  );
  await base.sql(`INSERT INTO call_budget_calls (budget, at) VALUES ('xero:old', now() - interval '25 hours'), ('xero:old', now() - interval '1 hour')`);
  await base.sql(`INSERT INTO call_budget_pauses (budget, until) VALUES ('xero:gone', now() - interval '1 minute'), ('xero:paused', now() + interval '1 hour')`);

  await runPeriodic('rate-counters.remove-old');
  await runPeriodic('call-budgets.remove-old');
  expect(await base.sql(`SELECT key, count FROM rate_counters WHERE company_id = $1`, [companyId])).toEqual([{ key: 'ai', count: 1 }]);
  expect(await base.sql(`SELECT count(*)::int AS n FROM call_budget_calls WHERE budget = 'xero:old'`)).toEqual([{ n: 1 }]);
  expect(await base.sql(`SELECT budget FROM call_budget_pauses WHERE budget IN ('xero:gone', 'xero:paused')`)).toEqual([{ budget: 'xero:paused' }]);
});

test('/metrics reads job counts through the claim index: waiting and running only, never the finished history', async () => {
  await base.sql(`INSERT INTO jobs (kind, status, attempts, max_attempts) SELECT 'test.history', 'done', 1, 1 FROM generate_series(1, 20000)`);
  await base.sql(`ANALYZE jobs`);
  const [{ 'QUERY PLAN': plan }] = await base.sql<{ 'QUERY PLAN': unknown }>(
    `EXPLAIN (FORMAT JSON) SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'running')::int AS running
       FROM jobs WHERE status IN ('pending', 'running')`,
  );
  expect(JSON.stringify(plan)).not.toContain('Seq Scan');
  expect(JSON.stringify(plan)).toContain('Index');
  expect(Object.keys(await base.server.jobs.counts()).sort()).toEqual(['pending', 'running']);
  await base.sql(`DELETE FROM jobs WHERE kind = 'test.history'`);
});
