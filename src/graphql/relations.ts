import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ObjectLiteral } from 'typeorm';
import type { RequestContext } from '../auth/request-context';
import type { TenantEntity } from '../db/base-entity';
import type { QueryShaper } from '../db/tenant-scope';
import type { Permission } from '../permissions/catalog';
import type { RuleSpec } from './rules';

/**
 * Nested fields between families, batched through the request's tenant-scoped DataLoaders (no N+1)
 * and guarded by the permission of the type they return.
 */
export interface Relation {
  resolver: Function;
  rules: RuleSpec;
}

/** `Artist.agency`: the record a foreign key points at (null when unset). */
export function belongsTo<S extends ObjectLiteral, T extends TenantEntity>(options: {
  source: new () => S;
  field: string;
  target: new () => T;
  key: keyof S & string;
  requirement: Permission;
  description?: string;
}): Relation {
  const { source, target, key } = options;

  @Resolver(() => source)
  class BelongsTo {
    @FieldResolver(() => target, { name: options.field, nullable: true, description: options.description })
    resolve(@Root() row: S, @Ctx() ctx: RequestContext) {
      const id = row[key] as string | null;
      return id ? ctx.scope.byId(target).load(id) : null;
    }
  }
  return { resolver: BelongsTo, rules: { [source.name]: { [options.field]: options.requirement } } };
}

/** `Agency.artists`: the records whose foreign key points at this one. */
export function hasMany<S extends TenantEntity, T extends TenantEntity>(options: {
  source: new () => S;
  field: string;
  target: new () => T;
  foreignKey: keyof T & string;
  requirement: Permission;
  order?: QueryShaper<T>;
  description?: string;
}): Relation {
  const { source, target } = options;

  @Resolver(() => source)
  class HasMany {
    // nullable: a denied nested list is null with FORBIDDEN on its path, the rest still arrives
    @FieldResolver(() => [target], { name: options.field, nullable: true, description: options.description })
    resolve(@Root() row: S, @Ctx() ctx: RequestContext) {
      return ctx.scope.manyBy(target, options.foreignKey, options.order).load(row.id);
    }
  }
  return { resolver: HasMany, rules: { [source.name]: { [options.field]: options.requirement } } };
}
