import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';
import { CurrencyAmount } from '../../core/amount';
import { CURRENCY_COUNT, MaxItems } from '../../core/list-size';
import { Event } from '../events';
import { ApprovalTotal } from '../expenses';
import { OFFER_STATES, OfferStateEnum } from '../offers';
import type { OfferState } from '../offers';

/**
 * The dashboard's answer types (no table): the period it covers and one part per subject. Every part
 * needs a permission of its own besides `basic.dashboard.view` (see dashboard.module.ts); a part the
 * caller may not see is absent (REST) or null with FORBIDDEN on its path (GraphQL), and never computed.
 */

/** How many upcoming events the dashboard lists, and how many events' sales. */
export const NEXT_EVENTS = 5;
export const SALES_EVENTS = 10;

@ObjectType('DashboardUpcomingEvents', { description: 'Events starting in the period, cancelled ones left out.' })
export class DashboardUpcomingEvents {
  @Field(() => Int, { description: 'How many events start in the period.' })
  count: number;

  @Field(() => [Event], { description: 'The first five of them, soonest first.' })
  @MaxItems(NEXT_EVENTS)
  next: Event[];
}

@ObjectType('DashboardHolds', { description: 'Holds standing on their ladders (held or challenged, not past expiry) for days in the period.' })
export class DashboardHolds {
  @Field(() => Int, { description: 'How many holds stand: held and challenged together.' })
  total: number;

  @Field(() => Int, { description: 'Of them, those held and not challenged.' })
  held: number;

  @Field(() => Int, { description: 'Of them, those challenged and awaiting an answer.' })
  challenged: number;

  @Field(() => Int, { description: 'Of them, the first holds of their slots (hold level 1).' })
  firstHolds: number;
}

@ObjectType('DashboardOfferCount', { description: 'How many offers are in one status.' })
export class DashboardOfferCount {
  @Field(() => OfferStateEnum, { description: 'The status counted (as the offer reads it now: a sent offer past its expiry is expired).' })
  status: OfferState;

  @Field(() => Int, { description: 'How many offers for shows in the period are in it (0 included).' })
  count: number;
}

@ObjectType('DashboardApprovals', { description: 'The approval queue as it stands: every submitted expense, whatever its event date.' })
export class DashboardApprovals {
  @Field(() => Int, { description: 'How many expenses are submitted and waiting for a decision.' })
  count: number;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the longest-waiting expense was submitted.' })
  oldestSubmittedAt: Date | null;

  @MaxItems(CURRENCY_COUNT)
  @Field(() => [ApprovalTotal], { description: 'What the queue amounts to, per currency (as `approvalTotals`).' })
  amounts: ApprovalTotal[];
}

@ObjectType('DashboardEventSales', { description: 'Tickets of one event: sold against what can be sold.' })
export class DashboardEventSales {
  @Field(() => Event, { description: 'The event whose tickets these are.' })
  event: Event;

  @Field(() => Int, { description: 'Tickets sold, all tiers.' })
  sold: number;

  @Field(() => Int, { description: 'Tickets given away, all tiers.' })
  comps: number;

  @Field(() => Int, { description: 'What can be sold: the tiers’ quantities less their kills.' })
  allocation: number;

  @Field(() => Int, { nullable: true, description: 'sold / allocation in basis points (7500 = 75 %); null without an allocation.' })
  sellThrough: number | null;
}

@ObjectType('DashboardSellThrough', { description: 'Ticket sales of the events starting in the period (cancelled ones left out).' })
export class DashboardSellThrough {
  @Field(() => Int, { description: 'Events counted.' })
  events: number;

  @Field(() => Int, { description: 'Tickets sold, all tiers of all events counted.' })
  sold: number;

  @Field(() => Int, { description: 'Tickets given away, all tiers of all events counted.' })
  comps: number;

  @Field(() => Int, { description: 'What can be sold, all events counted: the tiers’ quantities less their kills.' })
  allocation: number;

