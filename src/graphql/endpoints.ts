import type { RequestContext } from '../auth/request-context';
import type { EndpointDef } from '../core/endpoint';
import { familyByTypeName } from '../core/family';
import { parsePaging } from '../core/listing';
import { TenantEntity } from '../db/base-entity';
import type { ClassType } from '../db/class-type';
import { ArgDef, buildResolver, describeType, givenArgs, inputArgs, MemberDef, pageType, PAGING_ARGS } from './resolvers';
import { mergeRules, RuleSpec } from './rules';
import { selectedFields } from './selection';
import { CREATOR, userFieldsResolver } from './users';

/**
 * The GraphQL side of modules' endpoints: a query or mutation each, its rule, and the rules of its
 * answer's types. The answer type is reachable only through the endpoint, so its fields need only
 * membership, except the parts that need a permission of their own (null with FORBIDDEN without it).
 */
export interface EndpointGraph {
  resolvers: ClassType[];
  rules: RuleSpec;
  references: Record<string, { __resolveReference(ref: { id?: unknown }, ctx: RequestContext): unknown }>;
}

const graphs = new WeakMap<EndpointDef, EndpointGraph>();

/** Made once per endpoint: type-graphql keeps its metadata globally. */
export function endpointGraph(endpoint: EndpointDef): EndpointGraph {
  let graph = graphs.get(endpoint);
  if (!graph) graphs.set(endpoint, (graph = makeEndpointGraph(endpoint)));
  return graph;
}

function makeEndpointGraph(endpoint: EndpointDef): EndpointGraph {
  const Type = endpoint.returns();
  const Page = endpoint.page ? pageType(Type, Type.name) : null;
  if (endpoint.inputType) describeType(endpoint.inputType, `What \`${endpoint.name}\` takes.`);
  const pathArgs = inputArgs(Object.fromEntries(endpoint.pathFields.map((name) => [name, endpoint.input[name]])));
  const args: ArgDef[] =
    endpoint.kind === 'mutation'
      ? [...pathArgs, ...(endpoint.inputType ? [{ name: 'input', type: () => endpoint.inputType!, description: `What \`${endpoint.name}\` takes.` }] : [])]
      : [
          ...inputArgs(endpoint.input),
          ...(Page ? PAGING_ARGS : []),
        ];
  const inputOf = (raw: Record<string, unknown>): Record<string, unknown> => {
    const fromArgs = Object.fromEntries(endpoint.pathFields.filter((name) => name in raw).map((name) => [name, raw[name]]));
    const given = endpoint.kind === 'mutation' ? { ...((raw.input as Record<string, unknown> | undefined) ?? {}), ...fromArgs } : raw;
    return endpoint.parseInput(givenArgs({ ...given }, Page !== null));
  };
  const member: MemberDef = {
    kind: endpoint.kind,
    name: endpoint.name,
    returns: () => Page ?? Type,
    // A DELETE answers nothing.
    nullable: endpoint.rest.method === 'DELETE',
    description: endpoint.description,
    args,
    resolve: (raw, ctx, info) =>
      endpoint.page
        ? endpoint.page(inputOf(raw), ctx.scope, parsePaging(raw, 'graphql'), ctx)
        : endpoint.run!(inputOf(raw), ctx.scope, ctx, endpoint.partsFor(ctx, selectedFields(info))),
  };
  const root = endpoint.kind === 'query' ? 'Query' : 'Mutation';
  // A stored record that is no family's (a sync log item) still has its creator as a User.
  const record = Type.prototype instanceof TenantEntity && !familyByTypeName(Type.name);
  return {
    resolvers: [buildResolver(`${endpoint.name}EndpointResolver`, null, [member]), ...(record ? [userFieldsResolver(Type, Type.name, CREATOR)] : [])],
    references: record && endpoint.kind === 'query' ? { [Type.name]: recordReference(endpoint, Type) } : {},
    rules: mergeRules([
      { [root]: { [endpoint.name]: endpoint.permission } },
      { [Type.name]: { '*': 'member' as const, ...endpoint.parts } },
      Page ? { [`${Type.name}Page`]: { '*': 'member' as const } } : {},
      ...endpoint.valueTypes.map((t) => ({ [t.name]: { '*': 'member' as const } })),
    ]),
  };
}

/**
 * A stored record a query endpoint answers, found by id through `_entities` (when its type has a
 * `@key`): under the endpoint's own requirement, in the caller's company.
 */
function recordReference(endpoint: EndpointDef, Type: ClassType): EndpointGraph['references'][string] {
  return {
    // async: a refusal rejects this one representation (see families.ts).
    async __resolveReference(ref, ctx) {
      ctx.require(endpoint.permission);
      return typeof ref.id === 'string' ? ctx.scope.byId(Type as new () => TenantEntity).load(ref.id) : null;
    },
  };
}
