import { randomUUID } from 'node:crypto';
import { jobQueueSchema } from '../../migrations/support/job-queue';
import { useTestBase } from '../support/harness';
import { createAgency, freshCaller } from '../support/fixtures';
import { jobsOfKind, queueJobs } from './support';

/**
 * Retention by design: every table that grows with time is bounded. History is partitioned by
 * month and dropped a month at a time past HISTORY_RETENTION_MONTHS; jobs that failed for good, read
 * notifications, rate-counter windows and call-budget records are pruned by periodic jobs (the job
 * queue deletes a job that succeeded itself). The prunes' cut-offs are on the Base's clock, so rows
 * are aged against it (or it is moved); history months are the database's own (see src/jobs/upkeep.ts).
 */
const base = useTestBase({ HISTORY_RETENTION_MONTHS: '12', JOBS_FAILED_RETENTION_DAYS: '30' });
const DAY_MS = 86_400_000;

/** Runs one periodic task now, as its schedule would at its minute, and checks it succeeded (it is gone). */
async function runPeriodic(name: string): Promise<void> {
  await base.server.jobs.triggerPeriodic(name);
  await base.server.jobs.runOnce();
  expect(await jobsOfKind(base, `periodic:${name}`)).toEqual([]);
}

/** `count` jobs of `kind` that failed for good, last changed `ageDays` before the Base's now. */
async function failedJobs(kind: string, count: number, ageDays: number): Promise<string[]> {
  const queue = `"${jobQueueSchema(base.schema)}"`;
  const rows = await base.sql<{ id: string }>(
    `SELECT (${queue}.add_job($1, '{}'::json, max_attempts => 1)).id::text AS id FROM generate_series(1, $2)`,
    [kind, count],
  );
  const ids = rows.map((r) => r.id);
  await base.sql(`SELECT FROM ${queue}.permanently_fail_jobs($1::bigint[], 'gave up')`, [ids]);
  await base.sql(`UPDATE ${queue}._private_jobs SET updated_at = $3::timestamptz - $2 * interval '1 day' WHERE id = ANY($1::bigint[])`, [ids, ageDays, base.clock.now()]);
  return ids;
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
    const actor = await freshCaller(base);
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
    const actor = await freshCaller(base);
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

test('jobs that failed for good are removed past JOBS_FAILED_RETENTION_DAYS (by the clock); recent ones and waiting ones stay', async () => {
  const [oldFailed] = await failedJobs('test.finished', 1, 31);
  const [recentFailed] = await failedJobs('test.finished', 1, 29);
  const { id: waiting } = await base.server.jobs.enqueue({ kind: 'test.finished', runAt: new Date(Date.now() + 86_400_000) });
  await base.sql(`UPDATE "${jobQueueSchema(base.schema)}"._private_jobs SET updated_at = $2::timestamptz - interval '90 days' WHERE id = $1`, [waiting, base.clock.now()]);

  await runPeriodic('jobs.remove-failed');
  const left = (await jobsOfKind(base, 'test.finished')).map((r) => r.id).sort();
  expect(left).toEqual([recentFailed, waiting].sort());
  expect(left).not.toContain(oldFailed);
});

test('read notifications go NOTIFICATION_READ_MAX_AGE_DAYS after being read, by the clock, in every company; unread ones stay', async () => {
  const companies = [randomUUID(), randomUUID()];
  for (const companyId of companies) {
    await base.sql(
      `INSERT INTO notifications (company_id, recipient_id, event_id, kind, title, entity_type, entity_id, created_by, created_at, read_at)
       SELECT $1, 'reader', gen_random_uuid(), 'task.assigned', t.title, 'Task', gen_random_uuid(), 'someone', $2::timestamptz - interval '40 days', t.read_at
         FROM (VALUES ('read long ago', $2::timestamptz - interval '10 days'), ('read lately', $2::timestamptz - interval '2 days'), ('unread', NULL::timestamptz)) AS t(title, read_at)`,
      [companyId, base.clock.now()],
    );
  }
  const left = async () =>
    base.sql<{ title: string; n: number }>(
      `SELECT title, count(*)::int AS n FROM notifications WHERE company_id = ANY($1) GROUP BY title ORDER BY title`,
      [companies],
    );
  const all = [{ title: 'read lately', n: 2 }, { title: 'read long ago', n: 2 }, { title: 'unread', n: 2 }];
  await runPeriodic('notification.remove-read');
  expect(await left()).toEqual(all);

  base.clock.advance(20 * DAY_MS - 60_000); // "read long ago" is a minute short of 30 days
  await runPeriodic('notification.remove-read');
  expect(await left()).toEqual(all);

  base.clock.advance(60_000);
  await runPeriodic('notification.remove-read');
  expect(await left()).toEqual([{ title: 'read lately', n: 2 }, { title: 'unread', n: 2 }]);
});

test('rate-counter windows and call-budget records past their window are removed; current ones stay', async () => {
  const companyId = randomUUID();
  const now = base.clock.now();
  await base.sql(
    `INSERT INTO rate_counters (company_id, key, window_start, count) VALUES
       ($1, 'ai', $2::timestamptz - interval '2 hours', 3), ($1, 'ai', $2::timestamptz - interval '10 minutes', 1), ($1, 'other', $2::timestamptz - interval '3 days', 9)`,
    [companyId, now],
  );
  await base.sql(`INSERT INTO call_budget_calls (budget, at) VALUES ('xero:old', $1::timestamptz - interval '25 hours'), ('xero:old', $1::timestamptz - interval '1 hour')`, [now]);
  await base.sql(`INSERT INTO call_budget_pauses (budget, until) VALUES ('xero:gone', $1::timestamptz - interval '1 minute'), ('xero:paused', $1::timestamptz + interval '1 hour')`, [now]);

  await runPeriodic('rate-counters.remove-old');
  await runPeriodic('call-budgets.remove-old');
  expect(await base.sql(`SELECT key, count FROM rate_counters WHERE company_id = $1`, [companyId])).toEqual([{ key: 'ai', count: 1 }]);
  expect(await base.sql(`SELECT count(*)::int AS n FROM call_budget_calls WHERE budget = 'xero:old'`)).toEqual([{ n: 1 }]);
  expect(await base.sql(`SELECT budget FROM call_budget_pauses WHERE budget IN ('xero:gone', 'xero:paused')`)).toEqual([{ budget: 'xero:paused' }]);
});

test('/metrics counts jobs waiting and running only, never the failed ones kept for a person to see', async () => {
  const failed = await failedJobs('test.history', 2000, 1);
  await base.server.jobs.enqueue({ kind: 'test.history', runAt: new Date(Date.now() + 86_400_000) });
  const [expected] = await base.sql<{ pending: number; running: number }>(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'running')::int AS running FROM ${queueJobs(base.schema)}`,
  );
  expect(await base.server.jobs.counts()).toEqual(expected);
  expect(expected.pending).toBeGreaterThan(0);
  const scrape = await base.server.metrics.registry.getSingleMetricAsString('jobs');
  expect(scrape).toContain(`jobs{status="pending"} ${expected.pending}`);
  await base.sql(`SELECT FROM "${jobQueueSchema(base.schema)}".complete_jobs($1::bigint[])`, [failed]);
});
