import type { TenantEntity } from '../db/base-entity';
import { type FieldMap, objectSchema, parseWith } from './fields';
import type { ClassType } from '../db/class-type';
import type { TenantScope } from '../db/tenant-scope';
import type { Requirement } from '../permissions/catalog';
import type { ErrorCode } from '../shared/errors';
import type { FamilyDef } from './family';

/**
 * A computed read under a record of a family (an event's settlement), declared as data: REST
 * `GET <family path>/{id}/<name>` answering `{ data }`, and the GraphQL field `<Type>.<name>`
 * (null with FORBIDDEN on its path without the requirement; the rest of the record still arrives).
 * Its answer is a value type (not a stored record), every field of which needs the same requirement.
 * The reads of one request are batched: `read` gets every record asked for at once.
 */
export interface ComputedReadDef {
  /** The family whose records it is read under. */
  of: () => FamilyDef<TenantEntity>;
  name: string;
  /** The GraphQL object type of the answer, and the object types inside it. */
  type: ClassType;
  valueTypes: ClassType[];
  requirement: Requirement;
  description: string;
  /** What it takes besides the record (REST query parameters, GraphQL arguments); none: `{}`. */
  input: FieldMap;
  /** Error codes it answers beyond NOT_FOUND (a record it cannot be computed for: CONFLICT). */
  errors: readonly ErrorCode[];
  parseInput(input: unknown): Record<string, unknown>;
  /** One answer per record, in the order of `records`. */
  read(records: readonly TenantEntity[], scope: TenantScope, input: Record<string, unknown>): Promise<object[]>;
}

export function defineComputedRead<E extends TenantEntity>(options: {
  of: () => FamilyDef<E>;
  name: string;
  type: ClassType;
  valueTypes?: ClassType[];
  requirement: Requirement;
  description: string;
  input?: FieldMap;
  errors?: readonly ErrorCode[];
  read(records: readonly E[], scope: TenantScope, input: Record<string, unknown>): Promise<object[]>;
}): ComputedReadDef {
  const input = options.input ?? {};
  const schema = objectSchema(input, 'create');
  return {
    ...options,
    of: options.of as unknown as () => FamilyDef<TenantEntity>,
    valueTypes: options.valueTypes ?? [],
    input,
    errors: options.errors ?? [],
    parseInput: (given) => parseWith(schema, given ?? {}) as Record<string, unknown>,
    read: options.read as ComputedReadDef['read'],
  };
}

/**
 * The computed read of one record through the request's loader, so a page of records costs one batch (one
 * per distinct input: records asked with other arguments are read apart).
 */
export function readComputed(computed: ComputedReadDef, record: TenantEntity, scope: TenantScope, input: Record<string, unknown> = {}): Promise<object> {
  const def = computed.of();
  const key = Object.keys(input).length ? `:${JSON.stringify(input)}` : '';
  return scope
    .loader<TenantEntity, object>(`computed:${def.typeName}.${computed.name}${key}`, (records) => computed.read(records, scope, input))
    .load(record);
}
