import type { EventTypeOf } from '../core/event-types';
import { agencyFamily } from './agencies';
import { agreementFamily } from './agreements';
import { artistFamily } from './artists';
import { availFamily } from './avails';
import { companyFamily } from './company';
import { eventFamily } from './events';
import { expenseFamily } from './expenses';
import { fileFamily } from './files';
import { fxRateFamily } from './fx-rates';
import { incomeFamily } from './incomes';
import { notificationFamily } from './notifications';
import { offerFamily } from './offers';
import { paymentFamily } from './payments';
import { settlementFamily } from './settlements';
import { taskFamily } from './tasks';
import { ticketFamily } from './tickets';
import { vendorFamily } from './vendors';
import { venueFamily } from './venues';
import { webhookDeliveryFamily, webhookFamily } from './webhooks';
import { XERO_EVENTS } from './xero';

/**
 * What declares Base's event types: every family, and the modules that record events of their own.
 * A test checks it declares exactly the event types of MODULES, so a new family cannot be left out.
 */
export const EVENT_SOURCES = [
  agencyFamily,
  agreementFamily,
  artistFamily,
  availFamily,
  companyFamily,
  eventFamily,
  expenseFamily,
  fileFamily,
  fxRateFamily,
  incomeFamily,
  notificationFamily,
  offerFamily,
  paymentFamily,
  settlementFamily,
  taskFamily,
  ticketFamily,
  vendorFamily,
  venueFamily,
  webhookFamily,
  webhookDeliveryFamily,
  { events: XERO_EVENTS },
] as const;

/** Every event type of Base, spelled out from the declarations above. */
export type BaseEventType = EventTypeOf<(typeof EVENT_SOURCES)[number]>;

// The kit's registry of event types learns Base's: handler and notice keys, and the type of every
// recorded event, are checked against it when compiling.
declare module '../core/event-types' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds keys
  interface EventTypes extends Record<BaseEventType, true> {}
}
