import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { z } from 'zod';
import type { TenantEntity } from '../db/base-entity';
import type { Page, PageRequest, TenantScope } from '../db/tenant-scope';
import { Action, Permission, permission, Requirement, Resource, ViewableResource } from '../permissions/catalog';
import { type ActionDef, type ActionEvents, type ActionSpec, type ActionSpecs, defineActions, familyEvents, type StateMachine } from './actions';
import type { EventDecl, StandardEvent } from './event-types';
import { buildInputType, defineInputs, FieldMap, InputParsers, objectSchema, parseWith } from './fields';
import type { FilterMap } from './listing';
import type { ClassType } from '../db/class-type';

export type { ActionDef, ActionSpec, StateMachine, StateMove } from './actions';

/**
 * A family, declared once: its entity, fields, filters and order, which of the five standard
 * operations it has, the actions of its state machine, and the parent it lives under. The service,
 * REST routes, GraphQL resolvers, permission rules, OpenAPI operations and history are all made from
 * this declaration by the surfaces; a family wires none of them by hand.
 */
export const OPERATIONS = ['list', 'one', 'create', 'update', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The catalog action each standard operation needs. */
const OPERATION_ACTION = { list: 'view', one: 'view', create: 'create', update: 'edit', delete: 'delete' } as const;

/** The operations a resource can have: only those whose permission the catalog really has. */
export type OperationsOf<R extends Resource> = {
  [O in Operation]: (typeof OPERATION_ACTION)[O] extends Action<R> ? O : never;
}[Operation];

/**
 * A query over the whole collection beyond the list (a ladder, a calendar): its input is a field map
 * (REST query parameters, GraphQL arguments), its answer the family's records in the handler's order.
 */
export interface QuerySpec<E extends TenantEntity, R extends Resource> {
  /** An action of this family's resource, or a full catalog permission (`basic.approval.view`). */
  permission: Action<R> | Permission;
  description: string;
  /** The GraphQL root field; default `<singular><Name>` (a name callers know, such as `ladder`). */
  graphqlName?: string;
  /** The REST path below /api (`/approvals`); default `<path>/<name>`. */
  path?: string;
  input: FieldMap;
  /** The whole answer; or, for a paged query, `page` instead; or `count`. */
  run?(input: Record<string, unknown>, scope: TenantScope): Promise<E[]>;
  /** With `run`: the most records it answers (the cost limit counts their fields that many times). */
  maxItems?: number;
  /** One page of the answer (REST `page`/`limit`, GraphQL paging arguments, answered as a page). */
  page?(input: Record<string, unknown>, scope: TenantScope, paging: PageRequest): Promise<Page<E>>;
  /** How many records there are of a kind (GraphQL `Int!`, REST `{ data: { count } }`). */
  count?(input: Record<string, unknown>, scope: TenantScope): Promise<number>;
  /**
   * REST rows carry a summary of these `belongsTo` relations of the module (GraphQL has the relation
   * fields): relation field → the properties of its record to include. Loaded in one batch per page;
   * null where the caller may not view it (the relation's requirement) or it is unset.
   */
  embed?: Record<string, readonly string[]>;
  /** Figures over the whole answer (not one page): REST `meta.<name>`, GraphQL the root field `graphqlName`. */
  summary?: QuerySummary;
}

export interface QuerySummary {
  name: string;
  graphqlName: string;
  description: string;
  /** The GraphQL object type of one row of it. */
  type: ClassType;
  /** The most rows it has. */
  maxItems: number;
  run(input: Record<string, unknown>, scope: TenantScope): Promise<object[]>;
}

/**
 * A change of many records of the collection at once (mark all read): REST `POST <path>/<name>`, a
 * GraphQL mutation; one transaction; answers how many records it changed.
 */
export interface CommandSpec<R extends Resource> {
  permission: Action<R>;
  description: string;
  /** The GraphQL mutation; default `<name><Plural>` in camel case (`read-all` → `readAllNotifications`). */
  graphqlName?: string;
  input?: FieldMap;
  run(input: Record<string, unknown>, tx: TenantScope): Promise<number>;
}

/** Who is calling, as far as a family's own work needs to know (the request context satisfies it). */
export interface Caller {
  can(permission: Permission): boolean;
}

/**
 * Bytes coming in (the file part of an upload), read once, in order: the reader's pace holds the
 * sender back, so no more than a chunk is in memory. The stream fails with PayloadTooLargeError past
 * the service's limit, and with an error of its own when the sender goes away mid-way.
 */
export interface IncomingContent {
  /** The name the sender gave; shown, never used as a path. */
  filename: string;
  /** The media type the sender declared (not sniffed). */
  contentType: string;
  stream: AsyncIterable<Buffer>;
}

/** Bytes going out: what a download answers with, then reads in the range asked for. */
export interface OutgoingContent {
  name: string;
  contentType: string;
  size: number;
  /** A strong validator of exactly these bytes (their hash). */
  etag: string;
  /** Bytes `start` to `end` (inclusive), a bounded chunk at a time. */
  read(start: number, end: number): AsyncIterable<Buffer>;
}

/**
 * A record made from uploaded bytes: REST `POST <path>/<name>` (multipart/form-data, the file in the
 * part `file`, its input in parts before it), GraphQL mutation `<name><Type>(file: Upload!, …)`.
 */
export interface UploadSpec<E extends TenantEntity, R extends Resource> {
  permission: Action<R>;
  description: string;
  /** The other form fields (GraphQL arguments), validated like fields. */
  input: FieldMap;
  /** Inside one transaction: it commits only once the whole request has been read. */
  run(content: IncomingContent, input: Record<string, unknown>, tx: TenantScope, caller: Caller): Promise<E>;
}

/**
 * The bytes of a record: REST `GET <record path>/<name>` (streamed, with ranges and ETag), and on
 * the GraphQL type a field `<name>Path` with that REST path (GraphQL does not stream bytes).
 */
export interface DownloadSpec<E extends TenantEntity, R extends Resource> {
  permission: Action<R>;
  description: string;
  open(record: E, scope: TenantScope): Promise<OutgoingContent>;
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
> {
  /** The TypeORM entity, which is also the GraphQL object type (`@key(fields: "id")`). */
  entity: new () => E;
  /** The permission family in the catalog (`basic.<resource>.*`). */
  resource: R;
  /** GraphQL names: `agency(id)`, `agencies(...)`, `createAgency`, …; also its events' `<family>.` */
  singular: Sg;
  plural: string;
  /** REST path below /api (below the parent's record path when nested); defaults to `/<plural>`. */
  path?: string;
  /** Which standard operations exist; the others are absent from both surfaces. Default: all it can have. */
  operations?: readonly OperationsOf<R>[];
  fields: FieldMap;
  filters: FilterMap;
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
  /** Bytes of a record served as they are (a file's content), by name. */
  downloads?: Record<string, DownloadSpec<E, R>>;
  /** Fields of the type that return another family, with the permission each needs. */
  nested?: Record<string, Requirement>;
  /**
   * Records kept for the module's views and handlers only (a stored statement): no routes, no
   * GraphQL type, no history of their own; `operations` must be empty.
   */
  readModel?: boolean;
  /** The GraphQL object types of its jsonb value objects (a schedule), read only through its fields. */
  valueTypes?: ClassType[];
  description?: string;
}

/** An input beyond a record's fields (a query's, an upload's): REST parameters or form fields, GraphQL arguments. */
export interface InputDef {
  input: FieldMap;
  inputSchema: z.ZodObject;
  parseInput(input: unknown): Record<string, unknown>;
}

function inputDef(fields: FieldMap): InputDef {
  const schema = objectSchema(fields, 'create');
  return { input: fields, inputSchema: schema, parseInput: (input) => parseWith(schema, input ?? {}) as Record<string, unknown> };
}

export interface QueryDef<E extends TenantEntity = TenantEntity> extends InputDef {
  name: string;
  graphqlName: string;
  description: string;
  permission: Permission;
  /** Full REST path below /api. */
  path: string;
  run?(input: Record<string, unknown>, scope: TenantScope): Promise<E[]>;
  maxItems?: number;
  page?(input: Record<string, unknown>, scope: TenantScope, paging: PageRequest): Promise<Page<E>>;
  embed: Record<string, readonly string[]>;
  summary?: QuerySummary;
  count?(input: Record<string, unknown>, scope: TenantScope): Promise<number>;
}

export interface CommandDef {
  name: string;
  graphqlName: string;
  description: string;
  permission: Permission;
  /** Full REST path below /api. */
  path: string;
  /** The fields of its input (none: `{}`). */
  input: FieldMap;
  inputSchema: z.ZodObject;
  /** The GraphQL input type, when it takes input. */
  inputType?: ClassType;
  parseInput(input: unknown): Record<string, unknown>;
  run(input: Record<string, unknown>, tx: TenantScope): Promise<number>;
}

export interface UploadDef<E extends TenantEntity = TenantEntity> extends InputDef {
  name: string;
  /** The GraphQL mutation (`uploadFile`). */
  graphqlName: string;
  description: string;
  permission: Permission;
  /** Full REST path below /api. */
  path: string;
  run(content: IncomingContent, input: Record<string, unknown>, tx: TenantScope, caller: Caller): Promise<E>;
}

export interface DownloadDef<E extends TenantEntity = TenantEntity> {
  name: string;
  description: string;
  permission: Permission;
  /** Full REST path below /api, `:id` (and a parent's key) in it. */
  path: string;
  /** The GraphQL field of the type that gives the REST path (`contentPath`). */
  pathField: string;
  /** The REST path of one record's bytes, `/api/…`. */
  pathOf(record: E): string;
  open(record: E, scope: TenantScope): Promise<OutgoingContent>;
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

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function defineFamily<
  E extends TenantEntity,
  R extends ViewableResource,
  S extends string = string,
  Sg extends string = string,
  const A = Record<never, never>,
  X extends string = never,
>(options: FamilyOptions<E, R, S, Sg, A, X>): FamilyDef<E, `${Sg}.${StandardEvent | ActionEvents<A> | X}`> {
  const typeName = options.entity.name;
  const operations = new Set<Operation>(options.operations ?? (OPERATIONS as readonly Operation[]));
  // The types allow only what the catalog grants; permission() checks it again at start-up.
  const can: FamilyDef<E>['can'] = { view: permission<Resource>(options.resource, 'view' as Action<Resource>) };
  for (const op of operations) {
    const action = OPERATION_ACTION[op];
    if (action !== 'view') can[action] = permission<Resource>(options.resource, action as Action<Resource>);
  }
  const path = options.parent
    ? `${options.parent.family().path}/:${options.parent.key}${options.path ?? `/${options.plural}`}`
    : (options.path ?? `/${options.plural}`);

  if (options.readModel && operations.size) throw new Error(`${typeName}: a read model has no operations`);
  if (options.frozenIn?.length && !options.states) throw new Error(`${typeName}: frozenIn needs states`);
  const unknownActions = (options.countsIn?.actions ?? []).filter((name) => !Object.hasOwn(options.actions ?? {}, name));
  if (unknownActions.length) throw new Error(`${typeName}.countsIn: unknown actions ${unknownActions.join(', ')}`);
  const actions = defineActions<E, R, S>(typeName, options.singular, options.resource, options.states, (options.actions ?? {}) as Record<string, ActionSpec<E, R, S>>);

  const queries: QueryDef<E>[] = Object.entries(options.queries ?? {}).map(([name, spec]) => {
    if ([spec.run, spec.page, spec.count].filter(Boolean).length !== 1) throw new Error(`${typeName}.${name}: a query has one of run, page or count`);
    return {
      name,
      graphqlName: spec.graphqlName ?? `${options.singular}${pascal(name)}`,
      description: spec.description,
      permission: spec.permission.includes('.') ? (spec.permission as Permission) : permission(options.resource, spec.permission as Action<R>),
      path: spec.path ?? `${path}/${name}`,
      ...inputDef(spec.input),
      run: spec.run,
      maxItems: spec.maxItems,
      page: spec.page,
      embed: spec.embed ?? {},
      summary: spec.summary,
      count: spec.count,
    };
  });

  const commands: CommandDef[] = Object.entries(options.commands ?? {}).map(([name, spec]) => {
    const fields = spec.input ?? {};
    const schema = objectSchema(fields, 'create');
    const camel = name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    return {
      name,
      graphqlName: spec.graphqlName ?? `${camel}${pascal(options.plural)}`,
      description: spec.description,
      permission: permission(options.resource, spec.permission),
      path: `${path}/${name}`,
      input: fields,
      inputSchema: schema,
      inputType: Object.keys(fields).length ? buildInputType(`${typeName}${pascal(camel)}Input`, fields, 'create') : undefined,
      parseInput: (input) => parseWith(schema, input ?? {}) as Record<string, unknown>,
      run: spec.run,
    };
  });

  const uploads: UploadDef<E>[] = Object.entries(options.uploads ?? {}).map(([name, spec]) => ({
    name,
    graphqlName: `${name}${typeName}`,
    description: spec.description,
    permission: permission(options.resource, spec.permission),
    path: `${path}/${name}`,
    ...inputDef(spec.input),
    run: spec.run,
  }));
  const recordPath = options.singleton ? `${path}/current` : `${path}/:id`;
  const downloads: DownloadDef<E>[] = Object.entries(options.downloads ?? {}).map(([name, spec]) => ({
    name,
    description: spec.description,
    permission: permission(options.resource, spec.permission),
    path: `${recordPath}/${name}`,
    pathField: `${name}Path`,
    pathOf: (record) =>
      `/api${recordPath}/${name}`.replace(/:(\w+)/g, (_, key: string) => String((record as Record<string, unknown>)[key])),
    open: spec.open,
  }));

  const events = familyEvents(typeName, options.singular, actions, options.events ?? {});

  const def: FamilyDef<E> = {
    entity: options.entity,
    resource: options.resource,
    typeName,
    singular: options.singular,
    plural: options.plural,
    path,
    operations,
    fields: options.fields,
    filters: options.filters,
    order: options.order,
    inputs: defineInputs<Partial<E>, Partial<E>>(
      typeName,
      options.fields,
      [options.parent?.key, options.states?.field, ...(options.readOnly ?? [])].filter((k): k is string => k !== undefined && !(k in options.fields)),
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
    parent: options.parent,
    singleton: options.singleton ?? false,
    readModel: options.readModel ?? false,
    nested: options.nested ?? {},
    userFields: (options.userFields ?? {}) as Record<string, string>,
    valueTypes: options.valueTypes ?? [],
    description: options.description,
    can,
    needs(operation) {
      const p = can[OPERATION_ACTION[operation]];
      if (!p) throw new Error(`${typeName} has no ${operation} operation`);
      return p;
    },
  };
  FAMILIES_BY_TYPE.set(typeName, def as unknown as FamilyDef);
  return def as FamilyDef<E, `${Sg}.${StandardEvent | ActionEvents<A> | X}`>;
}

const FAMILIES_BY_TYPE = new Map<string, FamilyDef>();

/**
 * The family whose GraphQL type is `typeName` (`Event`), for what names a record of any family by
 * type and id (a file's attachment); null for anything else.
 */
export function familyByTypeName(typeName: string): FamilyDef | null {
  return FAMILIES_BY_TYPE.get(typeName) ?? null;
}
