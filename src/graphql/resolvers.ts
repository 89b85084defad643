import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Extensions, Field, FieldResolver, getMetadataStorage, Info, Int, Mutation, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '../auth/request-context';
import type { FieldMap } from '../core/fields';
import { LIMIT_DEFAULT, LIMIT_MAX, PAGE_DEFAULT, PAGING_NAMES } from '../core/listing';
import { MaxItems, type ListSize } from '../core/list-size';
import type { ClassType } from '../db/class-type';

/**
 * Resolver classes made at run time from declarations: each member names its GraphQL field, its
 * arguments and one function that receives them as an object. type-graphql's decorators are applied
 * here exactly as they would be in a hand-written class.
 */
export interface ArgDef {
  name: string;
  type: () => unknown;
  nullable?: boolean;
  defaultValue?: unknown;
  description?: string;
}

interface MemberBase {
  name: string;
  returns: () => unknown;
  nullable?: boolean;
  description?: string;
  args: ArgDef[];
  /** The most items a list answers (what the cost limit counts its children by). */
  maxItems?: number;
}

export interface RootFieldDef extends MemberBase {
  kind: 'query' | 'mutation';
  resolve(args: Record<string, unknown>, ctx: RequestContext, info: GraphQLResolveInfo): unknown;
}

export interface TypeFieldDef extends MemberBase {
  kind: 'field';
  resolve(root: never, args: Record<string, unknown>, ctx: RequestContext, info: GraphQLResolveInfo): unknown;
}

/** A `Subscription` field: `subscribe` starts the stream of values, `resolve` reads each one's answer. */
export interface SubscriptionFieldDef extends MemberBase {
  kind: 'subscription';
  subscribe(args: Record<string, unknown>, ctx: RequestContext): Promise<AsyncIterable<unknown>>;
  resolve(root: never, args: Record<string, unknown>, ctx: RequestContext, info: GraphQLResolveInfo): unknown;
}

export type MemberDef = RootFieldDef | TypeFieldDef | SubscriptionFieldDef;

export function buildResolver(className: string, forType: (() => ClassType) | null, members: MemberDef[]): ClassType {
  const cls = { [className]: class {} }[className];
  members.forEach((member, i) => {
    const key = `${member.kind}_${member.name}_${i}`;
    const isField = member.kind === 'field' || member.kind === 'subscription';
    function method(...params: unknown[]) {
      const ctx = params[params.length - 2] as RequestContext;
      const info = params[params.length - 1] as GraphQLResolveInfo;
      const values = isField ? params.slice(1, -2) : params.slice(0, -2);
      const args = Object.fromEntries(member.args.map((a, j) => [a.name, values[j]]));
      return isField ? (member as TypeFieldDef | SubscriptionFieldDef).resolve(params[0] as never, args, ctx, info) : (member as RootFieldDef).resolve(args, ctx, info);
    }
    Object.defineProperty(cls.prototype, key, { value: method, writable: true, configurable: true });
    const descriptor = Object.getOwnPropertyDescriptor(cls.prototype, key)!;
    let index = 0;
    if (isField) Root()(cls.prototype, key, index++);
    for (const a of member.args) {
      Arg(a.name, a.type as never, { nullable: a.nullable, defaultValue: a.defaultValue, description: a.description })(cls.prototype, key, index++);
    }
    Ctx()(cls.prototype, key, index++);
    // What the caller selected below this field: list and relation reads fetch only the columns it needs.
    Info()(cls.prototype, key, index);
    const options = { name: member.name, nullable: member.nullable, description: member.description };
    if (member.maxItems !== undefined) MaxItems(member.maxItems)(cls.prototype, key, descriptor);
    if (member.kind === 'query') Query(member.returns as never, options)(cls.prototype, key, descriptor);
    else if (member.kind === 'mutation') Mutation(member.returns as never, options)(cls.prototype, key, descriptor);
    else if (member.kind === 'subscription') {
      const subscribe = (data: { args: Record<string, unknown>; context: RequestContext }) => member.subscribe(data.args, data.context);
      Subscription(member.returns as never, { ...options, subscribe } as never)(cls.prototype, key, descriptor);
    }
    else FieldResolver(member.returns as never, options)(cls.prototype, key, descriptor);
  });
  if (forType) Resolver(forType)(cls);
  else Resolver()(cls);
  return cls;
}

