import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { TenantEntity } from '../db/base-entity';
import type { TenantScope } from '../db/tenant-scope';
import { Action, CATALOG, Permission, permission, Requirement, Resource, ViewableResource } from '../permissions/catalog';
import { type ActionDef, type ActionEvents, type ActionSpec, type ActionSpecs, defineActions, familyEvents, type StateMachine } from './actions';
import type { EventDecl, StandardEvent } from './event-types';
import { defineInputs, FieldMap, InputParsers } from './fields';
import {
  type CommandDef,
  type CommandSpec,
  type DownloadDef,
  type DownloadSpec,
  familyOperations,
  type QueryDef,
  type QuerySpec,
  type UploadDef,
  type UploadSpec,
} from './family-operations';
import type { FilterMap } from './listing';
import { declarationOf, writableFields } from './record';
import type { ClassType } from '../db/class-type';

export type { ActionDef, ActionSpec, StateMachine, StateMove } from './actions';
export type { Caller } from './caller';
export type {
  CommandDef,
  CommandSpec,
  DownloadDef,
  DownloadSpec,
  IncomingContent,
  InputDef,
  OutgoingContent,
  QueryDef,
  QuerySpec,
  QuerySummary,
  UploadDef,
  UploadSpec,
} from './family-operations';

/**
 * A family, declared once: its entity, fields, filters and order, which of the five standard
 * operations it has, the actions of its state machine, and the parent it lives under. The service,
 * REST routes, GraphQL resolvers, permission rules, OpenAPI operations and history are all made from
 * this declaration by the surfaces. What a family writes beyond it are hooks (rules on the way in)
 * and its module's parts (relations, computed reads, handlers, jobs), each declared, never a route.
 */
