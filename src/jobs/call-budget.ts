import type { DataSource, EntityManager } from 'typeorm';

/**
 * Limits of an outside API that hold across every instance of Base (Xero: per tenant 60 calls a
 * minute, 5,000 a day, 5 at once). The accounting is in PostgreSQL, never in memory: counters per
 * calendar window, taken with one `INSERT … ON CONFLICT … DO UPDATE … RETURNING` that the database
 * serializes on the row, and concurrency slots held under a lease and claimed with SKIP LOCKED, so a
 * crashed holder frees its slot when the lease runs out. Budgets are keyed by the outside party
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

/** Not now: wait this long (the window's end, a slot to free up, a pause the API asked for). */
export interface CallRefusal {
  waitMs: number;
  reason: 'minute' | 'day' | 'concurrency' | 'paused';
}

const SPANS = [
  { span: 'minute', unit: 'minute', limit: (l: CallLimits) => l.perMinute },
  { span: 'day', unit: 'day', limit: (l: CallLimits) => l.perDay },
] as const;

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
  ) {}

  /**
   * Take one call of `budget`: a free concurrency slot and one unit of each window, or nothing at
   * all (one transaction). `leaseMs` bounds how long a holder that never releases keeps its slot.
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
      `INSERT INTO call_budget_windows (budget, span, started_at, calls) VALUES ($1, 'pause', now() + $2 * interval '1 millisecond', 0)
       ON CONFLICT (budget, span) DO UPDATE SET started_at = greatest(call_budget_windows.started_at, EXCLUDED.started_at)`,
      [budget, Math.max(0, Math.round(ms))],
    );
  }

  /** The API said its window is spent (a remaining count of 0): count it as full until the window ends. */
  async exhaust(budget: string, span: 'minute' | 'day', limit: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE call_budget_windows SET calls = greatest(calls, $3) WHERE budget = $1 AND span = $2 AND started_at = date_trunc($2, now())`,
      [budget, span, limit],
    );
  }

  private async takeIn(m: EntityManager, budget: string, limits: CallLimits, leaseMs: number): Promise<number> {
    const [pause] = await m.query(
      `SELECT ceil(extract(epoch FROM started_at - now()) * 1000)::int AS wait FROM call_budget_windows
        WHERE budget = $1 AND span = 'pause' AND started_at > now()`,
      [budget],
    );
    if (pause) throw new Refused({ waitMs: pause.wait, reason: 'paused' });

    await m.query(
      `INSERT INTO call_budget_slots (budget, slot) SELECT $1, g FROM generate_series(1, $2::int) g ON CONFLICT DO NOTHING`,
      [budget, limits.concurrent],
    );
    const [claimed] = (
      await m.query(
        `UPDATE call_budget_slots SET held_by = $3, held_until = clock_timestamp() + $4 * interval '1 millisecond'
          WHERE (budget, slot) = (SELECT budget, slot FROM call_budget_slots
                                   WHERE budget = $1 AND slot <= $2 AND held_until < clock_timestamp()
                                   ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING slot`,
        [budget, limits.concurrent, this.holder, leaseMs],
      )
    )[0] ?? [];
    if (!claimed) throw new Refused({ waitMs: BUSY_WAIT_MS + Math.round(Math.random() * BUSY_WAIT_MS), reason: 'concurrency' });

    for (const { span, unit, limit } of SPANS) {
      // A new window starts at 1; within the window, the row is counted up only below the limit.
      const [counted] = await m.query(
        `INSERT INTO call_budget_windows (budget, span, started_at, calls) VALUES ($1, $2, date_trunc($3, now()), 1)
         ON CONFLICT (budget, span) DO UPDATE
           SET calls = CASE WHEN call_budget_windows.started_at = EXCLUDED.started_at THEN call_budget_windows.calls + 1 ELSE 1 END,
               started_at = EXCLUDED.started_at
         WHERE call_budget_windows.started_at <> EXCLUDED.started_at OR call_budget_windows.calls < $4
         RETURNING calls`,
        [budget, span, unit, limit(limits)],
      );
      if (!counted) {
        const [{ wait }] = await m.query(
          `SELECT ceil(extract(epoch FROM date_trunc($1, now()) + ('1 ' || $1)::interval - clock_timestamp()) * 1000)::int AS wait`,
          [unit],
        );
        throw new Refused({ waitMs: Math.max(1, wait), reason: span });
      }
    }
    return claimed.slot;
  }
}
