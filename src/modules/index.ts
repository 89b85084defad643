import type { FamilyModule } from '../core/module';
import { agencyModule } from './agencies';
import { agreementModule } from './agreements';
import { artistModule } from './artists';
import { availModule } from './avails';
import { companyModule } from './company';
import { offerModule } from './offers';
import { eventModule } from './events';
import { expenseModule } from './expenses';
import { fileModule } from './files';
import { incomeModule } from './incomes';
import { ticketModule } from './tickets';
import { vendorModule } from './vendors';
import { venueModule } from './venues';

/** Every family of Base, in one list: the composition makes both surfaces from it. */
export const MODULES: FamilyModule[] = [
  companyModule,
  agencyModule,
  artistModule,
  venueModule,
  vendorModule,
  availModule,
  agreementModule,
  offerModule,
  eventModule,
  ticketModule,
  incomeModule,
  expenseModule,
  fileModule,
];
