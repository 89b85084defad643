import {
  DocumentNode,
  getNamedType,
  GraphQLFieldResolver,
  GraphQLResolveInfo,
  GraphQLSchema,
  isAbstractType,
  isIntrospectionType,
  isLeafType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { allow, and, deny, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import type { IMiddlewareFunction, IMiddlewareTypeMap } from 'graphql-middleware';

type ShieldRule = Parameters<typeof and>[0];
import type { RequestContext } from '../auth/request-context';
import { ForbiddenError } from '../shared/errors';
import { describeRequirement, Permission, Requirement, requiredPermissions } from '../permissions/catalog';

/** `{ TypeName: { fieldName | '*': requirement } }`, declared by each family. */
export type RuleSpec = Record<string, Record<string, Requirement>>;

export function mergeRules(specs: RuleSpec[]): RuleSpec {
  const merged: RuleSpec = {};
  for (const spec of specs) {
    for (const [type, fields] of Object.entries(spec)) {
      merged[type] ??= {};
      for (const [field, requirement] of Object.entries(fields)) {
        if (field in merged[type] && merged[type][field] !== requirement) {
          throw new Error(`Conflicting permission rules for ${type}.${field}`);
        }
        merged[type][field] = requirement;
      }
    }
  }
  return merged;
}

/** Rules the platform itself needs: federation plumbing. */
export const PLATFORM_RULES: RuleSpec = {
  Query: { _service: 'public', _entities: 'member' },
  _Service: { sdl: 'public' },
};

// One rule object per permission, so shield evaluates each at most once per request.
const permissionRules = new Map<string, ShieldRule>();
function permissionRule(p: Permission): ShieldRule {
  let r = permissionRules.get(p);
  if (!r) {
    r = rule(p, { cache: 'contextual' })((_parent, _args, ctx: RequestContext) =>
      ctx.isMember && ctx.caller.can(p) ? true : new ForbiddenError(`Missing permission ${p}`),
    );
    permissionRules.set(p, r);
  }
  return r;
}
const memberRule = rule('member', { cache: 'contextual' })((_p, _a, ctx: RequestContext) =>
  ctx.isMember ? true : new ForbiddenError('Not a member of this company'),
);

function toShieldRule(requirement: Requirement): ShieldRule {
  if (requirement === 'public') return allow;
  if (requirement === 'member') return memberRule;
  if (typeof requirement === 'string') return permissionRule(requirement);
  return and(...requirement.map(permissionRule));
}

const UNDECLARED = 'No permission is defined for this field';

export function buildShield(spec: RuleSpec) {
  const tree: IRules = {};
  for (const [type, fields] of Object.entries(spec)) {
    (tree as Record<string, Record<string, ShieldRule>>)[type] = Object.fromEntries(
      Object.entries(fields).map(([field, req]) => [field, toShieldRule(req)]),
    );
  }
  return shield(tree, {
    fallbackRule: deny,
    fallbackError: () => new ForbiddenError(UNDECLARED),
    allowExternalErrors: true,
    debug: false,
  });
}

/** A leaf field's rule: `undefined` where none is declared (denied). */
export type LeafRules = Map<string, Map<string, Requirement | undefined>>;

/**
 * The leaves of a schema with their rules: the scalar and enum fields without arguments of every
 * object type but the roots (a record's `name`, a page's `total`). Every other field leads to other
 * records or is a root, and shield guards it.
 */
export function leafRules(schema: GraphQLSchema, spec: RuleSpec): LeafRules {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t!.name));
  const leaves: LeafRules = new Map();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type) || roots.has(type.name)) continue;
    const fields = new Map<string, Requirement | undefined>();
    for (const [name, field] of Object.entries(type.getFields())) {
      if (field.args.length === 0 && isLeafType(getNamedType(field.type))) fields.set(name, spec[type.name]?.[name] ?? spec[type.name]?.['*']);
    }
    leaves.set(type.name, fields);
  }
  return leaves;
}

