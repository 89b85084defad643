import { AfterLoad, Check, Entity, ForeignKey, Index, Unique, VirtualColumn } from 'typeorm';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../../core/enums';
import { TenantEntity } from '../../db/base-entity';
import { NOW_PARAMETER } from '../../db/tenant-repository';
import { Event } from '../events';
import { DateColumn, DateTimeColumn, EnumColumn, IdColumn, IntColumn, JsonColumn, MoneyColumn, TextColumn } from '../../db/columns';
import { Agreement } from '../agreements';
import { Artist } from '../artists';
import { Venue } from '../venues';

export const OFFER_STATES = ['draft', 'sent', 'accepted', 'declined', 'withdrawn', 'expired'] as const;
export type OfferState = (typeof OFFER_STATES)[number];
export const OfferStateEnum = graphqlEnum('OfferStatus', OFFER_STATES, 'Where an offer stands (a sent offer past its expiresAt reads expired).');

/**
 * What an offer's status reads now, in SQL (`x` is a table alias): a sent offer past its expiresAt is
 * expired. `now` is the scope's now as SQL: the repositories' parameter by default, or a raw statement's own.
 */
export const offerStatusNowSql = (x: string, now = NOW_PARAMETER): string =>
  `(CASE WHEN ${x}.status = 'sent' AND ${x}.expires_at <= ${now} THEN 'expired' ELSE ${x}.status END)`;

export const DEAL_TYPES = ['flat', 'versus', 'plus', 'door'] as const;
export type DealType = (typeof DEAL_TYPES)[number];
export const DealTypeEnum = graphqlEnum('DealType', DEAL_TYPES, 'flat: the guarantee; versus: the greater of guarantee and percentage; plus: guarantee plus percentage past the split point; door: percentage only.');

export const PERCENTAGE_BASES = ['gross', 'net'] as const;
export type PercentageBase = (typeof PERCENTAGE_BASES)[number];
export const PercentageBaseEnum = graphqlEnum('PercentageBase', PERCENTAGE_BASES, 'What a percentage deal is a percentage of.');

/** The day of the show, times of day `HH:MM` in the venue's time zone. */
@ObjectType('OfferSchedule')
export class OfferSchedule {
  @Field(() => String, { nullable: true })
  loadIn?: string | null;
  @Field(() => String, { nullable: true })
  soundcheck?: string | null;
  @Field(() => String, { nullable: true })
  doors?: string | null;
  @Field(() => String, { nullable: true })
  set?: string | null;
  @Field(() => String, { nullable: true })
  curfew?: string | null;
  @Field(() => Int, { nullable: true, description: 'Minutes.' })
  setLength?: number | null;
}

/** The radius clause: no other show within `km` for `days` around the date. */
@ObjectType('OfferRadius')
export class OfferRadius {
  @Field(() => Int)
  km: number;
  @Field(() => Int)
  days: number;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An offer to an artist for a show: the deal, the day, the terms; accepting it makes the agreement.' })
@ForeignKey(() => Event, ['companyId', 'eventId'], ['companyId', 'id'], { name: 'fk__offers__event_id', onDelete: 'NO ACTION' })
@Entity('offers')
// What the migration creates, so TypeORM's schema diff drafts nothing; the partial index is the migration's alone.
@Unique('uq__offers__company_id_id', ['companyId', 'id'])
@ForeignKey(() => Artist, ['companyId', 'artistId'], ['companyId', 'id'], { name: 'fk__offers__artist_id', onDelete: 'NO ACTION' })
@ForeignKey(() => Venue, ['companyId', 'venueId'], ['companyId', 'id'], { name: 'fk__offers__venue_id', onDelete: 'NO ACTION' })
@ForeignKey(() => Agreement, ['companyId', 'agreementId'], ['companyId', 'id'], { name: 'fk__offers__agreement_id', onDelete: 'NO ACTION', deferrable: 'INITIALLY DEFERRED' })
@Check('ck__offers__status', "status IN ('draft', 'sent', 'accepted', 'declined', 'withdrawn', 'expired')")
@Check('ck__offers__deal_type', "deal_type IN ('flat', 'versus', 'plus', 'door')")
@Check('ck__offers__percentage_of', "percentage_of IS NULL OR percentage_of IN ('gross', 'net')")
@Check('ck__offers__percentage_range', 'percentage IS NULL OR percentage BETWEEN 0 AND 10000')
@Check('ck__offers__promoter_profit_range', 'promoter_profit IS NULL OR promoter_profit BETWEEN 0 AND 10000')
@Check('ck__offers__event_or_venue_date', 'event_id IS NOT NULL OR (venue_id IS NOT NULL AND date IS NOT NULL)')
@Index('ix__offers__venue', { synchronize: false })
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__offers__list', { synchronize: false })
@Index('ix__offers__list_status', { synchronize: false })
@Index('ix__offers__list_artist', { synchronize: false })
@Index('ix__offers__list_event', { synchronize: false })
export class Offer extends TenantEntity {
  @IdColumn()
  artistId: string;

  @IdColumn({ nullable: true, description: 'The event it is for (an id of the Events family).' })
  eventId: string | null;

  @IdColumn({ nullable: true })
  venueId: string | null;

  @DateColumn({ nullable: true, description: 'The day of the show.' })
  date: string | null;

  @EnumColumn(DealTypeEnum)
  dealType: DealType;

  @TextColumn({ description: 'ISO-4217; the company default when not given.' })
  currency: string;

  @MoneyColumn({ nullable: true, description: 'Minor units (flat, versus, plus).' })
  guarantee: number | null;

  @IntColumn({ nullable: true, description: 'Basis points, 0–10000 (versus, plus, door).' })
  percentage: number | null;

  @EnumColumn(PercentageBaseEnum, { nullable: true, description: 'What the percentage is of (versus, plus, door).' })
  percentageOf: PercentageBase | null;

  @MoneyColumn({ nullable: true, description: 'Most expenses counted against the deal, minor units.' })
  expenseCap: number | null;

  @IntColumn({ nullable: true, description: 'Basis points of expenses, for the split point.' })
  promoterProfit: number | null;

  @MoneyColumn({ nullable: true, description: 'Minor units.' })
  ticketPrice: number | null;

  @JsonColumn(OfferSchedule, { nullable: true })
  schedule: OfferSchedule | null;

  @JsonColumn(OfferRadius, { nullable: true })
  radius: OfferRadius | null;

  @DateTimeColumn({ nullable: true, description: 'A sent offer past it reads as expired.' })
  expiresAt: Date | null;

  @TextColumn({ nullable: true })
  terms: string | null;

  @EnumColumn(OfferStateEnum)
  status: OfferState;

  @IdColumn({ nullable: true, description: 'The agreement made when it was accepted.' })
  agreementId: string | null;

  /** The status as of the scope's now, computed by the database with every read (see offerStatusNowSql). */
  @VirtualColumn({ type: 'text', query: (x) => offerStatusNowSql(x) })
  statusNow?: OfferState;

  /** A sent offer past its expiry reads as expired at once (nothing writes it so: it only reads so). */
  @AfterLoad()
  readAsOfNow(): this {
    if (this.statusNow) this.status = this.statusNow;
    delete this.statusNow;
    return this;
  }
}
