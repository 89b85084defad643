import type { TenantEntity } from '../db/base-entity';
import type { EventHandlers } from './events';
import type { FamilyDef } from './family';
import type { RelationDef } from './relations';
import type { FamilyService } from './service';

/**
 * What one family hands the composition (`src/modules/index.ts` lists them all): its declaration and
 * service, the fields it adds between families, and the handlers it runs on other families' events.
 * The surfaces make routes, resolvers, rules and OpenAPI from it; nothing here knows HTTP or GraphQL.
 */
export interface FamilyModule<E extends TenantEntity = TenantEntity> {
  family: FamilyDef<E>;
  service: FamilyService<E>;
  relations?: RelationDef[];
  /** Event type → handlers run inside the transaction that recorded the event. */
  handlers?: EventHandlers;
}
