import { createVia } from '../support/fixtures';
import type { Caller, TestBase } from '../support/harness';

/** The avails family's sweeps (src/modules/avails/avail.module.ts), as the queue names them. */
const AVAIL_SWEEPS = ['avail.expire', 'avail.release-unanswered'];

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * What the avails tests do over and over, through the public surfaces (and the table, for what is
 * stored): place holds, act on them, read them and their slot's ladder, and move time past a hold's
 * deadline on the Base's clock.
 */
export function availHelpers(base: TestBase, admin: () => Caller) {
  let day = 0;
  /** A day no other test of the file holds. */
  const freshDate = () => `2031-01-${String((day++ % 28) + 1).padStart(2, '0')}`;
  const venue = async (actor = admin()) => (await createVia(base, actor, '/api/venues', { name: 'Hall' })).id as string;
  const artist = async (actor = admin()) => (await createVia(base, actor, '/api/artists', { name: 'Band' })).id as string;
  const hold = (body: Record<string, unknown>, actor = admin()) => createVia(base, actor, '/api/avails', body);
  const act = (id: string, action: string, body: Record<string, unknown> = {}, actor = admin()) =>
    base.rest('POST', `/api/avails/${id}/${action}`, { as: actor, body });
  const read = async (id: string, actor = admin()) => (await base.rest('GET', `/api/avails/${id}`, { as: actor })).body.data;
  /** One slot's ladder over REST: [id, level, status] in level order. */
  const ladder = async (query: string, actor = admin()) => {
    const res = await base.rest('GET', `/api/avails/ladder?${query}`, { as: actor });
    if (res.status !== 200) throw new Error(`ladder: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body.data as any[]).map((h) => [h.id, h.holdLevel, h.status]);
  };
  const history = async (id: string, actor = admin()) => ((await base.rest('GET', `/api/avails/${id}/history`, { as: actor })).body.data as any[]).map((e) => e.type);
  /** Stored active holds of a slot: their levels must be exactly 1..n. */
  const storedLevels = async (venueId: string, date: string) =>
    (
      await base.sql<{ hold_level: number }>(
        `SELECT hold_level FROM "${base.schema}".avails WHERE venue_id = $1 AND date = $2 AND status IN ('held', 'challenged') ORDER BY hold_level`,
        [venueId, date],
      )
    ).map((r) => r.hold_level);
  /** Time passes a hold's deadline: the deadline is put a minute ahead of the clock, and the clock moves a minute. */
  const past = async (id: string, column: 'expires_at' | 'respond_by') => {
    await base.sql(`UPDATE "${base.schema}".avails SET ${column} = $2 WHERE id = $1`, [id, new Date(base.clock.now().getTime() + 60_000)]);
    base.clock.advance(60_000);
  };
  /** The avails' sweeps, due now (as the crontab adds them at their minute). */
  const sweepsDue = () => base.server.jobs.triggerPeriodic(...AVAIL_SWEEPS);

  /** Three holds on one new venue slot, levels 1..3 (each by its own actor of one company when given). */
  async function threeHolds(stage?: string, actors: Caller[] = []) {
    const venueId = await venue(actors[0] ?? admin());
    const date = freshDate();
    const holds = [];
    for (let i = 0; i < 3; i++) holds.push(await hold({ venueId, date, ...(stage ? { stage } : {}) }, actors[i] ?? admin()));
    return { venueId, date, ids: holds.map((h) => h.id as string) };
  }

  return { freshDate, venue, artist, hold, act, read, ladder, history, storedLevels, past, sweepsDue, threeHolds };
}
