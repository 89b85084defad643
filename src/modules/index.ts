import { agencyModule } from './agency/agency.module';
import type { BaseModule } from './module';

/** Every domain module of Base, in one list: entities, resolvers, routes and rules come from here. */
export const MODULES: BaseModule[] = [agencyModule];

export const ENTITIES = MODULES.flatMap((m) => m.entities);
