import type { Clock } from '../../src/shared/clock';

/**
 * The clock a test Base runs on (`base.clock`): the machine's time plus however far the test has
 * moved it. Time keeps flowing underneath, since what is not Base's to decide runs on real time
 * (PostgreSQL's own stamps, the job queue's due times, timeouts), and it only moves forward, so
 * whatever the database stamped is never in the clock's future. Move it past a deadline instead of
 * sleeping until it: `base.clock.advance(60_000)`.
 */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Time passes `ms` at once. */
  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new Error(`TestClock.advance(${ms}): time only moves forward`);
    this.offsetMs += ms;
  }

  /** Time passes until `at` (already past: nothing changes). */
  advanceTo(at: Date | string): void {
    this.advance(Math.max(0, new Date(at).getTime() - this.now().getTime()));
  }
}
