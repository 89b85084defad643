import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { TenantEntity } from '../db/base-entity';
import { Permission, permission, Requirement, Resource } from '../permissions/catalog';
import { defineInputs, FieldMap, InputParsers } from './fields';
import type { FilterMap } from './listing';

/**
 * A CRUD family, declared once. The generic service, the REST route set, the GraphQL resolver set,
 * the permission rules and the federation reference resolver are all made from it.
 */
export interface ResourceOptions<E extends TenantEntity> {
  /** The TypeORM entity, which is also the GraphQL object type (`@key(fields: "id")`). */
  entity: new () => E;
  /** The permission family in the catalog (`basic.<resource>.*`). */
  resource: Resource;
  /** GraphQL names: `agency(id)`, `agencies(...)`, `createAgency`, … */
  singular: string;
  plural: string;
  /** REST path below /api; defaults to `/<plural>`. */
  path?: string;
  fields: FieldMap;
  filters: FilterMap;
  /** Default order of a list; the id breaks ties so pages are stable. */
  order: (qb: SelectQueryBuilder<ObjectLiteral>, alias: string) => void;
  /** Fields of the type that return another family, with the permission each needs. */
  nested?: Record<string, Requirement>;
}

export interface ResourceDef<E extends TenantEntity> extends ResourceOptions<E> {
  typeName: string;
  path: string;
  inputs: InputParsers<Partial<E>, Partial<E>>;
  can: {
    view: Permission;
    create: Permission;
    edit: Permission;
    delete: Permission;
  };
}

export function defineResource<E extends TenantEntity>(options: ResourceOptions<E>): ResourceDef<E> {
  const typeName = options.entity.name;
  const actions = ['view', 'create', 'edit', 'delete'] as const;
  const can = Object.fromEntries(
    actions.map((a) => [a, permission(options.resource, a as never)]),
  ) as ResourceDef<E>['can'];
  return {
    ...options,
    typeName,
    path: options.path ?? `/${options.plural}`,
    inputs: defineInputs<Partial<E>, Partial<E>>(typeName, options.fields),
    can,
  };
}
