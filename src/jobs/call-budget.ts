import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../shared/clock';

/**
 * Limits of an outside API that hold across every instance of Base (Xero: per tenant 60 calls a
 * minute, 5,000 a day, 5 at once). The accounting is in PostgreSQL, never in memory, and the
 * database decides: the calls of the last day are rows, counted over exact rolling windows (a
 * calendar window would let 60 calls at :59 and 60 more at :00 through) under a transaction lock per
 * budget; concurrency slots are rows held under a lease and claimed with SKIP LOCKED, so a crashed
 * holder frees its slot when the lease runs out. Budgets are keyed by the outside party
 * (`xero:<tenant id>`), not by company: the tables hold no company data.
 */
export interface CallLimits {
  perMinute: number;
  perDay: number;
  concurrent: number;
}

/** A call may start: hold the slot until it is over, then release it. */
export interface CallSlot {
  release(): Promise<void>;
}

/** Not now: wait this long (for the window to make room, a slot to free up, a pause the API asked for). */
export interface CallRefusal {
  waitMs: number;
  reason: 'minute' | 'day' | 'concurrency' | 'paused';
}

/** While every slot is busy, look again about this much later (calls take well under a lease). */
const BUSY_WAIT_MS = 250;

class Refused extends Error {
  constructor(readonly refusal: CallRefusal) {
    super(refusal.reason);
  }
}

export class CallBudgets {
  constructor(
    private readonly dataSource: DataSource,
    /** Who holds a slot (this instance), for the lease's owner check on release. */
    private readonly holder: string,
    /** The server's clock: the windows, pauses and leases are measured on it (passed to each statement). */
    private readonly clock: Clock,
  ) {}

  /**
   * Take one call of `budget`: a free concurrency slot and room in both windows, or nothing at all
   * (one transaction). `leaseMs` bounds how long a holder that never releases keeps its slot.
   */
  async take(budget: string, limits: CallLimits, leaseMs: number): Promise<CallSlot | CallRefusal> {
    try {
      const slot = await this.dataSource.transaction((m) => this.takeIn(m, budget, limits, leaseMs));
      return {
        release: async () => {
          await this.dataSource.query(
            `UPDATE call_budget_slots SET held_by = NULL, held_until = '-infinity' WHERE budget = $1 AND slot = $2 AND held_by = $3`,
            [budget, slot, this.holder],
          );
        },
      };
    } catch (err) {
      if (err instanceof Refused) return err.refusal;
      throw err;
    }
  }

  /** The API said to wait (a 429 with Retry-After): no call of `budget` starts before then, on any instance. */
  async pause(budget: string, ms: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO call_budget_pauses (budget, until) VALUES ($1, $3::timestamptz + $2 * interval '1 millisecond')
       ON CONFLICT (budget) DO UPDATE SET until = greatest(call_budget_pauses.until, EXCLUDED.until)`,
      [budget, Math.max(0, Math.round(ms)), this.clock.now()],
    );
  }

  private async takeIn(m: EntityManager, budget: string, limits: CallLimits, leaseMs: number): Promise<number> {
    // Takers of one budget count and record one after another; the time is read once the turn comes.
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('call_budget'), hashtext($1))`, [budget]);
    const now = this.clock.now();
    const [pause] = await m.query(
      `SELECT ceil(extract(epoch FROM until - $2::timestamptz) * 1000)::int AS wait FROM call_budget_pauses
        WHERE budget = $1 AND until > $2::timestamptz`,
      [budget, now],
    );
    if (pause) throw new Refused({ waitMs: pause.wait, reason: 'paused' });

    await m.query(`DELETE FROM call_budget_calls WHERE budget = $1 AND at <= $2::timestamptz - interval '1 day'`, [budget, now]);
    const [used] = await m.query(
      `SELECT count(*) FILTER (WHERE at > $2::timestamptz - interval '1 minute')::int AS minute,
              count(*)::int AS day,
              ceil(extract(epoch FROM min(at) FILTER (WHERE at > $2::timestamptz - interval '1 minute') + interval '1 minute' - $2::timestamptz) * 1000)::int AS minute_wait,
              ceil(extract(epoch FROM min(at) + interval '1 day' - $2::timestamptz) * 1000)::int AS day_wait
         FROM call_budget_calls WHERE budget = $1`,
      [budget, now],
    );
    if (used.day >= limits.perDay) throw new Refused({ waitMs: Math.max(1, used.day_wait), reason: 'day' });
    if (used.minute >= limits.perMinute) throw new Refused({ waitMs: Math.max(1, used.minute_wait), reason: 'minute' });

    await m.query(
      `INSERT INTO call_budget_slots (budget, slot) SELECT $1, g FROM generate_series(1, $2::int) g ON CONFLICT DO NOTHING`,
      [budget, limits.concurrent],
    );
    // An UPDATE … RETURNING answers [rows, count].
    const [claimedRows] = await m.query(
      `UPDATE call_budget_slots SET held_by = $3, held_until = $5::timestamptz + $4 * interval '1 millisecond'
        WHERE (budget, slot) = (SELECT budget, slot FROM call_budget_slots
                                 WHERE budget = $1 AND slot <= $2 AND held_until < $5::timestamptz
                                 ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING slot`,
      [budget, limits.concurrent, this.holder, leaseMs, now],
    );
    const claimed: { slot: number } | undefined = claimedRows?.[0];
    if (!claimed) throw new Refused({ waitMs: BUSY_WAIT_MS + Math.round(Math.random() * BUSY_WAIT_MS), reason: 'concurrency' });
    await m.query(`INSERT INTO call_budget_calls (budget, at) VALUES ($1, $2::timestamptz)`, [budget, now]);
    return claimed.slot;
  }
}
