import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { TenantEntity } from '../db/base-entity';
import type { Permission } from '../permissions/catalog';

/**
 * Fields between families, declared as data: the GraphQL surface resolves them through the request's
 * tenant-scoped DataLoaders (no N+1) under the permission of the type they return.
 */
export interface BelongsToDef {
  kind: 'belongsTo';
  /** `Artist.agency`: the record a foreign key of the source points at (null when unset). */
  source: new () => TenantEntity;
  field: string;
  target: new () => TenantEntity;
  key: string;
  requirement: Permission;
  description?: string;
}

export interface HasManyDef {
  kind: 'hasMany';
  /** `Agency.artists`: a page of the records whose foreign key points at the source, with the total. */
  source: new () => TenantEntity;
  field: string;
  target: new () => TenantEntity;
  foreignKey: string;
  requirement: Permission;
  order: (qb: SelectQueryBuilder<ObjectLiteral>, alias: string) => void;
  description?: string;
}

export type RelationDef = BelongsToDef | HasManyDef;

export function belongsTo<S extends TenantEntity, T extends TenantEntity>(options: {
  source: new () => S;
  field: string;
  target: new () => T;
  key: keyof S & string;
  requirement: Permission;
  description?: string;
}): BelongsToDef {
  return { kind: 'belongsTo', ...options };
}

export function hasMany<S extends TenantEntity, T extends TenantEntity>(options: {
  source: new () => S;
  field: string;
  target: new () => T;
  foreignKey: keyof T & string;
  requirement: Permission;
  order: (qb: SelectQueryBuilder<ObjectLiteral>, alias: string) => void;
  description?: string;
}): HasManyDef {
  return { kind: 'hasMany', ...options };
}
