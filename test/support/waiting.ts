/**
 * Waiting in tests. Time that is Base's to decide (expiries, deadlines, caches, windows) is moved
 * with the test clock (`base.clock.advance`), never waited out. What is left: waiting for something
 * that happens on its own (a background job finishing, a rollback behind a closed socket), by
 * polling a condition up to a bound, and real time where real time is the subject (a timeout, an
 * idle limit, runs overlapping), each such sleep saying why.
 */

/** Real time passes: only where real time is the subject. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` holds, looking again every few milliseconds; fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}
