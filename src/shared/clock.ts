/**
 * Where domain code and the sweeps read the time: one clock, given to the server at construction
 * (ServerOptions.clock) and handed on to the tenant scope, the filter context, the job runs, the token
 * and access caches. Expiries, deadlines, retention cut-offs and rate windows compare with it (in SQL
 * as a parameter, never the database's `now()`), so a test moves time instead of sleeping.
 *
 * Real time stays real where real time is the subject: timeouts of outside calls and of job runs,
 * durations in logs and metrics, and what PostgreSQL stamps itself (`created_at`, `updated_at`, a
 * history entry's `occurred_at`, the job queue's due times).
 */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** The machine's time: what production runs on. */
export const systemClock: Clock = { now: () => new Date() };

/** The calendar day (`YYYY-MM-DD`) an instant falls on in an IANA time zone. */
export const calendarDayIn = (at: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