  @Field(() => Int, { nullable: true, description: 'All events together, in basis points; null without an allocation.' })
  sellThrough: number | null;

  @Field(() => [DashboardEventSales], { description: 'The first ten events, soonest first.' })
  @MaxItems(SALES_EVENTS)
  next: DashboardEventSales[];
}

@ObjectType('DashboardTasks', { description: "The caller's open tasks (to do or in progress, assigned to them)." })
export class DashboardTasks {
  @Field(() => Int, { description: 'Open tasks assigned to the caller, whatever their due time.' })
  open: number;
  @Field(() => Int, { description: 'Of them, those past their due time.' })
  overdue: number;
  @Field(() => Int, { description: 'Of them, those due in the period.' })
  dueInPeriod: number;
}

@ObjectType('DashboardPaymentsDue', {
  description: 'Unpaid payments of agreement schedules due before the end of the period (the overdue ones of earlier days included), per currency.',
})
export class DashboardPaymentsDue {
  @Field(() => Int, { description: 'Unpaid payments due before the end of the period, overdue ones included.' })
  count: number;
  @MaxItems(CURRENCY_COUNT)
  @Field(() => [CurrencyAmount], { description: 'Their sum per currency.' })
  amounts: CurrencyAmount[];
  @Field(() => Int, { description: 'Of them, those past their due time (overdue).' })
  overdueCount: number;
  @MaxItems(CURRENCY_COUNT)
  @Field(() => [CurrencyAmount], { description: 'The sum of the overdue ones per currency.' })
  overdueAmounts: CurrencyAmount[];
}

@ObjectType('Dashboard', {
  description:
    'What needs attention in a period (default: today and the next 30 days in the company’s time zone). ' +
    'Each part needs its own view permission; one the caller lacks is null with FORBIDDEN on its path (REST leaves it out).',
})
export class Dashboard {
  @Field(() => GraphQLISODateTime, { description: 'Start of the period (included).' })
  from: Date;

  @Field(() => GraphQLISODateTime, { description: 'End of the period (excluded): a `to` day counts whole.' })
  to: Date;

  @Field(() => String, { description: 'The company’s time zone, in which the days of the period are read.' })
  timezone: string;

  @Field(() => DashboardUpcomingEvents, { nullable: true, description: 'Needs basic.event.view.' })
  upcomingEvents?: DashboardUpcomingEvents;

  @Field(() => DashboardHolds, { nullable: true, description: 'Needs basic.avail.view.' })
  activeHolds?: DashboardHolds;

  @MaxItems(OFFER_STATES.length)
  @Field(() => [DashboardOfferCount], { nullable: true, description: 'Offers for shows in the period, per status (every status, zeros included). Needs basic.offer.view.' })
  offersByStatus?: DashboardOfferCount[];

  @Field(() => DashboardApprovals, { nullable: true, description: 'Needs basic.approval.view.' })
  pendingApprovals?: DashboardApprovals;

  @MaxItems(CURRENCY_COUNT)
  @Field(() => [CurrencyAmount], { nullable: true, description: 'Income of the events starting in the period, per currency. Needs basic.income.view.' })
  income?: CurrencyAmount[];

  @MaxItems(CURRENCY_COUNT)
  @Field(() => [CurrencyAmount], {
    nullable: true,
    description: 'Approved expenses of the events starting in the period, per currency. Needs basic.expense.view.',
  })
  approvedExpenses?: CurrencyAmount[];

  @Field(() => DashboardSellThrough, { nullable: true, description: 'Needs basic.ticket.view and basic.event.view.' })
  sellThrough?: DashboardSellThrough;

  @Field(() => DashboardTasks, { nullable: true, description: "The caller's open and overdue tasks. Needs basic.task.view." })
  myTasks?: DashboardTasks;

  @Field(() => DashboardPaymentsDue, { nullable: true, description: 'Payments of agreements due in the period or overdue. Needs basic.agreement.view.' })
  paymentsDue?: DashboardPaymentsDue;
}