/**
 * The permission middleware of a schema, from the rules: graphql-shield guards every root field (each
 * query and mutation) and every field that leads to other records (relations, pages, history, value
 * objects), so each way to reach a record is checked by it. A leaf (a scalar or enum field of a
 * record, a page's `total`) has a rule too, and the same one, but it is checked by a synchronous
 * guard: every rule depends on the caller only, never on the row, and shield's promise per field per
 * row was most of a large list's execution time. Undeclared leaves are denied, like shield denies.
 *
 * `leafGuards: false` leaves the leaves unwrapped: for executing an operation whose every leaf the
 * caller was found allowed before it ran (see operationLeafRules), so no row needs its check again.
 */
export function buildPermissionMiddleware(schema: GraphQLSchema, spec: RuleSpec, options: { leafGuards?: boolean } = {}): IMiddlewareTypeMap {
  const shielded = buildShield(spec).generate(schema) as IMiddlewareTypeMap;
  const leaves = leafRules(schema, spec);
  const middleware: IMiddlewareTypeMap = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const fields: Record<string, IMiddlewareFunction> = {};
    const leafFields = leaves.get(type.name);
    for (const name of Object.keys(type.getFields())) {
      if (!leafFields?.has(name)) fields[name] = (shielded[type.name] as Record<string, IMiddlewareFunction>)[name];
      else if (options.leafGuards !== false && leafFields.get(name) !== 'public') fields[name] = leafGuard(leafFields.get(name));
    }
    middleware[type.name] = fields;
  }
  return middleware;
}

/**
 * The rules of every leaf an operation can read, whatever the data (each field of an interface or
 * fragment counted for every object type it may run on); null when the document has no such
 * operation. The caller satisfying all of them is the same as every leaf guard letting every row pass.
 */
export function operationLeafRules(schema: GraphQLSchema, leaves: LeafRules, document: DocumentNode, operationName?: string | null): (Requirement | undefined)[] | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return null;
  const found = new Set<Requirement | undefined>();
  const typeInfo = new TypeInfo(schema);
  // Every fragment of the document, used or not: at worst one more rule to check.
  const nodes = [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)];
  for (const node of nodes) {
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field(field) {
          const parent = typeInfo.getParentType();
          if (!parent || field.name.value.startsWith('__')) return;
          const types = isObjectType(parent) ? [parent] : isAbstractType(parent) ? schema.getPossibleTypes(parent) : [];
          for (const type of types) {
            const rules = leaves.get(type.name);
            if (rules?.has(field.name.value)) found.add(rules.get(field.name.value));
          }
        },
      }),
    );
  }
  return [...found];
}

/** The requirement checked without a promise; the refusal is the field's error, as shield's is. */
function leafGuard(requirement: Requirement | undefined): IMiddlewareFunction {
  // graphql-middleware's types promise a promise; a synchronous answer is what graphql-js runs fastest.
  if (requirement === undefined) return (() => new ForbiddenError(UNDECLARED)) as unknown as IMiddlewareFunction;
  const needed = requiredPermissions(requirement);
  const refusal = (ctx: RequestContext): Error | null => {
    if (!ctx.isMember) return new ForbiddenError(needed.length ? `Missing permission ${needed[0]}` : 'Not a member of this company');
    const missing = needed.find((p) => !ctx.caller.can(p));
    return missing ? new ForbiddenError(`Missing permission ${missing}`) : null;
  };
  return ((resolve: GraphQLFieldResolver<unknown, RequestContext>, root: unknown, args: Record<string, unknown>, ctx: RequestContext, info: GraphQLResolveInfo) =>
    refusal(ctx) ?? resolve(root, args, ctx, info)) as unknown as IMiddlewareFunction;
}

/**
 * Every field of the schema with what it needs, `UNDECLARED` where no rule covers it (shield then
 * denies it). Feeds the coverage test and the committed permission snapshot.
 */
export function describeFieldRules(schema: GraphQLSchema, spec: RuleSpec): string[] {
  const lines: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    for (const field of Object.keys(type.getFields())) {
      const req = spec[type.name]?.[field] ?? spec[type.name]?.['*'];
      lines.push(`${type.name}.${field} → ${req === undefined ? 'UNDECLARED' : describeRequirement(req)}`);
    }
  }
  return lines.sort();
}
