import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { CURRENCY_COUNT, MaxItems } from '../../core/list-size';
import { defineRecord, type RecordOf } from '../../core/record';
import { Event, LINEUP_MAX } from '../events';
import { DealTypeEnum, type DealType } from '../offers';
import type { OtherCurrency, Payout, SettlementFigures } from './settlement-math';

/** The statement stored when an event is settled: later reads return it unchanged. */
export const SettledStatement = defineRecord({
  name: 'SettledStatement',
  table: 'settlements',
  description: 'The statement of a settled event, as it read when the event was settled.',
  // Read only by the view `Event.settlement`, which shows it as a `Settlement`.
  shown: false,
  referencedById: false,
  fields: {
    eventId: f
      .id()
      .readOnly()
      .references(() => Event)
      .describe('The settled event: one statement per event.'),
    statement: f.json<SettlementFigures>().describe('The figures as they read when it was settled.'),
    settledAt: f.dateTime().readOnly().describe('When the event was settled (the clock of the settle action).'),
    settledBy: f.text().readOnly().describe('Who settled it: an Auth user id.'),
  },
  unique: { uq__settlements__company_id_event_id: ['companyId', 'eventId'] },
});
export type SettledStatement = RecordOf<typeof SettledStatement>;

/** One artist's pay under its accepted offer. */
@ObjectType('SettlementPayout', { description: "One lineup artist's payout under its accepted offer, in the offer's currency." })
export class SettlementPayout implements Payout {
  @Field(() => ID, { description: 'The lineup artist paid.' })
  artistId: string;
  @Field(() => ID, { description: "The artist's accepted offer for the event that the payout follows (the latest accepted when there are several)." })
  offerId: string;
  @Field(() => DealTypeEnum, { description: "The offer's kind of deal, which decides how the payout is computed." })
  dealType: DealType;
  @Field({ description: "ISO-4217 code (`EUR`) of `amount`: the offer's currency." })
  currency: string;
  @Field(() => GraphQLSafeInt, { description: 'Minor units of `currency`.' })
  amount: number;
}

@ObjectType('SettlementOtherCurrency', {
  description: "What an event holds in a currency other than its own: listed as it is, never converted or summed into the statement.",
})
export class SettlementOtherCurrency implements OtherCurrency {
  @Field({ description: 'ISO-4217 code (`USD`) of every amount of this entry; never the event\'s own.' })
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
  @Field(() => ID, { description: 'The event this is the settlement of.' })
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
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the event was settled; null while it is not (the figures are computed now).' })
  settledAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Who settled it (an Auth user id); null while the event is not settled.' })
  settledBy: string | null;
}

/**
 * Stored statements of settled events: a read model, served only as the computed read `Event.settlement`
 * (`GET /api/events/{id}/settlement`) and written only by settling the event.
 */
export const settlementFamily = defineFamily({
  entity: SettledStatement,
  resource: 'event',
  singular: 'settlement',
  plural: 'settlements',
  description: 'The stored statements of settled events.',
  readModel: true,
  operations: [],
  filters: {},
  order: (qb, a) => qb.orderBy(`${a}.settledAt`, 'ASC'),
});
