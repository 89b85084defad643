import { asModule } from '../core/module';
import { agencyFamily } from './agencies';
import { aiModule } from './ai';
import { agreementModule } from './agreements';
import { artistModule } from './artists';
import { availModule } from './avails';
import { calendarFeedModule } from './calendar-feeds';
import { companyFamily } from './company';
import { notificationModule } from './notifications';
import { dashboardModule } from './dashboard';
import { offerModule } from './offers';
import { paymentModule } from './payments';
import { eventModule } from './events';
import { expenseModule } from './expenses';
import { fileModule } from './files';
import { fxRateFamily } from './fx-rates';
import { incomeModule } from './incomes';
import { settlementModule } from './settlements';
import { taskModule } from './tasks';
import { ticketModule } from './tickets';
import { vendorFamily } from './vendors';
import { venueFamily } from './venues';
import { webhookDeliveryModule, webhookModule } from './webhooks';
import { xeroModule } from './xero';

/** Every family of Base, in one list: the composition makes both surfaces from it. */
export const MODULES = [
  companyFamily,
  fxRateFamily,
  agencyFamily,
  artistModule,
  venueFamily,
  vendorFamily,
  availModule,
  agreementModule,
  paymentModule,
  offerModule,
  eventModule,
  ticketModule,
  incomeModule,
  expenseModule,
  aiModule,
  settlementModule,
  xeroModule,
  taskModule,
  notificationModule,
  dashboardModule,
  fileModule,
  calendarFeedModule,
  webhookModule,
  webhookDeliveryModule,
].map(asModule);
