import type { RequestContext } from '../auth/request-context';
import type { ProcedureDef } from '../core/procedure';
import { isFamilyEntity } from '../core/family';
import { parsePaging } from '../core/listing';
import { TenantEntity } from '../db/base-entity';
import type { ClassType } from '../db/class-type';
import { ArgDef, buildResolver, describeType, givenArgs, inputArgs, MemberDef, pageType, PAGING_ARGS } from './resolvers';
import { mergeRules, RuleSpec } from './rules';
import { selectedFields } from './selection';
import { CREATOR, userFieldsResolver } from './users';

/**
 * The GraphQL side of modules' procedures: a query or mutation each, its rule, and the rules of its
 * answer's types. The answer type is reachable only through the procedure, so its fields need only
 * membership, except the parts that need a permission of their own (null with FORBIDDEN without it).
 */
export interface ProcedureGraph {
  resolvers: ClassType[];
  rules: RuleSpec;
  references: Record<string, { __resolveReference(ref: { id?: unknown }, ctx: RequestContext): unknown }>;
}

const graphs = new WeakMap<ProcedureDef, ProcedureGraph>();

/** Made once per procedure: type-graphql keeps its metadata globally. */
export function procedureGraph(procedure: ProcedureDef): ProcedureGraph {
  let graph = graphs.get(procedure);
  if (!graph) graphs.set(procedure, (graph = makeProcedureGraph(procedure)));
  return graph;
}

function makeProcedureGraph(procedure: ProcedureDef): ProcedureGraph {
  const Type = procedure.returns();
  const Page = procedure.page ? pageType(Type, Type.name) : null;
  if (procedure.inputType) describeType(procedure.inputType, `What \`${procedure.name}\` takes.`);
  const pathArgs = inputArgs(Object.fromEntries(procedure.pathFields.map((name) => [name, procedure.input[name]])));
  const args: ArgDef[] =
    procedure.kind === 'mutation'
      ? [...pathArgs, ...(procedure.inputType ? [{ name: 'input', type: () => procedure.inputType!, description: `What \`${procedure.name}\` takes.` }] : [])]
      : [
          ...inputArgs(procedure.input),
          ...(Page ? PAGING_ARGS : []),
        ];
  const inputOf = (raw: Record<string, unknown>): Record<string, unknown> => {
    const fromArgs = Object.fromEntries(procedure.pathFields.filter((name) => name in raw).map((name) => [name, raw[name]]));
    const given = procedure.kind === 'mutation' ? { ...((raw.input as Record<string, unknown> | undefined) ?? {}), ...fromArgs } : raw;
    return procedure.parseInput(givenArgs({ ...given }, Page !== null));
  };
  const member: MemberDef = {
    kind: procedure.kind,
    name: procedure.name,
    returns: () => Page ?? Type,
    // A DELETE answers nothing.
    nullable: procedure.rest.method === 'DELETE',
    description: procedure.description,
    args,
    resolve: (raw, ctx, info) =>
      procedure.page
        ? procedure.page(inputOf(raw), ctx.scope, parsePaging(raw, 'graphql'), ctx.caller)
        : procedure.run!(inputOf(raw), ctx.scope, ctx.caller, procedure.partsFor(ctx.caller, selectedFields(info))),
  };
  const root = procedure.kind === 'query' ? 'Query' : 'Mutation';
  // A stored record that is no family's (a sync log item) still has its creator as a User.
  const record = Type.prototype instanceof TenantEntity && !isFamilyEntity(Type);
  return {
    resolvers: [buildResolver(`${procedure.name}ProcedureResolver`, null, [member]), ...(record ? [userFieldsResolver(Type, Type.name, CREATOR)] : [])],
    references: record && procedure.kind === 'query' ? { [Type.name]: recordReference(procedure, Type) } : {},
    rules: mergeRules([
      { [root]: { [procedure.name]: procedure.permission } },
      { [Type.name]: { '*': 'member' as const, ...procedure.parts } },
      Page ? { [`${Type.name}Page`]: { '*': 'member' as const } } : {},
      ...procedure.valueTypes.map((t) => ({ [t.name]: { '*': 'member' as const } })),
    ]),
  };
}

/**
 * A stored record a query procedure answers, found by id through `_entities` (when its type has a
 * `@key`): under the procedure's own requirement, in the caller's company.
 */
function recordReference(procedure: ProcedureDef, Type: ClassType): ProcedureGraph['references'][string] {
  return {
    // async: a refusal rejects this one representation (see families.ts).
    async __resolveReference(ref, ctx) {
      ctx.caller.require(procedure.permission);
      return typeof ref.id === 'string' ? ctx.scope.byId(Type as new () => TenantEntity).load(ref.id) : null;
    },
  };
}
