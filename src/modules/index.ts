import { agencyModule } from './agency/agency.module';
import { artistModule } from './artist/artist.module';
import { companyModule } from './company/company.module';
import { vendorModule } from './vendor/vendor.module';
import { venueModule } from './venue/venue.module';
import type { BaseModule } from './module';

/** Every domain module of Base, in one list: entities, resolvers, routes and rules come from here. */
export const MODULES: BaseModule[] = [companyModule, agencyModule, artistModule, venueModule, vendorModule];

export const ENTITIES = MODULES.flatMap((m) => m.entities);
