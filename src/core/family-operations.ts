import { z } from 'zod';
import type { TenantEntity } from '../db/base-entity';
import type { ClassType } from '../db/class-type';
import type { Page, PageRequest, TenantScope } from '../db/tenant-scope';
import { Action, Permission, permission, Resource, ViewableResource } from '../permissions/catalog';
import type { Caller } from './caller';
import { buildInputType, FieldMap, objectSchema, parseWith } from './fields';

/*
 * What a family offers beyond its five standard operations, declared in its `defineFamily`: queries
 * over the collection, commands that change many records, uploads that make a record from bytes and
 * downloads that serve a record's bytes. Each becomes a REST route and a GraphQL field.
 */

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

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

/** What `familyOperations` reads of a family's declaration. */
export interface OperationsOptions<E extends TenantEntity, R extends ViewableResource> {
  resource: R;
  singular: string;
  plural: string;
  singleton?: boolean;
  queries?: Record<string, QuerySpec<E, R>>;
  commands?: Record<string, CommandSpec<R>>;
  uploads?: Record<string, UploadSpec<E, R>>;
  downloads?: Record<string, DownloadSpec<E, R>>;
}

/** The queries, commands, uploads and downloads of a family, with their names, paths and permissions. */
export function familyOperations<E extends TenantEntity, R extends ViewableResource>(options: OperationsOptions<E, R>, typeName: string, path: string) {
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

  return { queries, commands, uploads, downloads };
}
