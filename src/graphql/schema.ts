import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLResolveInfo, GraphQLSchema, isObjectType, parse } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema, createResolversMap, getMetadataStorage } from 'type-graphql';
import { isFamilyModule, Module } from '../core/module';
import { asDatabaseUnavailable } from '../db/availability';
import { guardEntities } from './entities-guard';
import { procedureGraph } from './procedures';
import { familyGraph, kitGraph } from './families';
import { subscriptionGraph } from './subscriptions';
import { buildPermissionMiddleware, describeFieldRules, LeafRules, leafRules, mergeRules, PLATFORM_RULES, RuleSpec } from './rules';
import type { ClassType } from '../db/class-type';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

export interface BaseSchema {
  /** The executable schema, shield applied. */
  schema: GraphQLSchema;
  /**
   * The same with shield on every root and every field leading to records but no check on leaves:
   * only for an operation whose every leaf rule the caller was found to satisfy before it ran
   * (`leaves`, operationLeafRules; see graphql/executor.ts).
   */
  leafChecked: GraphQLSchema;
  /** The rule of every leaf field, by type. */
  leaves: LeafRules;
  /** The same without shield: only for measuring shield's cost (`npm run bench`). */
  unguarded: GraphQLSchema;
  /** The subgraph SDL that `schema/base.graphql` keeps (`_service { sdl }` answers the same schema, with the federation built-ins spelled out). */
  sdl: string;
  rules: RuleSpec;
  /** `Type.field → permission` for every field, for the coverage test and snapshot. */
  fieldRules: string[];
}

/**
 * A root field that could not reach the database fails with the domain error, made here: the
 * driver's own error (a socket's ECONNREFUSED) is not always recognisable as an Error where shield
 * hands it on, and then it would be read as the field's value.
 */
const databaseErrors = async (
  resolve: (root: unknown, args: unknown, ctx: unknown, info: GraphQLResolveInfo) => unknown,
  root: unknown,
  args: unknown,
  ctx: unknown,
  info: GraphQLResolveInfo,
): Promise<unknown> => {
  try {
    return await resolve(root, args, ctx, info);
  } catch (err) {
    throw asDatabaseUnavailable(err) ?? err;
  }
};

/**
 * The subgraph is built again from the printed SDL, which has no field extensions: the ones
 * type-graphql put on fields (the list sizes the cost limit reads) are carried over.
 */
function carryFieldExtensions(from: GraphQLSchema, to: GraphQLSchema): void {
  for (const type of Object.values(from.getTypeMap())) {
    const target = to.getType(type.name);
    if (!isObjectType(type) || !isObjectType(target)) continue;
    const fields = target.getFields();
    for (const field of Object.values(type.getFields())) {
      if (fields[field.name] && Object.keys(field.extensions).length) {
        fields[field.name].extensions = { ...fields[field.name].extensions, ...field.extensions };
      }
    }
  }
}

/**
 * A record's plain fields are read straight from the record (type-graphql's `simpleResolvers` on
 * every object type that does not choose for itself). Otherwise type-graphql gives each plain field
 * a resolver of its own that only reads the property, and graphql-jit calls it, with an info object
 * made for the call, for every field of every row: a fifth of Base's CPU for a list of 50 artists
 * (`npm run bench`). All such a resolver would add is type-graphql middlewares and its auth checker,
 * which Base does not use (shield guards the fields); refused here if one appears.
 */
function plainFieldsReadDirectly(): void {
  const storage = getMetadataStorage();
  if (storage.middlewares.length || storage.authorizedFields.length) {
    throw new Error('type-graphql middlewares or @Authorized fields need per-field resolvers: see plainFieldsReadDirectly');
  }
  for (const type of storage.objectTypes) type.simpleResolvers ??= true;
}

/** The root types say what they hold (type-graphql gives them no words of their own). */
function describeRoots(schema: GraphQLSchema): void {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  if (subscription) subscription.description ??= "Changes in the caller's company as they happen, over a WebSocket on /graphql (graphql-transport-ws): each value read again under the caller's permissions.";
  if (query) query.description ??= "Reads of the caller's company (the `x-org` header): its records, one by id or a page at a time, and what is computed from them.";
  if (mutation) mutation.description ??= "Changes in the caller's company (the `x-org` header): records created, changed, deleted, and moved by their actions.";
}

/**
 * What the federation spec adds to every subgraph, described for the readers of the executable
 * schema (schema/api.graphql); the subgraph SDL a router composes leaves them out.
 */
