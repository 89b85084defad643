import { GraphQLSchema, isIntrospectionType, isObjectType } from 'graphql';
import { allow, and, deny, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';

type ShieldRule = Parameters<typeof and>[0];
import type { RequestContext } from '../auth/request-context';
import { ForbiddenError } from '../core/errors';
import { describeRequirement, Permission, Requirement } from '../permissions/catalog';

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
      ctx.can(p) ? true : new ForbiddenError(`Missing permission ${p}`),
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

export function buildShield(spec: RuleSpec) {
  const tree: IRules = {};
  for (const [type, fields] of Object.entries(spec)) {
    (tree as Record<string, Record<string, ShieldRule>>)[type] = Object.fromEntries(
      Object.entries(fields).map(([field, req]) => [field, toShieldRule(req)]),
    );
  }
  return shield(tree, {
    fallbackRule: deny,
    fallbackError: () => new ForbiddenError('No permission is defined for this field'),
    allowExternalErrors: true,
    debug: false,
  });
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
