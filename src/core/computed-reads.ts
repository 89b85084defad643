import type { TenantEntity } from '../db/base-entity';
import type { ClassType } from '../db/class-type';
import type { TenantScope } from '../db/tenant-scope';
import type { Requirement } from '../permissions/catalog';
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
  /** One answer per record, in the order of `records`. */
  read(records: readonly TenantEntity[], scope: TenantScope): Promise<object[]>;
}

export function defineComputedRead<E extends TenantEntity>(options: {
  of: () => FamilyDef<E>;
  name: string;
  type: ClassType;
  valueTypes?: ClassType[];
  requirement: Requirement;
  description: string;
  read(records: readonly E[], scope: TenantScope): Promise<object[]>;
}): ComputedReadDef {
  return {
    ...options,
    of: options.of as unknown as () => FamilyDef<TenantEntity>,
    valueTypes: options.valueTypes ?? [],
    read: options.read as ComputedReadDef['read'],
  };
}

/** The computed read of one record through the request's loader, so a page of records costs one batch. */
export function readComputed(computed: ComputedReadDef, record: TenantEntity, scope: TenantScope): Promise<object> {
  const def = computed.of();
  return scope
    .loader<TenantEntity, object>(`computed:${def.typeName}.${computed.name}`, (records) => computed.read(records, scope))
    .load(record);
}