function describeFederation(schema: GraphQLSchema): void {
  const describe = (name: string, description: string) => {
    const type = schema.getType(name);
    if (type) type.description ??= description;
  };
  describe('_Any', 'A representation of an entity: its `__typename` and its key fields (`id`).');
  describe('_Entity', 'Every entity type this subgraph finds by id.');
  describe('_Service', "This subgraph's description, for a router's composition.");
  describe('link__Import', 'An element a `@link`ed spec brings in: a name, or `{ name, as }`.');
  describe('link__Purpose', 'What a `@link`ed spec is for.');
  describe('federation__FieldSet', 'A selection of fields, such as the fields of a `@key`.');
  const service = schema.getType('_Service');
  if (isObjectType(service)) service.getFields().sdl.description ??= 'The subgraph SDL a router composes (schema/base.graphql).';
  const fields = schema.getQueryType()?.getFields() ?? {};
  if (fields._service) fields._service.description ??= "This subgraph's SDL, for a router's composition; open to anyone.";
  if (fields._entities) {
    fields._entities.description ??=
      "Entities by key, for a router: each representation is resolved under the caller's permissions and company like a direct query, and answers null when it is absent.";
    const representations = fields._entities.args.find((a) => a.name === 'representations');
    if (representations) representations.description ??= 'The entities to find: `{ __typename, id }` each, at most GRAPHQL_MAX_ENTITIES.';
  }
}

/**
 * type-graphql asks for a pub/sub as soon as there are subscriptions, though each of Base's brings
 * its own `subscribe` (the change feed, graphql/subscriptions.ts); topics are never used.
 */
const NO_PUB_SUB = {
  publish(): void {
    throw new Error('Base publishes no type-graphql topics: changes come from the change feed');
  },
  subscribe(): never {
    throw new Error('Base subscribes to no type-graphql topics: changes come from the change feed');
  },
};

/**
 * type-graphql builds the types and resolvers; the printed SDL with the federation link becomes a
 * Federation 2 subgraph; graphql-shield guards every field with the catalog's rules.
 */
export async function buildBaseSchema(modules: Module[], options: { maxEntities?: number } = {}): Promise<BaseSchema> {
  const graphs = [kitGraph(), ...modules.filter(isFamilyModule).map(familyGraph)];
  const procedures = modules.flatMap((m) => m.procedures ?? []).map(procedureGraph);
  const subscriptions = subscriptionGraph(modules.flatMap((m) => m.subscriptions ?? []));
  // A type answered by several procedures has its fields made once (see users.ts).
  const resolvers = [...new Set([...graphs, ...procedures, subscriptions].flatMap((g) => g.resolvers))] as [ClassType, ...ClassType[]];
  plainFieldsReadDirectly();
  const typeSchema = await buildSchema({ resolvers, skipCheck: true, validate: false, pubSub: NO_PUB_SUB });
  describeRoots(typeSchema);
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeSchema)}`);

  const resolverMap = createResolversMap(typeSchema) as Record<string, Record<string, unknown>>;
  for (const graph of [...graphs, ...procedures]) {
    for (const [type, reference] of Object.entries(graph.references)) {
      if (resolverMap[type]?.__resolveReference) throw new Error(`${type} is found by id in two ways: one entity lookup per type`);
      resolverMap[type] = { ...(resolverMap[type] ?? {}), ...reference };
    }
  }

  const subgraph = buildSubgraphSchema({ typeDefs, resolvers: resolverMap as never });
  carryFieldExtensions(typeSchema, subgraph);
  describeFederation(subgraph);
  guardEntities(subgraph, options.maxEntities);
  const rules = mergeRules([PLATFORM_RULES, ...graphs.map((g) => g.rules), ...procedures.map((g) => g.rules), subscriptions.rules]);
  const schema = applyMiddleware(subgraph, buildPermissionMiddleware(subgraph, rules), { Query: databaseErrors, Mutation: databaseErrors });
  const leafChecked = applyMiddleware(subgraph, buildPermissionMiddleware(subgraph, rules, { leafGuards: false }), { Query: databaseErrors, Mutation: databaseErrors });
  return {
    schema,
    leafChecked,
    leaves: leafRules(subgraph, rules),
    unguarded: subgraph,
    sdl: printSubgraphSchema(subgraph),
    rules,
    fieldRules: describeFieldRules(subgraph, rules),
  };
}
