import { Field, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLLocalDate, GraphQLSafeInt } from 'graphql-scalars';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { CURRENCY_COUNT, MaxItems } from '../../core/list-size';
import { defineRecord, type RecordOf } from '../../core/record';
import { Event, LINEUP_MAX } from '../events';
import { DealTypeEnum, type DealType } from '../offers';
import type { DetailedOtherCurrency, DetailedPayout, Projection, Projections } from './settlement-math';
import { type Conversion, type ConvertedFigures, type ConvertedLine, CONVERTED_RECORDS_MAX, type RateUsed } from './settlement-fx';

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
    statement: f.json<ConvertedFigures>().describe('The figures as they read when it was settled.'),
    settledAt: f.dateTime().readOnly().describe('When the event was settled (the clock of the settle action).'),
    settledBy: f.text().readOnly().describe('Who settled it: an Auth user id.'),
  },
  unique: { uq__settlements__company_id_event_id: ['companyId', 'eventId'] },
  // An agency's commission over a period reads the statements settled in it.
  indexes: ['ix__settlements__settled_at'],
});
export type SettledStatement = RecordOf<typeof SettledStatement>;

/** One artist's pay under its accepted offer. */
@ObjectType('SettlementPayout', { description: "One lineup artist's payout under its accepted offer, in the offer's currency." })
export class SettlementPayout implements DetailedPayout {
  @Field(() => ID, { description: 'The lineup artist paid.' })
  artistId: string;
  @Field(() => ID, { description: "The artist's accepted offer for the event that the payout follows (the latest accepted when there are several)." })
  offerId: string;
  @Field(() => DealTypeEnum, { description: "The offer's kind of deal, which decides how the payout is computed." })
  dealType: DealType;
  @Field({ description: "ISO-4217 code (`EUR`) of `amount`: the offer's currency." })
  currency: string;
  @Field(() => GraphQLSafeInt, { description: "Minor units of `currency`: the gross fee, the promoter's cost." })
  amount: number;
  @Field(() => GraphQLSafeInt, { description: "amount × the offer's withholdingRate, rounded half-up: the tax withheld at source, paid by the promoter to the tax office." })
  withholding: number;
  @Field(() => GraphQLSafeInt, { description: 'amount − withholding: what the artist receives.' })
  netToArtist: number;
  @Field(() => ID, { nullable: true, description: "The artist's agency when the settlement was computed; null when none represents the artist." })
  agencyId: string | null;
  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: "amount × the agency's commissionRate, rounded half-up: what the agency charges the artist (the promoter does not pay it); null without an agency with a rate.",
  })
  agencyCommission: number | null;
}