const pageTypes = new Map<string, ClassType>();

@ObjectType('PageInfo', {
  description:
    'Where a page ends: pass endCursor as `after` (instead of `page`) for the rows after it. Stable under inserts, and a deep page costs what the first does; `page` reaches at most LIST_MAX_PAGE_DEPTH rows deep.',
})
class PageInfo {
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the rows after this page; null on an empty first page.' })
  endCursor: string | null;
  @Field(() => Boolean, { description: 'Whether rows follow this page.' })
  hasNextPage: boolean;
}

/** `<Type>Page`: one page of a list with its total, as REST's `{ data, meta }`; one class per type. */
export function pageType(itemType: ClassType, typeName: string): ClassType {
  const existing = pageTypes.get(typeName);
  if (existing) return existing;
  @ObjectType(`${typeName}Page`, { description: `A page of ${typeName} records.` })
  class Page {
    @Field(() => [itemType], { description: "This page's records, in the list's order." })
    @Extensions({ pageItems: true } satisfies ListSize)
    items: unknown[];
    @Field(() => Int, { description: 'The page number; after a cursor, the page its position falls on at this limit.' })
    page: number;
    @Field(() => Int, { description: `The most records a page holds, as asked (1–${LIMIT_MAX}).` })
    limit: number;
    @Field(() => Int, { description: 'All records matching, over every page: counted exactly up to LIST_COUNT_LIMIT, above it that bound (see totalIsEstimate).' })
    total: number;
    @Field(() => Boolean, { description: 'true: more records match than the count reads, and total is its bound.' })
    totalIsEstimate: boolean;
    @Field(() => PageInfo, { description: 'Where this page ends: the cursor for the rows after it.' })
    pageInfo: PageInfo;
  }
  pageTypes.set(typeName, Page);
  return Page;
}

/** The paging arguments every list field takes. */
export const PAGING_ARGS: ArgDef[] = [
  { name: 'page', type: () => Int, nullable: true, defaultValue: PAGE_DEFAULT, description: 'The page to answer, from 1; a deep page is better reached with `after`.' },
  { name: 'limit', type: () => Int, nullable: true, defaultValue: LIMIT_DEFAULT, description: `Records per page, 1–${LIMIT_MAX}.` },
  {
    name: 'after',
    type: () => String,
    nullable: true,
    description: "The rows after this cursor (a page's `pageInfo.endCursor`), instead of `page`: opaque, valid for the same list, order and filters.",
  },
];

/**
 * Describes a type the kit makes from a declaration (an input type, a filter) where the declaration
 * itself has no words for it; a description it already has stays. Before the schema is built.
 */
export function describeType(type: ClassType, description: string): void {
  const storage = getMetadataStorage();
  const meta = [...storage.inputTypes, ...storage.objectTypes].find((t) => t.target === type);
  if (!meta) throw new Error(`describeType: ${type.name} is no type-graphql type`);
  meta.description ??= description;
}

/**
 * The arguments a caller gave: absent ones arrive as undefined or null, and the validator takes them
 * as not given; a paged field's paging arguments are not part of its own input.
 */
export function givenArgs(args: Record<string, unknown>, paged = false): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([k, v]) => v !== undefined && v !== null && !(paged && (PAGING_NAMES as readonly string[]).includes(k))));
}

/** Declared input fields (a query's, an upload's, a procedure's) as GraphQL arguments. */
export function inputArgs(fields: FieldMap): ArgDef[] {
  return Object.entries(fields).map(([name, spec]) => ({
    name,
    type: spec.graphql,
    nullable: !spec.options.required || spec.options.nullable,
    description: spec.options.description,
  }));
}
