import { AfterLoad, Check, Entity, Exclusion, ForeignKey, Index, Unique } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../../core/enums';
import { TenantEntity } from '../../db/base-entity';
import { Event } from '../events';
import { DateColumn, DateTimeColumn, EnumColumn, IdColumn, IntColumn, TextColumn } from '../../db/columns';
import { Artist } from '../artists';
import { Venue } from '../venues';

export const AVAIL_STATES = ['held', 'challenged', 'confirmed', 'released', 'expired'] as const;
export type AvailState = (typeof AVAIL_STATES)[number];
/** The states that stand on a slot's ladder. */
export const ACTIVE_STATES: readonly AvailState[] = ['held', 'challenged'];
export const AvailStateEnum = graphqlEnum('AvailStatus', AVAIL_STATES, 'Where a date hold stands.');

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

  @IntColumn({ description: 'Place on the ladder of the slot: 1 is the first hold.' })
  holdLevel: number;

  @EnumColumn(AvailStateEnum, { description: 'A hold past its expiresAt reads as expired at once.' })
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

  /** Whether the hold stands on its ladder now (active and not past its expiry). */
  isActive(now = new Date()): boolean {
    return ACTIVE_STATES.includes(this.status) && !(this.expiresAt && this.expiresAt <= now);
  }

  /** Past its expiry a hold reads as expired at once; the sweep writes it so and moves its ladder up. */
  @AfterLoad()
  readAsOfNow(): this {
    if (ACTIVE_STATES.includes(this.status) && this.expiresAt && this.expiresAt <= new Date()) this.status = 'expired';
    return this;
  }
}
