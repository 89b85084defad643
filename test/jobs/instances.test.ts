import { startTestBase, TestBase } from '../support/harness';
import { sleep } from './support';

/** Two instances (two servers, two pools) over one schema, as N replicas share one PostgreSQL. */
let first: TestBase;
let second: TestBase;
beforeAll(async () => {
  first = await startTestBase({ JOBS_CONCURRENCY: '3' });
  second = await startTestBase({ JOBS_CONCURRENCY: '3', DATABASE_SCHEMA: first.schema });
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

test('two runners racing over many jobs never run one job twice', async () => {
  const executions = new Map<string, number>();
  const perRunner = [0, 0];
  [first, second].forEach((base, runner) =>
    base.server.jobs.registerHandler('test.race', async (job) => {
      executions.set(job.id, (executions.get(job.id) ?? 0) + 1);
      perRunner[runner]++;
      await sleep(Math.random() * 4);
    }),
  );
  const total = 120;
  const ids: string[] = [];
  for (let i = 0; i < total; i++) ids.push((await first.server.jobs.enqueue({ kind: 'test.race', payload: { i } })).id);

  const left = async () =>
    (await first.sql<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE kind = 'test.race' AND status <> 'done'`))[0].n;
  const drain = async (base: TestBase) => {
    for (;;) {
      if ((await base.server.jobs.runOnce()) > 0) continue;
      if ((await left()) === 0) return;
      await sleep(5); // the other runner holds what is left
    }
  };
  await Promise.all([drain(first), drain(second)]);

  expect(executions.size).toBe(total);
  expect([...executions.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  expect(new Set(ids)).toEqual(new Set(executions.keys()));
  expect(perRunner[0]).toBeGreaterThan(0); // both took part, or the race proved nothing
  expect(perRunner[1]).toBeGreaterThan(0);
});

test('a periodic task runs once per period across two runners', async () => {
  const runs: string[] = [];
  first.server.jobs.registerPeriodic('test.sweep', 3600_000, async () => {
    runs.push('first');
  });
  second.server.jobs.registerPeriodic('test.sweep', 3600_000, async () => {
    runs.push('second');
  });
  const tickBoth = () => Promise.all([first.server.jobs.runOnce(), second.server.jobs.runOnce()]);

  await tickBoth();
  expect(runs).toHaveLength(1);
  await tickBoth();
  await tickBoth();
  expect(runs).toHaveLength(1); // next one is an hour away

  const rows = await first.sql<{ status: string; wait_ms: number }>(
    `SELECT status, (extract(epoch FROM run_at - updated_at) * 1000)::float8 AS wait_ms FROM jobs WHERE kind = 'periodic:test.sweep'`,
  );
  expect(rows).toEqual([{ status: 'pending', wait_ms: 3600_000 }]);

  await first.sql(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE kind = 'periodic:test.sweep'`);
  await tickBoth();
  await tickBoth();
  expect(runs).toHaveLength(2);
});

test('the built-in sweep removes old done jobs and keeps recent ones', async () => {
  first.server.jobs.registerHandler('test.old', async () => undefined);
  const old = await first.server.jobs.enqueue({ kind: 'test.old' });
  const recent = await first.server.jobs.enqueue({ kind: 'test.old' });
  await first.server.jobs.runOnce();
  await first.sql(`UPDATE jobs SET updated_at = now() - interval '8 days' WHERE id = $1`, [old.id]);
  await first.sql(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE kind = 'periodic:jobs.remove-finished'`);
  await first.server.jobs.runOnce();
  const left = await first.sql<{ id: string; status: string }>(`SELECT id, status FROM jobs WHERE kind = 'test.old'`);
  expect(left).toEqual([{ id: recent.id, status: 'done' }]);
});
