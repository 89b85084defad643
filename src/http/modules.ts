import { isFamilyModule, Module } from '../core/module';
import { procedureRoute } from './procedures';
import { secretLinkRoute } from './links';
import { familyRoutes, FamilyRouteOptions } from './families';
import type { RouteDef, RouteTag } from './rest';
import { headline, pascal } from './route-docs';

/** The REST routes of every module: each family's, then the modules' procedures. */
export function moduleRoutes(modules: Module[], options?: FamilyRouteOptions): RouteDef[] {
  return [
    ...modules.filter(isFamilyModule).flatMap((m) => familyRoutes(m, options)),
    ...modules.flatMap((m) => (m.procedures ?? []).map((e) => procedureRoute(e, moduleTag(m)))),
    ...modules.flatMap((m) => (m.links ?? []).map((link) => secretLinkRoute(link, moduleTag(m)))),
  ];
}

/** A module's procedures are listed under its name (a short one is an acronym: `AI`); a family module's under its family's. */
function moduleTag(module: Module): RouteTag {
  if (isFamilyModule(module)) return { name: pascal(module.family.plural), description: module.family.description ?? '' };
  const name = module.name.length <= 2 ? module.name.toUpperCase() : pascal(module.name);
  // Described by what its operations do (a module has no description of its own).
  return { name, description: (module.procedures ?? []).map((e) => headline(e.description)).join('; ') + '.' };
}
