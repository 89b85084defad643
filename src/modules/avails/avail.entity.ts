import { AfterLoad, Check, Entity, Exclusion, ForeignKey, Index, Unique, VirtualColumn } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../../core/enums';
import { TenantEntity } from '../../db/base-entity';
import { NOW_PARAMETER } from '../../db/tenant-repository';
import { Event } from '../events';
import { DateColumn, DateTimeColumn, EnumColumn, IdColumn, IntColumn, TextColumn } from '../../db/columns';
import { Artist } from '../artists';
import { Venue } from '../venues';

export const AVAIL_STATES = ['held', 'challenged', 'confirmed', 'released', 'expired'] as const;
export type AvailState = (typeof AVAIL_STATES)[number];
/** The states that stand on a slot's ladder. */
export const ACTIVE_STATES: readonly AvailState[] = ['held', 'challenged'];
export const AvailStateEnum = graphqlEnum('AvailStatus', AVAIL_STATES, 'Where a date hold stands.');

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
 * A standing hold's level now: one more than the holds standing above it on its slot (the stored
 * levels keep their order; time only takes holds out). A hold no longer standing keeps its last level.
 */
export const levelNowSql = (x: string, now = NOW_PARAMETER): string =>
  `(CASE WHEN ${standingSql(x, now)} THEN 1 + (SELECT count(*) FROM avails above` +
  ` WHERE above.company_id = ${x}.company_id AND above.date = ${x}.date AND above.hold_level < ${x}.hold_level` +
  ` AND ((${x}.venue_id IS NOT NULL AND above.venue_id = ${x}.venue_id AND coalesce(above.stage, '') = coalesce(${x}.stage, ''))` +
  ` OR (${x}.venue_id IS NULL AND above.venue_id IS NULL AND above.artist_id = ${x}.artist_id))` +
  ` AND ${standingSql('above', now)})::int ELSE ${x}.hold_level END)`;

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A date hold on a venue (and stage) or an artist, with its place on the ladder of that slot.' })
@ForeignKey(() => Event, ['companyId', 'eventId'], ['companyId', 'id'], { name: 'fk__avails__event_id', onDelete: 'NO ACTION' })
@Index('ix__avails__event', { synchronize: false })
@Entity('avails')
// What the migration creates, so TypeORM's schema diff drafts nothing (the ladder's exclusion
// constraint is compared by name; the migration explains it). The partial indexes are the migration's alone.
@Unique('uq__avails__company_id_id', ['companyId', 'id'])
@ForeignKey(() => Venue, ['companyId', 'venueId'], ['companyId', 'id'], { name: 'fk__avails__venue_id', onDelete: 'NO ACTION' })
@ForeignKey(() => Artist, ['companyId', 'artistId'], ['companyId', 'id'], { name: 'fk__avails__artist_id', onDelete: 'NO ACTION' })
@Check('ck__avails__venue_or_artist', 'venue_id IS NOT NULL OR artist_id IS NOT NULL')
@Check('ck__avails__hold_level_positive', 'hold_level >= 1')
@Check('ck__avails__status', "status IN ('held', 'challenged', 'confirmed', 'released', 'expired')")
@Exclusion(
  'uq__avails__hold_level',
  `USING hash ((company_id::text || '|' || hold_level::text || '|' || COALESCE('venue:' || venue_id::text || '|' || COALESCE(stage, ''), 'artist:' || artist_id::text) || '|' || (date - DATE '2000-01-01')::text) WITH =) WHERE (status IN ('held', 'challenged'))`,
  { deferrable: 'INITIALLY DEFERRED' },
)
@Index('ix__avails__expiring', { synchronize: false })
@Index('ix__avails__challenged', { synchronize: false })
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__avails__list', { synchronize: false })
@Index('ix__avails__list_venue', { synchronize: false })
@Index('ix__avails__list_artist', { synchronize: false })
@Index('ix__avails__list_status', { synchronize: false })
export class Avail extends TenantEntity {
  @DateColumn({ description: 'The calendar day held.' })
  date: string;

  @IdColumn({ nullable: true, description: 'The venue held (its slot is venue, stage and date).' })
  venueId: string | null;

  @TextColumn({ nullable: true, description: 'The room or stage of the venue; none is the venue as a whole.' })
  stage: string | null;

  @IdColumn({ nullable: true, description: 'The artist held (without a venue, its slot is artist and date).' })
  artistId: string | null;

  @IntColumn({ description: 'Place on the ladder of the slot as of now: 1 is the first hold; holds above it that expired or lost an unanswered challenge no longer count.' })
  holdLevel: number;

  @EnumColumn(AvailStateEnum, { description: 'As of now: a hold past its expiresAt reads as expired, and a challenged one past its respondBy as released, at once.' })
  status: AvailState;

  @DateTimeColumn({ nullable: true, description: 'When the hold lapses unless confirmed.' })
  expiresAt: Date | null;

  @DateTimeColumn({ nullable: true, description: 'While challenged: when level 1 must confirm or lose its place.' })
  respondBy: Date | null;

  @IdColumn({ nullable: true, description: 'While challenged: the hold that challenged it.' })
  challengedById: string | null;

  @IdColumn({ nullable: true, description: 'The event this hold is for.' })
  eventId: string | null;

  @TextColumn({ nullable: true })
  note: string | null;

  /** The level and status as of now, computed by the database with every read (see levelNowSql). */
  @VirtualColumn({ type: 'int', query: (x) => levelNowSql(x) })
  levelNow?: number;

  @VirtualColumn({ type: 'text', query: (x) => statusNowSql(x) })
  statusNow?: AvailState;

  /**
   * The level as stored: what the exclusion constraint checks and what a write of the ladder moves
   * (absent on a record that was not read with its level as of now).
   */
  storedLevel?: number;

  /** Whether the hold stands on its ladder now. */
  isActive(): boolean {
    return ACTIVE_STATES.includes(this.status);
  }

  /**
   * Every read sees the ladder as of now: holds past their expiry or their unanswered challenge have
   * left it and the holds below have moved up, before any sweep or write has stored it so.
   */
  @AfterLoad()
  readAsOfNow(): this {
    if (this.levelNow !== undefined && this.levelNow !== null) {
      this.storedLevel = this.holdLevel;
      this.holdLevel = this.levelNow;
    }
    if (this.statusNow) {
      // A challenge that released its hold is over: no respondBy, as the sweep writes it.
      if (this.statusNow === 'released' && this.status === 'challenged') this.respondBy = null;
      this.status = this.statusNow;
    }
    delete this.levelNow;
    delete this.statusNow;
    return this;
  }

  override toJSON(): Record<string, unknown> {
    const { storedLevel: _stored, ...fields } = super.toJSON();
    return fields;
  }
}
