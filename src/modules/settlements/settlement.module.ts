import { defineDocument } from '../../core/documents';
import type { FamilyModule } from '../../core/module';
import { defineComputedRead } from '../../core/computed-reads';
import { permission } from '../../permissions/catalog';
import { Event, eventFamily } from '../events';
import { SettledStatement, Settlement, settlementFamily, SettlementOtherCurrency, SettlementPayout } from './settlement.family';
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
      valueTypes: [SettlementPayout, SettlementOtherCurrency],
      // It shows the income and the expenses of the event, so it needs the right to see both.
      requirement: [permission('income', 'view'), permission('expense', 'view')],
      description:
        "The event's settlement in its currency: computed on every read from its tickets, income, approved expenses and the lineup's accepted offers; once it is settled, the statement stored then.",
      read: (events, scope) => settlementService.read(events, scope),
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
