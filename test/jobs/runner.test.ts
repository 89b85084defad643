import { randomUUID } from 'node:crypto';
import { jobQueueSchema } from '../../migrations/support/job-queue';
import { enqueueJob } from '../../src/jobs/enqueue';
import type { Job } from '../../src/jobs/queue';
import { RetryAfterError, retryDelayMs } from '../../src/jobs/retry';
import { useTestBase } from '../support/harness';
import { eventually, jobRow, jobsOfKind, makeDue, queueJobs, sleep } from './support';

/** The queue on one instance, run by hand (JOBS=false: it takes no job on its own). */
const base = useTestBase();
const jobs = () => base.server.jobs;

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

test('a job runs once with its payload, company and attempt, and is gone once done', async () => {
  const seen: Job[] = [];
  let jobsVisible = -1;
  jobs().registerHandler('test.success', async (job, data) => {
    seen.push(job);
    // the cross-company access reads the queue itself, whatever the company
    jobsVisible = (await data.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${jobQueueSchema(base.schema)}".jobs WHERE task_identifier = 'test.success'`))[0].n;
  });
  const company = randomUUID();
  const { id, created } = await jobs().enqueue({ kind: 'test.success', payload: { holdId: 'h1' }, companyId: company });
  expect(created).toBe(true);
  expect(await jobRow(base, id)).toMatchObject({ status: 'pending', company_id: company, payload: { holdId: 'h1' }, attempts: 0 });

  expect(await jobs().runOnce()).toBeGreaterThanOrEqual(1);
  expect(seen).toHaveLength(1);
  expect(seen[0]).toMatchObject({ id, kind: 'test.success', payload: { holdId: 'h1' }, companyId: company, attempt: 1 });
  expect(seen[0].clock).toBe(base.clock); // the server's clock, as every run's
  expect(jobsVisible).toBe(1);
  expect(await jobRow(base, id)).toBeUndefined(); // the library deletes a job that succeeded

  await jobs().runOnce();
  expect(seen).toHaveLength(1);
});

test("a failing job is retried with the library's growing backoff, then failed with its last error", async () => {
  const attempts: number[] = [];
  jobs().registerHandler('test.failing', async (job) => {
    attempts.push(job.attempt);
    throw new Error(`boom ${job.attempt}`);
  });
  const { id } = await jobs().enqueue({ kind: 'test.failing', maxAttempts: 4 });

  const waits: number[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    await jobs().runOnce();
    const row = (await jobRow(base, id))!;
    expect(row).toMatchObject({ status: 'pending', attempts: attempt, last_error: `Error: boom ${attempt}`, locked_by: null });
    // graphile-worker waits e^attempts seconds (2.7 s, 7.4 s, 20 s …) from when it recorded the
    // failure: at most that, and more than the attempt before waited in all
    expect(row.wait_ms).toBeLessThanOrEqual(Math.exp(attempt) * 1000);
    expect(row.wait_ms).toBeGreaterThan(Math.exp(attempt - 1) * 1000);
    waits.push(row.wait_ms);
    await jobs().runOnce(); // not due yet: nothing happens
    expect(attempts).toHaveLength(attempt);
    await makeDue(base, id);
  }
  expect(waits[1]).toBeGreaterThan(waits[0]);
  expect(waits[2]).toBeGreaterThan(waits[1]);

  await jobs().runOnce();
  expect(await jobRow(base, id)).toMatchObject({ status: 'failed', attempts: 4, last_error: 'Error: boom 4', locked_by: null });
  expect(attempts).toEqual([1, 2, 3, 4]);
  expect(await base.server.metrics.registry.getSingleMetricAsString('jobs_finished_total')).toMatch(/jobs_finished_total\{status="failed"\} [1-9]/);

  await makeDue(base, id);
  await jobs().runOnce();
  expect(attempts).toHaveLength(4); // failed is final
});

test('the backoff work chooses itself (RetryAfterError) grows, is capped, and jitters within [d/2, d]', () => {
  const policy = { baseMs: 1000, maxMs: 8000 };
  expect([1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(n, policy, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000, 4000]);
  expect(retryDelayMs(1000, policy, () => 0.5)).toBe(6000); // huge attempt counts do not overflow
});

test('"retry after" schedules the work again after the given delay without counting an attempt', async () => {
  const attempts: number[] = [];
  jobs().registerHandler('test.rate-limited', async (job) => {
    attempts.push(job.attempt);
    if (attempts.length === 1) throw new RetryAfterError(30_000, 'Xero said 429');
  });
  const company = randomUUID();
  const { id } = await jobs().enqueue({ kind: 'test.rate-limited', maxAttempts: 1, companyId: company, payload: { n: 1 } });

  await jobs().runOnce();
  expect(await jobRow(base, id)).toBeUndefined();
  const [again] = await jobsOfKind(base, 'test.rate-limited');
  expect(again).toMatchObject({ status: 'pending', attempts: 0, max_attempts: 1, company_id: company, payload: { n: 1 } });
  expect(again.wait_ms).toBeGreaterThan(20_000); // the asked 30 s, not the library's backoff (2.7 s)
  expect(again.wait_ms).toBeLessThanOrEqual(30_000);
  await jobs().runOnce();
  expect(attempts).toEqual([1]);

  await makeDue(base, again.id);
  await jobs().runOnce();
  expect(attempts).toEqual([1, 1]); // still the first attempt; maxAttempts 1 was not used up
  expect(await jobsOfKind(base, 'test.rate-limited')).toEqual([]);
});

test('a dedupe key keeps one waiting job: scheduling again moves it', async () => {
  const runs: unknown[] = [];
  jobs().registerHandler('test.expire-hold', async (job) => {
    runs.push(job.payload);
  });
  const key = `expire-hold:${randomUUID()}`;
  const inAnHour = new Date(Date.now() + 3600_000);
  const inTwoHours = new Date(Date.now() + 7200_000);
  const first = await jobs().enqueue({ kind: 'test.expire-hold', dedupeKey: key, runAt: inAnHour, payload: { v: 1 } });
  const again = await jobs().enqueue({ kind: 'test.expire-hold', dedupeKey: key, runAt: inTwoHours, payload: { v: 2 } });
  expect(first.created).toBe(true);
  expect(again).toEqual({ id: first.id, created: false });
  const rows = await base.sql<{ id: string; run_at: Date; payload: unknown }>(`SELECT id, run_at, payload FROM ${queueJobs(base.schema)} WHERE key = $1`, [key]);
  expect(rows).toHaveLength(1);
  expect(rows[0].run_at.getTime()).toBe(inTwoHours.getTime());
  expect(rows[0].payload).toEqual({ v: 2 });

  await makeDue(base, first.id);
  await jobs().runOnce();
  expect(runs).toEqual([{ v: 2 }]);
  // a job that is done no longer holds its key
  const next = await jobs().enqueue({ kind: 'test.expire-hold', dedupeKey: key, runAt: inAnHour, payload: { v: 3 } });
  expect(next.created).toBe(true);
  expect(next.id).not.toBe(first.id);
});

test('a running job stands: scheduling its key again adds a job that runs after it', async () => {
  const started = gate();
  const finish = gate();
  const runs: unknown[] = [];
  jobs().registerHandler('test.keyed-running', async (job) => {
    runs.push(job.payload);
    if (runs.length === 1) {
      started.open();
      await finish.opened;
    }
  });
  const key = `keyed-running:${randomUUID()}`;
  const first = await jobs().enqueue({ kind: 'test.keyed-running', dedupeKey: key, payload: { v: 1 } });
  const running = jobs().runOnce();
  await started.opened;
  const second = await jobs().enqueue({ kind: 'test.keyed-running', dedupeKey: key, payload: { v: 2 } });
  expect(second.created).toBe(true);
  expect(second.id).not.toBe(first.id);
  expect(await jobRow(base, first.id)).toMatchObject({ status: 'running', payload: { v: 1 } });
  finish.open();
  await running;
  await jobs().runOnce();
  expect(runs).toEqual([{ v: 1 }, { v: 2 }]);
  expect(await jobsOfKind(base, 'test.keyed-running')).toEqual([]);
});

test('a job enqueued in a transaction exists only if the transaction commits', async () => {
  const kind = 'test.transactional';
  await expect(
    base.server.dataSource.transaction(async (manager) => {
      await enqueueJob(manager, { kind, payload: { n: 1 } });
      throw new Error('the change failed');
    }),
  ).rejects.toThrow('the change failed');
  expect(await jobsOfKind(base, kind)).toHaveLength(0);

  await base.server.dataSource.transaction((manager) => enqueueJob(manager, { kind, payload: { n: 2 } }));
  expect((await jobsOfKind(base, kind)).map((j) => j.payload)).toEqual([{ n: 2 }]);
});

test('a job scheduled for later does not run before its time, and runs after', async () => {
  let runs = 0;
  jobs().registerHandler('test.later', async () => {
    runs++;
  });
  const { id } = await jobs().enqueue({ kind: 'test.later', runAt: new Date(Date.now() + 3600_000) });
  await jobs().runOnce();
  expect(runs).toBe(0);
  expect((await jobRow(base, id))?.status).toBe('pending');

  await makeDue(base, id);
  await jobs().runOnce();
  expect(runs).toBe(1);
  expect(await jobRow(base, id)).toBeUndefined();
});

test('a handler run is bounded by its timeout: the run is aborted and counts as a failed attempt', async () => {
  let aborted = false;
  jobs().registerHandler(
    'test.hanging',
    (job) =>
      new Promise<void>((resolve) => {
        job.signal.addEventListener('abort', () => {
          aborted = true;
          resolve();
        });
      }),
    { timeoutMs: 100 },
  );
  const { id } = await jobs().enqueue({ kind: 'test.hanging' });
  // Real time: the run's timeout is what is tested.
  const started = Date.now();
  await jobs().runOnce();
  expect(Date.now() - started).toBeLessThan(5000);
  expect(aborted).toBe(true);
  expect(await jobRow(base, id)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'JobTimeoutError: timed out after 100 ms' });
});

test('counts() gives the jobs waiting and running, not the failed ones', async () => {
  jobs().registerHandler('test.counted', async () => undefined);
  await jobs().enqueue({ kind: 'test.counted', runAt: new Date(Date.now() + 3600_000) });
  const counts = await jobs().counts();
  const [byStatus] = await base.sql<Record<string, number>>(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'running')::int AS running FROM ${queueJobs(base.schema)}`,
  );
  expect(counts).toEqual(byStatus);
  expect(counts.pending).toBeGreaterThan(0);
  expect(await base.sql(`SELECT 1 FROM ${queueJobs(base.schema)} WHERE status = 'failed'`)).not.toHaveLength(0); // the failing test's job, not counted
  expect(await base.server.metrics.registry.getSingleMetricAsString('jobs_finished_total')).toMatch(/jobs_finished_total\{status="done"\} [1-9]/);
});

describe('JOBS=false', () => {
  test('starts no worker: nothing is taken however long one waits', async () => {
    expect(jobs().isRunning).toBe(false);
    let runs = 0;
    jobs().registerHandler('test.unattended', async () => {
      runs++;
    });
    const { id } = await jobs().enqueue({ kind: 'test.unattended' });
    await sleep(300); // real time: a worker, had one started, would have taken it by now
    expect(runs).toBe(0);
    expect((await jobRow(base, id))?.status).toBe('pending');
  });
});

describe('JOBS=true', () => {
  // an hour between polls: only the wake-up on enqueue can make the job run promptly
  const running = useTestBase({ JOBS: 'true', JOBS_POLL_MS: '3600000' });

  test('the queue takes jobs on its own and wakes when a job is added', async () => {
    expect(running.server.jobs.isRunning).toBe(true);
    const ran: string[] = [];
    running.server.jobs.registerHandler('test.prompt', async (job) => {
      ran.push(job.id);
    });
    // enqueued inside a transaction: the wake-up comes once it commits
    const { id } = await running.server.dataSource.transaction(async (manager) => {
      const enqueued = await enqueueJob(manager, { kind: 'test.prompt' });
      await sleep(30); // real time: a wake-up sent before the commit would have started it by now
      return enqueued;
    });
    await eventually(async () => (await jobRow(running, id)) === undefined, 3000);
    expect(ran).toEqual([id]);
  });
});
