import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../auth/request-context';
import type { CrudService } from '../core/crud-service';
import { buildFilterType, parseFilters } from '../core/listing';
import { parsePaging } from '../core/listing';
import type { ResourceDef } from '../core/resource';
import type { TenantEntity } from '../db/base-entity';
import type { Requirement } from '../permissions/catalog';
import type { RuleSpec } from './rules';

/** `<Type>Page`: one page of a list with its total, as REST's `{ data, meta }`. */
export function pageType(itemType: Function, typeName: string): Function {
  @ObjectType(`${typeName}Page`, { description: `A page of ${typeName} records.` })
  class Page {
    @Field(() => [itemType])
    items: unknown[];
    @Field(() => Int)
    page: number;
    @Field(() => Int)
    limit: number;
    @Field(() => Int, { description: 'All records matching the filter, over every page.' })
    total: number;
  }
  return Page;
}

/** The query and mutation set of a CRUD family, calling its service. */
export function crudResolver<E extends TenantEntity>(def: ResourceDef<E>, service: CrudService<E>): Function {
  const Type = def.entity;
  const Page = pageType(Type, def.typeName);
  const Filter = buildFilterType(def.typeName, def.filters);
  const { createType, updateType } = def.inputs;

  @Resolver(() => Type)
  class CrudResolver {
    @Query(() => Type, { name: def.singular, nullable: true, description: `One ${def.typeName} by id; null when absent.` })
    one(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
      return service.find(ctx.scope, id);
    }

    @Query(() => Page, { name: def.plural })
    list(
      @Arg('filter', () => Filter, { nullable: true }) filter: Record<string, unknown> | null,
      @Arg('page', () => Int, { nullable: true, defaultValue: 1 }) page: number,
      @Arg('limit', () => Int, { nullable: true, defaultValue: 20 }) limit: number,
      @Ctx() ctx: RequestContext,
    ) {
      const paging = parsePaging({ page, limit });
      return service.list(ctx.scope, parseFilters(def.filters, filter, 'graphql'), paging);
    }

    @Mutation(() => Type, { name: `create${def.typeName}` })
    create(@Arg('input', () => createType) input: unknown, @Ctx() ctx: RequestContext) {
      return service.create(ctx.scope, def.inputs.parseCreate({ ...(input as object) }));
    }

    @Mutation(() => Type, { name: `update${def.typeName}`, description: 'Changes only the fields sent.' })
    update(
      @Arg('id', () => ID) id: string,
      @Arg('input', () => updateType) input: unknown,
      @Ctx() ctx: RequestContext,
    ) {
      const { patch, version } = def.inputs.parseUpdate({ ...(input as object) });
      return service.update(ctx.scope, id, patch, version);
    }

    @Mutation(() => ID, { name: `delete${def.typeName}`, description: 'Returns the id of the deleted record.' })
    async delete(
      @Arg('id', () => ID) id: string,
      @Arg('version', () => Int, { nullable: true }) version: number | null,
      @Ctx() ctx: RequestContext,
    ) {
      await service.delete(ctx.scope, id, version ?? undefined);
      return id;
    }
  }
  return CrudResolver;
}

/** Who may call what: the family's queries, mutations, type fields and page type. */
export function crudRules<E extends TenantEntity>(def: ResourceDef<E>): RuleSpec {
  // `id` only needs membership: it lets a caller with `create` but not `view` learn what it made,
  // and reveals nothing, since every way to reach a record is itself guarded by `view`.
  const fields: Record<string, Requirement> = { '*': def.can.view, id: 'member', ...(def.nested ?? {}) };
  return {
    Query: { [def.singular]: def.can.view, [def.plural]: def.can.view },
    Mutation: {
      [`create${def.typeName}`]: def.can.create,
      [`update${def.typeName}`]: def.can.edit,
      [`delete${def.typeName}`]: def.can.delete,
    },
    [def.typeName]: fields,
    [`${def.typeName}Page`]: { '*': def.can.view },
  };
}

/** Federation entity lookup, checked per type exactly like a direct query. */
export function crudReference<E extends TenantEntity>(def: ResourceDef<E>, service: CrudService<E>) {
  return {
    [def.typeName]: {
      // async: a refusal must reject this one representation, not throw out of @apollo/subgraph's
      // synchronous map over all of them (which would null the whole `_entities` list).
      async __resolveReference(reference: { id: string }, ctx: RequestContext) {
        ctx.require(def.can.view);
        return service.find(ctx.scope, reference.id);
      },
    },
  };
}
