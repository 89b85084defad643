import type { TenantEntity } from '../db/base-entity';
import { crudReference, crudResolver, crudRules } from '../graphql/crud-resolver';
import { mergeRules } from '../graphql/rules';
import { crudRoutes } from '../http/crud-routes';
import type { BaseModule } from '../modules/module';
import { CrudService } from './crud-service';
import type { ResourceDef } from './resource';

/**
 * A whole module for a CRUD family: its service plus the generated REST routes, resolvers, rules and
 * reference resolver. `extra` adds what is particular to the family (actions, nested fields).
 */
export function crudModule<E extends TenantEntity, S extends CrudService<E>>(
  def: ResourceDef<E>,
  service: S,
  extra: Partial<Omit<BaseModule, 'name'>> = {},
): BaseModule & { service: S } {
  return {
    name: def.singular,
    service,
    entities: [def.entity, ...(extra.entities ?? [])],
    resolvers: [crudResolver(def, service), ...(extra.resolvers ?? [])],
    routes: [...crudRoutes(def, service), ...(extra.routes ?? [])],
    rules: mergeRules([crudRules(def), extra.rules ?? {}]),
    references: { ...crudReference(def, service), ...(extra.references ?? {}) } as BaseModule['references'],
  };
}
