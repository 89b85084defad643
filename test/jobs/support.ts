import type { TestBase } from '../support/harness';

/** A job row as tests look at it; `delayMs` is how far run_at was set past the last update. */
export interface JobRow {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  last_error: string | null;
  locked_by: string | null;
  locked_until: Date | null;
  payload: Record<string, unknown>;
  company_id: string | null;
  delay_ms: number;
}

export async function jobRow(base: Pick<TestBase, 'sql'>, id: string): Promise<JobRow> {
  const [row] = await base.sql<JobRow>(
    `SELECT id, kind, status, attempts, last_error, locked_by, locked_until, payload, company_id,
            (extract(epoch FROM run_at - updated_at) * 1000)::float8 AS delay_ms
       FROM jobs WHERE id = $1`,
    [id],
  );
  if (!row) throw new Error(`no job ${id}`);
  return row;
}

/** Make a waiting job due now, instead of sleeping until its time. */
export async function makeDue(base: Pick<TestBase, 'sql'>, id: string): Promise<void> {
  await base.sql(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE id = $1`, [id]);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolve once `check` holds, polling; fail after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}
