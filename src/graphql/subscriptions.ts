import type { RequestContext } from '../auth/request-context';
import type { SubscriptionDef } from '../core/subscriptions';
import type { ClassType } from '../db/class-type';
import { BadRequestError } from '../shared/errors';
import { buildResolver, givenArgs, inputArgs, MemberDef } from './resolvers';
import { mergeRules, RuleSpec } from './rules';

/**
 * One value of a subscription, with the request context it is answered in: made for this delivery
 * (the caller's access as now resolved, a scope with empty loaders), so shield checks each delivery
 * as it checks a query, and nothing read for an earlier one is served again.
 */
export interface Delivery {
  value: unknown;
  context: RequestContext;
}

/** Where a subscription's values come from: the socket it was started on (subscriptions-server.ts). */
export interface Follower {
  follow(def: SubscriptionDef, input: Record<string, unknown>, ctx: RequestContext): AsyncIterable<Delivery>;
}

const followers = new WeakMap<RequestContext, Follower>();

/** The context a socket's operation runs in, and the socket's way to follow changes. */
export function followedBy(ctx: RequestContext, follower: Follower): RequestContext {
  followers.set(ctx, follower);
  return ctx;
}

export interface SubscriptionGraph {
  resolvers: ClassType[];
  rules: RuleSpec;
}

const resolvers = new WeakMap<SubscriptionDef, ClassType>();

/**
 * The `Subscription` fields of the modules' subscriptions: each checks its requirement and its
 * arguments when it starts (a refusal ends that subscription with the error), and answers each
 * delivered value with the selection, under the same rule (checked again per delivery by shield).
 * One resolver per subscription, made once: type-graphql keeps its metadata globally.
 */
export function subscriptionGraph(defs: SubscriptionDef[]): SubscriptionGraph {
  return {
    resolvers: defs.map(subscriptionResolver),
    rules: mergeRules(defs.map((d) => ({ Subscription: { [d.name]: d.permission } }))),
  };
}

function subscriptionResolver(def: SubscriptionDef): ClassType {
  let resolver = resolvers.get(def);
  if (resolver) return resolver;
  const member: MemberDef = {
    kind: 'subscription',
    name: def.name,
    returns: () => (def.maxItems === undefined ? def.returns() : [def.returns()]),
    maxItems: def.maxItems,
    description: def.description,
    args: inputArgs(def.input),
    async subscribe(raw, ctx) {
      const follower = followers.get(ctx);
      if (!follower) throw new BadRequestError('Subscriptions are served over a WebSocket on /graphql (graphql-transport-ws)');
      ctx.caller.require(def.permission);
      const input = def.parseInput(givenArgs(raw));
      await def.start?.(input, ctx.scope, ctx.caller);
      return follower.follow(def, input, ctx);
    },
    resolve: (root: Delivery) => root.value,
  };
  resolvers.set(def, (resolver = buildResolver(`${def.name}SubscriptionResolver`, null, [member])));
  return resolver;
}
