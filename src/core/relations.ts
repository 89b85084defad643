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

export interface BelongsToManyDef {
  kind: 'belongsToMany';
  /** `Event.lineup`: the records whose ids a uuid[] property of the source lists, in its order. */
  source: new () => TenantEntity;
  /** The GraphQL field; may be the ids' own property (REST keeps the ids, GraphQL gives the records). */
  field: string;
  target: new () => TenantEntity;
  keys: string;
  /** The most ids the property holds (what the cost limit counts the field's children by). */
  maxItems: number;
  requirement: Permission;
  description?: string;
}

export type RelationDef = BelongsToDef | HasManyDef | BelongsToManyDef;

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

export function belongsToMany<S extends TenantEntity, T extends TenantEntity>(options: {
  source: new () => S;
  field: string;
  target: new () => T;
  keys: keyof S & string;
  maxItems: number;
  requirement: Permission;
  description?: string;
}): BelongsToManyDef {
  return { kind: 'belongsToMany', ...options };
}
