import { defineDocument } from '../../core/documents';
import type { FamilyModule } from '../../core/module';
import { defineComputedRead } from '../../core/computed-reads';
import { permission } from '../../permissions/catalog';
import { f } from '../../core/fields';
import { Agency, agencyFamily } from '../agencies';
import { Event, eventFamily } from '../events';
import { Offer, offerFamily } from '../offers';
import {
  AgencyCommission,
  AgencyCommissionTotal,
  OfferProjection,
  OfferProjectionRow,
  SettledStatement,
  Settlement,
  settlementFamily,
  SettlementConversion,
  SettlementOtherCurrency,
  SettlementPayout,
  SettlementRate,
} from './settlement.family';
import { settlementService } from './settlement.service';
import { renderSettlementStatement, settlementFileName } from './settlement-statement';

export const settlementModule: FamilyModule<SettledStatement> = {
  family: settlementFamily,
  service: settlementService,
  computedReads: [
    defineComputedRead<Event>({
      of: () => eventFamily,
      name: 'settlement',
      type: Settlement,
      valueTypes: [SettlementPayout, SettlementOtherCurrency, SettlementConversion, SettlementRate],
      // It shows the income and the expenses of the event, so it needs the right to see both.
      requirement: [permission('income', 'view'), permission('expense', 'view')],
      description:
        "The event's settlement in its currency: computed on every read from its tickets, income, approved expenses and the lineup's accepted offers (records in another currency converted at the company's latest rate on or before the show's day); once it is settled, the statement stored then, with the rates it used.",
      read: (events, scope) => settlementService.read(events, scope),
    }),
    defineComputedRead<Offer>({
      of: () => offerFamily,
      name: 'projection',
      type: OfferProjection,
      valueTypes: [OfferProjectionRow],
      requirement: permission('offer', 'view'),
      description:
        "What the offer's show would settle at: for each sell-through, the settlement (the same one as the event's) of that share of every tier of its event sold (without an event: of its venue's capacity at its ticketPrice), the event's expenses that are not rejected as the budget and this offer's deal for the artist; and the breakeven.",
      input: {
        sellThrough: f
          .intList(0, 100, 101)
          .describe('Percentages of every tier sold, 0 to 100 (REST: comma-separated, `25,50,75,100`); the default is 25, 50, 75 and 100.'),
      },
      // An offer in another currency than its event's, or without an event and a price or capacity to sell.
      errors: ['CONFLICT'],
      read: (offers, scope, input) => settlementService.project(offers, (input.sellThrough as number[] | undefined) ?? [25, 50, 75, 100], scope),
    }),
    defineComputedRead<Agency>({
      of: () => agencyFamily,
      name: 'commission',
      type: AgencyCommission,
      valueTypes: [AgencyCommissionTotal],
      requirement: permission('agency', 'view'),
      description:
        "The agency's commission (for its own bookkeeping) on the payouts to its artists in the statements of the events settled in a period, per currency.",
      input: {
        from: f.date().required().describe('The first day of the period (YYYY-MM-DD, the company time zone): events settled on it or later.'),
        to: f.date().required().describe('The last day of the period, included (YYYY-MM-DD, the company time zone).'),
      },
      read: (agencies, scope, input) => Promise.all(agencies.map((agency) => settlementService.commission(agency, input.from as string, input.to as string, scope))),
    }),
  ],
  documents: [
    defineDocument<Event>({
      of: () => eventFamily,
      path: 'settlement/document',
      requirement: [permission('income', 'view'), permission('expense', 'view')],
      description:
        'The settlement statement: every line of the settlement, the deal and payout of each lineup artist, and who settled it and when; "PROVISIONAL" across every page while the event is not settled.',
      fileName: settlementFileName,
      render: async (event, scope) => renderSettlementStatement(event, (await settlementService.read([event], scope))[0], scope),
      urlOn: { type: Settlement, recordId: (settlement) => (settlement as Settlement).eventId },
    }),
  ],
  handlers: {
    // Settling stores the statement in the settle action's own transaction.
    'event.settled': [async (settled, tx) => settlementService.store(settled.entityId, tx)],
  },
};
