import { Client } from 'pg';
import { startTestBase, useTestBase } from '../support/harness';
import { queueJobs, sleep } from './support';

/**
 * SIGTERM path for jobs: the queue takes nothing new, a running job may finish within
 * SHUTDOWN_TIMEOUT_MS, and one that does not is handed back (due at once, unlocked, its attempt not
 * counted) for another instance.
 */
const ENV = { JOBS: 'true', JOBS_POLL_MS: '3600000', SHUTDOWN_TIMEOUT_MS: '1000' };

/** The server's pool is closed by then: read through a connection of our own. */
async function readJob(schema: string, id: string) {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT status, attempts, locked_by, locked_at, wait_ms <= 0 AS due FROM ${queueJobs(schema)} WHERE id = $1`, [id]);
    return rows[0] ?? 'done';
  } finally {
    await client.end();
  }
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('a job that fits the shutdown timeout', () => {
  const base = useTestBase(ENV);

  test('finishes and is recorded done before the pool closes; nothing new is taken', async () => {
    const started = gate();
    let finished = false;
    const ran: string[] = [];
    base.server.jobs.registerHandler('test.slow', async (job) => {
      ran.push(job.id);
      started.open();
      await sleep(300); // real time: a run still going when the stop begins
      finished = true;
    });
    const { id } = await base.server.jobs.enqueue({ kind: 'test.slow' });
    await started.opened;

    const stopping = base.server.stop();
    const late = await base.server.jobs.enqueue({ kind: 'test.slow' }); // the pool stays open while the job runs
    await stopping;

    expect(finished).toBe(true);
    expect(ran).toEqual([id]);
    expect(await readJob(base.schema, id)).toBe('done');
    expect(await readJob(base.schema, late.id)).toMatchObject({ status: 'pending', locked_by: null });
  });
});

describe('a job that outlives the shutdown timeout', () => {
  const base = useTestBase(ENV);

  test('is handed back, due at once, and another instance runs it', async () => {
    const started = gate();
    const letGo = gate();
    let aborted = false;
    base.server.jobs.registerHandler('test.endless', async (job) => {
      started.open();
      job.signal.addEventListener('abort', () => (aborted = true));
      await letGo.opened; // ignores the abort: the hand-back must not depend on the handler
    });
    const { id } = await base.server.jobs.enqueue({ kind: 'test.endless' });
    await started.opened;

    // Real time: the shutdown timeout is what is tested.
    const stopBegan = Date.now();
    await base.server.stop();
    const stopTook = Date.now() - stopBegan;
    expect(stopTook).toBeGreaterThanOrEqual(950);
    // Bounded by the timeout, not by the handler (which never finishes); room for a loaded machine.
    expect(stopTook).toBeLessThan(4000);
    expect(aborted).toBe(true);
    expect(await readJob(base.schema, id)).toEqual({ status: 'pending', attempts: 0, locked_by: null, locked_at: null, due: true });

    // nothing is lost: the next instance picks it up
    const next = await startTestBase({ DATABASE_SCHEMA: base.schema }, { clock: base.clock });
    try {
      const ran: string[] = [];
      next.server.jobs.registerHandler('test.endless', async (job) => {
        ran.push(job.id);
      });
      await next.server.jobs.runOnce();
      expect(ran).toEqual([id]);
      expect(await readJob(base.schema, id)).toBe('done');
    } finally {
      letGo.open(); // the first instance's run ends late; its outcome is no longer recorded
      await next.close(); // drops only its own (unused) schema name
    }
  });
});
