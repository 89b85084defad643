import type { FamilyModule } from '../core/module';
import { agencyModule } from './agencies';
import { artistModule } from './artists';
import { availModule } from './avails';
import { companyModule } from './company';
import { eventModule } from './events';
import { ticketModule } from './tickets';
import { vendorModule } from './vendors';
import { venueModule } from './venues';

/** Every family of Base, in one list: the composition makes both surfaces from it. */
export const MODULES: FamilyModule[] = [companyModule, agencyModule, artistModule, venueModule, vendorModule, availModule, eventModule, ticketModule];
