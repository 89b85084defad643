import { NOW_PARAMETER } from '../../db/tenant-repository';
import type { AvailState } from './avail.family';

/**
 * The ladder of one slot: venue + stage + date, or artist + date for a hold without a venue. Its
 * active holds (held, challenged) take levels 1..n, each once, gapless. Every read computes the
 * ladder as of now from the stored rows (the record's level, status and respondBy are read as of
 * now), so time moves it at the deadline itself; the writes of a ladder are in ladder-moves.ts.
 * The database's deferred exclusion constraint refuses whatever would still break the rule at commit.
 */
export interface Slot {
  date: string;
  venueId: string | null;
  stage: string | null;
  artistId: string | null;
}

/** The advisory lock of a slot: every change of its ladder runs under it. */
export const slotKey = (s: Slot): string =>
  s.venueId ? `avail:venue:${s.venueId}:${s.date}:${s.stage ?? ''}` : `avail:artist:${s.artistId}:${s.date}`;

/** The most holds standing on one slot: a bound on the ladder (and on what reading it costs). */
export const LADDER_MAX = 20;

/** How long level 1 has to answer a challenge when the challenger names no time. */
export const DEFAULT_RESPOND_HOURS = 48;

/** The states that stand on a slot's ladder. */
export const ACTIVE_STATES: readonly AvailState[] = ['held', 'challenged'];

/** Whether the hold stands on its ladder now (as read: time has already taken expired ones off). */
export const isStanding = (hold: { status: AvailState }): boolean => ACTIVE_STATES.includes(hold.status);

/**
 * The ladder as of now, in SQL over the stored rows (`x` is a table alias): the one definition that
 * every read, the status filter, the dashboard and every write's settling of a slot go by. A hold
 * stands while it is active, not past its expiresAt and, when challenged, not past its respondBy.
 * `now` is the scope's now as SQL: the repositories' parameter by default, or a raw statement's own.
 */
export const standingSql = (x: string, now = NOW_PARAMETER): string =>
  `(${x}.status IN ('held', 'challenged') AND (${x}.expires_at IS NULL OR ${x}.expires_at > ${now})` +
  ` AND (${x}.status = 'held' OR ${x}.respond_by IS NULL OR ${x}.respond_by > ${now}))`;

/** What a hold's status reads now: past its expiry it is expired; a challenge unanswered by respondBy released it. */
export const statusNowSql = (x: string, now = NOW_PARAMETER): string =>
  `(CASE WHEN ${x}.status IN ('held', 'challenged') AND ${x}.expires_at <= ${now} THEN 'expired'` +
  ` WHEN ${x}.status = 'challenged' AND ${x}.respond_by <= ${now} THEN 'released' ELSE ${x}.status END)`;

/**
 * What a hold's respondBy reads now: a challenge that released its hold (statusNowSql) is over, so it
 * has none, as the sweep writes it.
 */
export const respondByNowSql = (x: string, now = NOW_PARAMETER): string =>
  `(CASE WHEN ${x}.status = 'challenged' AND ${x}.respond_by <= ${now} AND (${x}.expires_at IS NULL OR ${x}.expires_at > ${now})` +
  ` THEN NULL ELSE ${x}.respond_by END)`;

/**
 * A standing hold's level now: one more than the holds standing above it on its slot (the stored
 * levels keep their order; time only takes holds out). A hold no longer standing keeps its last level.
 */
export const levelNowSql = (x: string, now = NOW_PARAMETER): string =>
  `(CASE WHEN ${standingSql(x, now)} THEN 1 + (SELECT count(*) FROM avails above` +
  ` WHERE above.company_id = ${x}.company_id AND above.date = ${x}.date AND above.hold_level < ${x}.hold_level` +
  ` AND ((${x}.venue_id IS NOT NULL AND above.venue_id = ${x}.venue_id AND coalesce(above.stage, '') = coalesce(${x}.stage, ''))` +
  ` OR (${x}.venue_id IS NULL AND above.venue_id IS NULL AND above.artist_id = ${x}.artist_id))` +
  ` AND ${standingSql('above', now)})::int ELSE ${x}.hold_level END)`;
