import { isFamilyModule, Module } from '../core/module';
import { endpointRoute } from './endpoints';
import { familyRoutes, FamilyRouteOptions } from './families';
import type { RouteDef } from './rest';

/** The REST routes of every module: each family's, then the modules' endpoints. */
export function moduleRoutes(modules: Module[], options?: FamilyRouteOptions): RouteDef[] {
  return [...modules.filter(isFamilyModule).flatMap((m) => familyRoutes(m, options)), ...modules.flatMap((m) => m.endpoints ?? []).map(endpointRoute)];
}
