import type { z } from 'zod';
import type { TenantEntity } from '../db/base-entity';
import type { Change } from '../db/change-feed';
import type { ClassType } from '../db/class-type';
import type { TenantScope } from '../db/tenant-scope';
import type { Requirement } from '../permissions/catalog';
import { NotFoundError } from '../shared/errors';
import type { Caller } from './caller';
import type { FamilyDef } from './family';
import { f, FieldMap, objectSchema, parseWith } from './fields';
import { serviceOf } from './service';

/**
 * Subscriptions: what a module offers to be told of as it changes. Declared once; the GraphQL
 * surface makes the `Subscription` field and its shield rule from it, and the subscriptions server
 * (src/graphql/subscriptions-server.ts) feeds it every committed change of the subscriber's company
 * (db/change-feed.ts). A change says only which record changed: `concerns` decides from those ids
 * whether to look, and `value` reads the answer again in the subscriber's own scope, so tenancy,
 * row-level security and ownership hold for every delivery as they do for a query.
 */
export interface SubscriptionSpec<T = unknown> {
  /** The GraphQL field of `Subscription` (`eventChanged`). */
  name: string;
  description: string;
  /** What the caller needs to subscribe, and to receive each value. */
  permission: Requirement;
  /** Its arguments, validated like a family's fields. */
  input?: FieldMap;
  /** The GraphQL object type of each value (of each item, with `maxItems`). */
  returns: () => ClassType;
  /** Each value is a list of at most this many items. */
  maxItems?: number;
  /** At the start, in the subscriber's scope: refuses what it cannot follow (an unknown id is NOT_FOUND). */
  start?(input: Record<string, unknown>, scope: TenantScope, caller: Caller): Promise<void>;
  /** Whether a change of the company may concern this subscriber: from its ids alone, no reads. */
  concerns(change: Change, input: Record<string, unknown>, caller: Caller): boolean;
  /** The value after the change, read in the subscriber's scope; null: nothing to tell this subscriber. */
  value(change: Change, input: Record<string, unknown>, scope: TenantScope, caller: Caller): Promise<T | null>;
  /**
   * What a value is, for telling it only once: a value whose identity is the last one sent is not sent
   * again (several changes queued behind one another read the same latest state). Absent: every value is sent.
   */
  identity?(value: T): string;
}

export interface SubscriptionDef<T = unknown> extends SubscriptionSpec<T> {
  input: FieldMap;
  inputSchema: z.ZodObject;
  parseInput(raw: unknown): Record<string, unknown>;
}

export function defineSubscription<T>(spec: SubscriptionSpec<T>): SubscriptionDef<T> {
  const input = spec.input ?? {};
  const schema = objectSchema(input, 'create');
  return { ...spec, input, inputSchema: schema, parseInput: (raw) => parseWith(schema, raw ?? {}) as Record<string, unknown> };
}

/**
 * `<name>(id)`: one record of a family after each of its changes, under the family's view permission.
 * An id the caller cannot read (another company's, none) is NOT_FOUND at the start; a deleted record
 * tells nothing more.
 */
export function recordChanges<E extends TenantEntity>(family: FamilyDef<E>, name: string): SubscriptionDef<E> {
  return defineSubscription<E>({
    name,
    description: `The ${family.singular} after each of its changes (its history's entries), from when you subscribe.`,
    permission: family.can.view,
    input: { id: f.id().required().describe(`The ${family.singular} to follow.`) },
    returns: () => family.entity as unknown as ClassType,
    async start(input, scope) {
      if (!(await serviceOf(family).find(scope, input.id as string))) throw new NotFoundError(family.typeName);
    },
    concerns: (change, input) => change.entityType === family.typeName && change.entityId === input.id,
    value: (_change, input, scope) => serviceOf(family).find(scope, input.id as string),
    identity: (record) => `${record.id}:${record.version}`,
  });
}
