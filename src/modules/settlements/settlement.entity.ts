import { Column, Entity, ForeignKey, Unique } from 'typeorm';
import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import type { OtherCurrency, Payout, SettlementFigures } from './settlement-math';
import { TenantEntity } from '../../db/base-entity';
import { DateTimeColumn, IdColumn, TextColumn } from '../../db/columns';
import { CURRENCY_COUNT, MaxItems } from '../../core/list-size';
import { Event, LINEUP_MAX } from '../events';
import { DealTypeEnum, type DealType } from '../offers';

/** One artist's pay under its accepted offer. */
@ObjectType('SettlementPayout', { description: "One lineup artist's payout under its accepted offer, in the offer's currency." })
export class SettlementPayout implements Payout {
  @Field(() => ID)
  artistId: string;
  @Field(() => ID)
  offerId: string;
  @Field(() => DealTypeEnum)
  dealType: DealType;
  @Field()
  currency: string;
  @Field(() => GraphQLSafeInt, { description: 'Minor units of `currency`.' })
  amount: number;
}

@ObjectType('SettlementOtherCurrency', {
  description: "What an event holds in a currency other than its own: listed as it is, never converted or summed into the statement.",
})
export class SettlementOtherCurrency implements OtherCurrency {
  @Field()
  currency: string;
  @Field(() => GraphQLSafeInt, { description: 'Σ tiers sold × price in this currency.' })
  gross: number;
  @Field(() => GraphQLSafeInt, { description: 'Σ tiers sold × fee in this currency.' })
  fees: number;
  @Field(() => GraphQLSafeInt, { description: 'Σ income records in this currency.' })
  otherIncome: number;
  @Field(() => GraphQLSafeInt, { description: 'Σ approved expenses (not artist fees) in this currency.' })
  expenses: number;
  @MaxItems(LINEUP_MAX)
  @Field(() => [SettlementPayout], { description: 'Payouts under offers in this currency: their guarantee (a percentage needs figures in the event currency).' })
  payouts: SettlementPayout[];
}

/** The settlement of an event: computed on every read until it is settled, then the stored statement. */
@ObjectType('Settlement', {
  description: "An event's settlement in its currency, in minor units: computed on every read, and frozen as stored once the event is settled.",
})
export class Settlement implements SettlementFigures {
  @Field(() => ID)
  eventId: string;
  @Field({ description: "The event's currency: every figure below is in it." })
  currency: string;
  @Field(() => GraphQLSafeInt, { description: 'Σ tiers sold × price.' })
  gross: number;
  @Field(() => GraphQLSafeInt, { description: 'Σ tiers sold × fee.' })
  fees: number;
  @Field(() => GraphQLSafeInt, { description: 'gross − fees.' })
  adjustedGross: number;
  @Field(() => GraphQLSafeInt, { description: 'adjustedGross × taxRate / (10000 + taxRate): the tax included in the prices.' })
  tax: number;
  @Field(() => GraphQLSafeInt, { description: 'adjustedGross − tax.' })
  netGross: number;
  @Field(() => GraphQLSafeInt, { description: 'Σ income records.' })
  otherIncome: number;
  @Field(() => GraphQLSafeInt, { description: 'Σ approved expenses except artist fees.' })
  expenses: number;
  @Field(() => GraphQLSafeInt, { description: "The headliner's: deal expenses × its promoterProfit." })
  promoterProfit: number;
  @Field(() => GraphQLSafeInt, { description: "The headliner's: deal expenses + guarantee + promoter profit." })
  splitPoint: number;
  @Field(() => GraphQLSafeInt, { description: "The headliner's payout (the first lineup artist with an accepted offer in the event's currency)." })
  artistPayout: number;
  @MaxItems(LINEUP_MAX)
  @Field(() => [SettlementPayout], { description: "Each lineup artist's payout in the event's currency, in running order." })
  payouts: SettlementPayout[];
  @Field(() => GraphQLSafeInt, { description: 'netGross + otherIncome − expenses − Σ payouts.' })
  promoterResult: number;
  @MaxItems(CURRENCY_COUNT)
  @Field(() => [SettlementOtherCurrency], { description: 'Records in other currencies, per currency.' })
  otherCurrencies: SettlementOtherCurrency[];
  @Field({ description: 'Whether this is the stored statement of a settled event.' })
  settled: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true })
  settledAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Who settled it (an Auth user id).' })
  settledBy: string | null;
}

/** The statement stored when an event is settled: later reads return it unchanged. */
@Entity('settlements')
// What the migration creates, so TypeORM's schema diff drafts nothing.
@Unique('uq__settlements__company_id_event_id', ['companyId', 'eventId'])
@ForeignKey(() => Event, ['companyId', 'eventId'], ['companyId', 'id'], { name: 'fk__settlements__event_id', onDelete: 'NO ACTION' })
export class SettledStatement extends TenantEntity {
  @IdColumn()
  eventId: string;

  /** The figures as they read when it was settled. */
  @Column('jsonb')
  statement: SettlementFigures;

  @DateTimeColumn()
  settledAt: Date;

  @TextColumn()
  settledBy: string;
}