@ObjectType('SettlementOtherCurrency', {
  description: "What an event holds in a currency other than its own: listed as it is, never converted or summed into the statement.",
})
export class SettlementOtherCurrency implements DetailedOtherCurrency {
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

/** Most amounts one statement converts and lists: its incomes and expenses, and two per lineup offer. */
export const CONVERSIONS_MAX = 2 * CONVERTED_RECORDS_MAX + 2 * LINEUP_MAX;

@ObjectType('SettlementConversion', {
  description: "One amount of a record in another currency, converted into the event's at the rate listed: rounded half-up to the minor unit, once.",
})
export class SettlementConversion implements Conversion {
  @Field(() => String, { description: 'The kind of record: `Income`, `Expense` or `Offer`.' })
  recordType: string;
  @Field(() => ID, { description: 'The record converted.' })
  recordId: string;
  @Field(() => String, {
    description:
      'Which line of the statement it counts in: `otherIncome`, `expenses`, `expenseVat` (the VAT of an expense), or an offer\'s `guarantee` or `expenseCap` (its payout is then computed in the event\'s currency).',
  })
  line: ConvertedLine;
  @Field(() => String, { description: 'ISO-4217 code of `amount`: the record\'s own currency.' })
  currency: string;
  @Field(() => GraphQLSafeInt, { description: 'The amount as recorded, in minor units of `currency`.' })
  amount: number;
  @Field(() => String, { description: 'The rate applied: units of the event\'s currency per unit of `currency` (decimal text).' })
  rate: string;
  @Field(() => GraphQLSafeInt, { description: "amount × rate in minor units of the event's currency, rounded half-up once." })
  converted: number;
}

@ObjectType('SettlementRate', { description: 'An exchange rate a settlement used: the latest of its pair on or before the day of the show.' })
export class SettlementRate implements RateUsed {
  @Field(() => String, { description: 'ISO-4217 code converted from.' })
  from: string;
  @Field(() => String, { description: "ISO-4217 code converted into: the event's." })
  to: string;
  @Field(() => String, { description: 'Units of `to` per unit of `from` (decimal text, at most 8 decimals).' })
  rate: string;
  @Field(() => String, { description: 'The day the rate holds from (YYYY-MM-DD).' })
  date: string;
}

/** The settlement of an event: computed on every read until it is settled, then the stored statement. */
@ObjectType('Settlement', {
  description: "An event's settlement in its currency, in minor units: computed on every read, and frozen as stored once the event is settled.",
})
export class Settlement implements ConvertedFigures {
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
  @Field(() => GraphQLSafeInt, { description: 'Σ approved expenses except artist fees: net amounts, plus their VAT when the company is not VAT-registered.' })
  expenses: number;
  @Field(() => GraphQLSafeInt, { description: 'Σ VAT of the counted expenses when the company is VAT-registered (reclaimable, so not in expenses); 0 when it is not.' })
  vatReclaimable: number;
  @Field(() => GraphQLSafeInt, { description: 'Σ withholding of the payouts in the event currency: what the promoter pays the tax office.' })
  withholdingDue: number;
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
  @Field(() => [SettlementOtherCurrency], { description: 'Records in other currencies that no exchange rate converts, per currency.' })
  otherCurrencies: SettlementOtherCurrency[];
  @MaxItems(CONVERSIONS_MAX)
  @Field(() => [SettlementConversion], {
    nullable: true,
    description:
      "Each amount of a record in another currency that a rate converted into the event's and counted above (its currency is then absent from otherCurrencies); null (absent over REST) when nothing was converted.",
  })
  conversions?: SettlementConversion[];
  @MaxItems(CURRENCY_COUNT)
  @Field(() => [SettlementRate], {
    nullable: true,
    description: 'The exchange rates the conversions used, one per currency, stored with the statement when the event is settled; null (absent over REST) when nothing was converted.',
  })
  rates?: SettlementRate[];
  @Field({ description: 'Whether this is the stored statement of a settled event.' })
  settled: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the event was settled; null while it is not (the figures are computed now).' })
  settledAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Who settled it (an Auth user id); null while the event is not settled.' })
  settledBy: string | null;
}

/** One sell-through of an offer's projection. */
@ObjectType('OfferProjectionRow', { description: "The settlement of an offer's show as if this share of every tier were sold, in minor units of the projection's currency." })
export class OfferProjectionRow implements Projection {
  @Field(() => Int, { description: 'Percent of every tier (or of the capacity) sold.' })
  sellThrough: number;
  @Field(() => Int, { description: 'Tickets sold: capacity × sellThrough / 100, rounded half-up, split over the tiers in proportion to their allocation.' })
  ticketsSold: number;
  @Field(() => GraphQLSafeInt, { description: 'Σ tickets × price.' })
  gross: number;
  @Field(() => GraphQLSafeInt, { description: 'gross − fees − the tax included in the prices.' })
  netGross: number;
  @Field(() => GraphQLSafeInt, { description: "The budget: the event's expenses not rejected, artist fees excepted (with their VAT unless the company is VAT-registered)." })
  expenses: number;
  @Field(() => GraphQLSafeInt, { description: "The artist's payout under this offer's deal." })
  artistPayout: number;
  @Field(() => GraphQLSafeInt, { description: 'netGross − expenses − artistPayout.' })
  promoterResult: number;
}

/** An offer's projection: its settlement at several sell-throughs, and the breakeven. */
@ObjectType('OfferProjection', {
  description: "What an offer's show would settle at: for each sell-through, the settlement of that share of every tier sold (one formula with the settlement), and the breakeven.",
})
export class OfferProjection implements Projections {
  @MaxItems(101)
  @Field(() => [OfferProjectionRow], { description: 'One per sell-through asked, in the order asked.' })
  projections: OfferProjectionRow[];
  @Field(() => Int, { nullable: true, description: 'The fewest tickets at which promoterResult ≥ 0; null when even a sell-out does not reach it.' })
  breakevenTickets: number | null;
  @Field(() => Int, { nullable: true, description: 'The smallest whole percent sell-through whose tickets reach breakevenTickets; null with it.' })
  breakevenSellThrough: number | null;
}

/** What an agency earned in one currency. */
@ObjectType('AgencyCommissionTotal', { description: "An agency's commission in one currency over settled events (never summed across currencies)." })
export class AgencyCommissionTotal {
  @Field({ description: 'ISO-4217 code (`EUR`) of the amounts.' })
  currency: string;
  @Field(() => GraphQLSafeInt, { description: 'Σ agencyCommission of the payouts to its artists, minor units.' })
  commission: number;
  @Field(() => GraphQLSafeInt, { description: 'Σ those payouts (the fees the commission was taken on), minor units.' })
  payouts: number;
  @Field(() => Int, { description: 'How many payouts carried a commission.' })
  count: number;
}

/** An agency's commission over a period. */
@ObjectType('AgencyCommission', { description: "An agency's commission on the payouts to its artists in the stored statements of events settled in a period." })
export class AgencyCommission {
  @Field(() => GraphQLLocalDate, { description: 'The first day of the period (the company time zone).' })
  from: string;
  @Field(() => GraphQLLocalDate, { description: 'The last day of the period, included (the company time zone).' })
  to: string;
  @MaxItems(CURRENCY_COUNT)
  @Field(() => [AgencyCommissionTotal], { description: 'Per currency, in currency order.' })
  totals: AgencyCommissionTotal[];
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
