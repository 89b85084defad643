import { startTestBase, TestBase } from '../support/harness';
import { eventually, jobRow, jobsOfKind, sleep } from './support';

/** Two instances (two servers, two pools) over one schema, as N replicas share one PostgreSQL. */
let first: TestBase;
let second: TestBase;
beforeAll(async () => {
  first = await startTestBase({ JOBS_CONCURRENCY: '3' });
  second = await startTestBase({ JOBS_CONCURRENCY: '3', DATABASE_SCHEMA: first.schema }, { clock: first.clock });
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

test('two instances racing over many jobs never run one job twice', async () => {
  const executions = new Map<string, number>();
  const perInstance = [0, 0];
  [first, second].forEach((base, instance) =>
    base.server.jobs.registerHandler('test.race', async (job) => {
      executions.set(job.id, (executions.get(job.id) ?? 0) + 1);
      perInstance[instance]++;
      await sleep(Math.random() * 4); // real time: runs of different lengths interleave the two instances
    }),
  );
  const total = 120;
  const ids: string[] = [];
  for (let i = 0; i < total; i++) ids.push((await first.server.jobs.enqueue({ kind: 'test.race', payload: { i } })).id);

  const left = async () => (await jobsOfKind(first, 'test.race')).length;
  const drain = async (base: TestBase) => {
    for (;;) {
      if ((await base.server.jobs.runOnce()) > 0) continue;
      if ((await left()) === 0) return;
      await sleep(5); // the other instance holds what is left: look again (polling, ended by the queue emptying)
    }
  };
  await Promise.all([drain(first), drain(second)]);

  expect(executions.size).toBe(total);
  expect([...executions.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  expect(new Set(ids)).toEqual(new Set(executions.keys()));
  expect(perInstance[0]).toBeGreaterThan(0); // both took part, or the race proved nothing
  expect(perInstance[1]).toBeGreaterThan(0);
});

test('a periodic task is added once however many instances add it at its minute, and runs on one instance at a time', async () => {
  const runs: string[] = [];
  let active = 0;
  let mostAtOnce = 0;
  const hold = gate();
  const started = gate();
  const sweep = (name: string) => async () => {
    runs.push(name);
    mostAtOnce = Math.max(mostAtOnce, ++active);
    if (runs.length === 2) {
      started.open();
      await hold.opened;
    }
    active--;
  };
  first.server.jobs.registerPeriodic('test.sweep', 3600_000, sweep('first'));
  second.server.jobs.registerPeriodic('test.sweep', 3600_000, sweep('second'));
  const runBoth = () => Promise.all([first.server.jobs.runOnce(), second.server.jobs.runOnce()]);

  await Promise.all([first.server.jobs.triggerPeriodic('test.sweep'), second.server.jobs.triggerPeriodic('test.sweep')]);
  expect(await jobsOfKind(first, 'periodic:test.sweep')).toHaveLength(1);
  await runBoth();
  expect(runs).toHaveLength(1);
  await runBoth();
  expect(runs).toHaveLength(1); // nothing more until its next minute

  // A run that outlasts its period: the next one waits for it, on whichever instance.
  await first.server.jobs.triggerPeriodic('test.sweep');
  const long = first.server.jobs.runOnce();
  await started.opened;
  await second.server.jobs.triggerPeriodic('test.sweep');
  expect(await second.server.jobs.runOnce()).toBe(0);
  hold.open();
  await long;
  await runBoth();
  expect(runs).toHaveLength(3);
  expect(mostAtOnce).toBe(1);
  expect(await jobsOfKind(first, 'periodic:test.sweep')).toEqual([]);
});

describe('taking jobs on their own', () => {
  // An hour between polls: only the wake-up (LISTEN/NOTIFY) can start a job promptly.
  const env = { JOBS: 'true', JOBS_POLL_MS: '3600000' };
  let adding: TestBase;
  let taking: TestBase;
  beforeAll(async () => {
    adding = await startTestBase(env);
    taking = await startTestBase({ ...env, DATABASE_SCHEMA: adding.schema }, { clock: adding.clock });
  });
  afterAll(async () => {
    await taking?.close();
    await adding?.close();
  });

  test('a job added by one instance starts at once on another, without waiting for a poll', async () => {
    const ran: string[] = [];
    // Only the other instance has a handler for it.
    taking.server.jobs.registerHandler('test.elsewhere', async (job) => {
      ran.push(job.id);
    });
    const { id } = await adding.server.jobs.enqueue({ kind: 'test.elsewhere' });
    // Well before the next poll (an hour away): the bound only keeps a failing run short, so it is
    // generous for a busy machine (3 s once ran out under load).
    await eventually(async () => (await jobRow(adding, id)) === undefined, 20_000);
    expect(ran).toEqual([id]);
  });
});