export const OPERATIONS = ['list', 'one', 'create', 'update', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The catalog action each standard operation needs. */
const OPERATION_ACTION = { list: 'view', one: 'view', create: 'create', update: 'edit', delete: 'delete' } as const;

/**
 * The operations a resource can have: only those whose permission the catalog really has. A
 * resource managed as a whole (`basic.<resource>.manage`, no create/edit/delete) needs `manage` for
 * every write.
 */
export type OperationsOf<R extends Resource> = {
  [O in Operation]: (typeof OPERATION_ACTION)[O] extends Action<R> ? O : O extends 'list' | 'one' ? never : 'manage' extends Action<R> ? O : never;
}[Operation];

/** The catalog action a standard operation needs of `resource`: its own, else `manage` (see OperationsOf). */
function operationAction(resource: Resource, operation: Operation): string {
  const action = OPERATION_ACTION[operation];
  const actions = CATALOG[resource] as readonly string[];
  return action !== 'view' && !actions.includes(action) && actions.includes('manage') ? 'manage' : action;
}

/** What a family's standard operations run besides the kit's own work (see FamilyService). */
export interface ServiceHooks<E extends TenantEntity> {
  /** Derive or check values before an insert (defaults from the company, cross-field rules). */
  prepareCreate?(scope: TenantScope, data: Partial<E>): Promise<Partial<E>>;
  /** Derive or check a patch before it is compared with the record and written. */
  prepareUpdate?(scope: TenantScope, id: string, patch: Partial<E>): Promise<Partial<E>>;
  /** Refuse or clean up before the record is deleted. */
  beforeDelete?(scope: TenantScope, record: E): Promise<void>;
}

/** A family whose records this one's records count in (offers in an event's settlement). */
export interface CountsIn<E extends TenantEntity = TenantEntity> {
  family: () => FamilyDef<TenantEntity>;
  /** The property that holds that record's id; a record without one counts in none. */
  key: keyof E & string;
  /** The actions refused while that record is frozen. */
  actions: readonly string[];
}

/** A family this one lives under, e.g. tickets under `/events/{eventId}`. */
export interface ParentSpec<E extends TenantEntity> {
  family: () => FamilyDef<TenantEntity>;
  /** The property of the child that holds the parent's id (`eventId`); also the path parameter. */
  key: keyof E & string;
}

/**
 * `Sg` (its singular), `A` (action name → the `event` it names) and `X` (its own events) are only
 * there for the types: they spell out the family's event types (FamilyDef's `Ev`).
 */
export interface FamilyOptions<
  E extends TenantEntity,
  R extends ViewableResource,
  S extends string = string,
  Sg extends string = string,
  A = Record<string, unknown>,
  X extends string = never,
  Op extends Operation = never,
> {
  /**
   * The record: a class made by `defineRecord` (src/core/record.ts) from its fields, or a hand-written
   * TypeORM entity that is also the GraphQL object type (`@key(fields: "id")`).
   */
  entity: new () => E;
  /** The permission family in the catalog (`basic.<resource>.*`). */
  resource: R;
  /** GraphQL names: `agency(id)`, `agencies(...)`, `createAgency`, …; also its events' `<family>.` */
  singular: Sg;
  plural: string;
  /** REST path below /api (below the parent's record path when nested); defaults to `/<plural>`. */
  path?: string;
  /** Which standard operations exist; the others are absent from both surfaces. Default: all it can have. */
  operations?: readonly (OperationsOf<R> | Op)[];
  /**
   * The catalog action a standard operation needs instead of its usual one (`create` → `create`, …):
   * records that are part of something else's settings or terms (the company's exchange rates, an
   * agreement's payments) are made and removed under that thing's `edit`.
   */
  operationActions?: { [K in Op]?: Action<R> };
  /**
   * What a caller may write (the create and update inputs and their validation). Default: the
   * declared record's fields that are not `readOnly()`; a hand-written entity lists them here.
   */
  fields?: FieldMap;
  filters: FilterMap;
  /**
   * Rules of its own the standard operations run (a default from the company, a check across
   * fields), inside the operation's transaction; the service made from the declaration calls them.
   */
  hooks?: ServiceHooks<E>;
  /** Default order of a list; the id breaks ties so pages are stable. */
  order: (qb: SelectQueryBuilder<ObjectLiteral>, alias: string) => void;
  states?: StateMachine<S>;
  /**
   * States in which a record is final (a settled event): changing or deleting it is a 409 (its
   * actions go by their `from`), and so is creating, changing, deleting or acting on a record of the
   * families nested under it, and every `countsIn` action of a family that counts in it.
   */
  frozenIn?: readonly S[];
  /**
   * The record of another family that this one's records count in, by the property holding its id
   * (an accepted offer in its event's settlement), and this family's actions that would change what
   * that record sums: while it is in one of its `frozenIn` states they are a 409.
   */
  countsIn?: CountsIn<E>;
  actions?: ActionSpecs<E, R, S, A>;
  /**
   * Events it records itself, beyond those of its operations and actions (a ladder's moves):
   * what follows `<family>.` (a past participle) → what it means.
   */
  events?: Record<X, string>;
  parent?: ParentSpec<E>;
  /** Properties only its actions set (who submitted, who decided): echoed in a create or update body, ignored. */
  readOnly?: (keyof E & string)[];
  /**
   * Text properties that hold an Auth user id → the GraphQL field beside each that gives that user as
   * a `User` entity (`{ assigneeId: 'assignee' }`), for other subgraphs to add to. `createdBy` has
   * `createdByUser` without saying so.
   */
  userFields?: Partial<Record<keyof E & string, string>>;
  /** Extra collection queries: `GET /<path>/<name>` and the GraphQL query `<singular><Name>`. */
  queries?: Record<string, QuerySpec<E, R>>;
  /** Changes of the whole collection: `POST /<path>/<name>` and a GraphQL mutation. */
  commands?: Record<string, CommandSpec<R>>;
  /**
   * The record's history (`…/{id}/history`, the `history` field); default true. Off for records
   * that are one user's own (a history read goes by id, not through the record's owner).
   */
  history?: boolean;
  /**
   * One record per company whose id is the company id (company metadata): `one` and `update` take no
   * id, REST answers at `/<path>/current` and at `/<path>/{x-org}`.
   */
  singleton?: boolean;
  /** Records made from uploaded bytes (a file), by name. */
  uploads?: Record<string, UploadSpec<E, R>>;
  /**
   * Records may be created from a CSV file (`POST <path>/import`, src/core/csv.ts): each row through
   * the create operation's validation and service, all in one transaction. Needs `create`.
   */
  importable?: boolean;
  /** Bytes of a record served as they are (a file's content), by name. */
  downloads?: Record<string, DownloadSpec<E, R>>;
  /** Fields of the type that return another family, with the permission each needs. */
  nested?: Record<string, Requirement>;
  /**
   * Records kept for the module's computed reads and handlers only (a stored statement): no routes, no
   * GraphQL type, no history of their own; `operations` must be empty.
   */
  readModel?: boolean;
  /** The GraphQL object types of its jsonb value objects (a schedule), read only through its fields. */
  valueTypes?: ClassType[];
  description?: string;
}

export interface FamilyDef<E extends TenantEntity = TenantEntity, Ev extends string = string> {
  entity: new () => E;
  resource: Resource;
  typeName: string;
  singular: string;
  plural: string;
  /** Full REST path below /api, with the parent's `:<key>` when nested. */
  path: string;
  operations: ReadonlySet<Operation>;
  fields: FieldMap;
  filters: FilterMap;
  order: (qb: SelectQueryBuilder<ObjectLiteral>, alias: string) => void;
  hooks: ServiceHooks<E>;
  inputs: InputParsers<Partial<E>, Partial<E>>;
  states?: StateMachine<string>;
  frozenIn: readonly string[];
  countsIn?: { family: () => FamilyDef<TenantEntity>; key: string; actions: readonly string[] };
  actions: ActionDef<E>[];
  /** Every event type it records (its operations', its actions', its own), with what each means. */
  events: readonly EventDecl<Ev>[];
  queries: QueryDef<E>[];
  commands: CommandDef[];
  history: boolean;
  uploads: UploadDef<E>[];
  downloads: DownloadDef<E>[];
  /** Created from CSV files too (`POST <path>/import`). */
  importable: boolean;
  parent?: { family: () => FamilyDef<TenantEntity>; key: string };
  singleton: boolean;
  readModel: boolean;
  nested: Record<string, Requirement>;
  /** Property holding a user id → its `User` field. */
  userFields: Record<string, string>;
  valueTypes: ClassType[];
  description?: string;
  /** The permission each operation needs, and `view` for the history. */
  can: { view: Permission } & Partial<Record<'create' | 'edit' | 'delete', Permission>>;
  /** The permission one standard operation needs. */
  needs(operation: Operation): Permission;
}

export function defineFamily<
  E extends TenantEntity,
  R extends ViewableResource,
  S extends string = string,
  Sg extends string = string,
  const A = Record<never, never>,
  X extends string = never,
  Op extends Operation = never,
>(options: FamilyOptions<E, R, S, Sg, A, X, Op>): FamilyDef<E, `${Sg}.${StandardEvent | ActionEvents<A> | X}`> {
  const typeName = options.entity.name;
  const declared = declarationOf(options.entity);
  if (!options.fields && !declared) throw new Error(`${typeName}: a hand-written entity lists its writable fields`);
  const fields = options.fields ?? writableFields(declared!.fields);
  const operations = new Set<Operation>(options.operations ?? (OPERATIONS as readonly Operation[]));
  // The types allow only what the catalog grants; permission() checks it again at start-up.
  const can: FamilyDef<E>['can'] = { view: permission<Resource>(options.resource, 'view' as Action<Resource>) };
  const needed = new Map<Operation, Permission>();
  const instead = (options.operationActions ?? {}) as Partial<Record<Operation, Action<Resource>>>;
  for (const op of operations) {
    const action = OPERATION_ACTION[op];
    // The catalog's action for it: the family's own choice, else its usual one (or `manage`).
    needed.set(op, permission<Resource>(options.resource, (instead[op] ?? operationAction(options.resource, op)) as Action<Resource>));
    if (action !== 'view') can[action] = needed.get(op);
  }
  const path = options.parent
    ? `${options.parent.family().path}/:${options.parent.key}${options.path ?? `/${options.plural}`}`
    : (options.path ?? `/${options.plural}`);

  if (options.importable && !operations.has('create')) throw new Error(`${typeName}: an importable family has the create operation`);
  if (options.readModel && operations.size) throw new Error(`${typeName}: a read model has no operations`);
  if (options.frozenIn?.length && !options.states) throw new Error(`${typeName}: frozenIn needs states`);
  const unknownActions = (options.countsIn?.actions ?? []).filter((name) => !Object.hasOwn(options.actions ?? {}, name));
  if (unknownActions.length) throw new Error(`${typeName}.countsIn: unknown actions ${unknownActions.join(', ')}`);
  const actions = defineActions<E, R, S>(typeName, options.singular, options.resource, options.states, (options.actions ?? {}) as Record<string, ActionSpec<E, R, S>>);

  const { queries, commands, uploads, downloads } = familyOperations<E, R>(options, typeName, path);

  const events = familyEvents(typeName, options.singular, actions, options.events ?? {});

  const def: FamilyDef<E> = {
    entity: options.entity,
    resource: options.resource,
    typeName,
    singular: options.singular,
    plural: options.plural,
    path,
    operations,
    fields,
    filters: options.filters,
    order: options.order,
    hooks: options.hooks ?? {},
    inputs: defineInputs<Partial<E>, Partial<E>>(
      typeName,
      fields,
      [options.parent?.key, options.states?.field, ...(options.readOnly ?? [])].filter((k): k is string => k !== undefined && !(k in fields)),
    ),
    states: options.states as StateMachine<string> | undefined,
    frozenIn: options.frozenIn ?? [],
    countsIn: options.countsIn,
    actions,
    events,
    queries,
    commands,
    history: options.history ?? true,
    uploads,
    downloads,
    importable: options.importable ?? false,
    parent: options.parent,
    singleton: options.singleton ?? false,
    readModel: options.readModel ?? false,
    nested: options.nested ?? {},
    userFields: (options.userFields ?? {}) as Record<string, string>,
    valueTypes: options.valueTypes ?? [],
    description: options.description,
    can,
    needs(operation) {
      const p = needed.get(operation);
      if (!p) throw new Error(`${typeName} has no ${operation} operation`);
      return p;
    },
  };
  familyEntities.add(def.entity);
  return def as FamilyDef<E, `${Sg}.${StandardEvent | ActionEvents<A> | X}`>;
}

// Keyed by the declarations themselves: what a declaration is never differs between servers.
const familyEntities = new WeakSet<object>();

/** Whether `entity` is the record class of some family (a declaration's fact, the same in every server). */
export function isFamilyEntity(entity: object): boolean {
  return familyEntities.has(entity);
}
