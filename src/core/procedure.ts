import type { z } from 'zod';
import type { ClassType } from '../db/class-type';
import type { Page, PageRequest } from '../db/page';
import type { TenantScope } from '../db/tenant-scope';
import type { Requirement } from '../permissions/catalog';
import type { ErrorCode } from '../shared/errors';
import type { Caller } from './caller';
import { buildInputType, FieldMap, objectSchema, parseWith } from './fields';

/**
 * Procedures: what a module offers beyond the records of a family — a read model (the dashboard), a
 * connection to another service (Xero), a helper that answers from several families (AI). Declared
 * once like a family's action; the surfaces make from it the REST route, the GraphQL query or
 * mutation, its shield rule, the OpenAPI operation and its line in the permission snapshot.
 *
 * A procedure's answer is a GraphQL object type. Its fields are readable by whoever may call the
 * procedure (the type is reachable only through it), except its `parts`: fields that each need a
 * permission of their own. A caller without one gets the rest: REST leaves the part out, GraphQL
 * answers it `null` with FORBIDDEN on its path. `run` is told which parts to compute: those the
 * caller may see and (GraphQL) selected, so a part nobody sees costs nothing.
 */
export type RestMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ProcedureSpec<T = unknown> {
  /** The GraphQL root field (`dashboard`, `connectXero`). */
  name: string;
  kind: 'query' | 'mutation';
  description: string;
  /** What the caller needs to call it at all. */
  permission: Requirement;
  /**
   * Below /api; GET reads its input from the query string, other methods from the JSON body. A
   * `:name` segment is an input field of that name (`/calendar-feeds/:id`), which GraphQL takes as
   * an argument of its own, beside a mutation's `input`.
   */
  rest: { method: RestMethod; path: string; status?: 200 | 201 | 202 };
  /** Error codes it answers beyond every route's (`RATE_LIMITED`, `AI_UNAVAILABLE`), for the OpenAPI description. */
  errors?: readonly ErrorCode[];
  /** Validated like a family's fields (per-field details on both surfaces). */
  input?: FieldMap;
  /** The GraphQL object type of the answer (of each item, when `page` is used). */
  returns: () => ClassType;
  /** The object types inside the answer (a money line, a payout): read through the answer's guarded fields. */
  valueTypes?: ClassType[];
  /** Fields of the answer that need a permission of their own (the answer type's property → requirement). */
  parts?: Record<string, Requirement>;
  /**
   * The answer; `null` answers REST 204 (a DELETE) and GraphQL `null`. `parts`: the parts to compute
   * (the others are left out of the answer).
   */
  run?(input: Record<string, unknown>, scope: TenantScope, caller: Caller, parts: ReadonlySet<string>): Promise<T | null>;
  /** For a paged answer instead of `run`: REST `page`/`limit` with `{ data, meta }`, GraphQL `<Type>Page`. */
  page?(input: Record<string, unknown>, scope: TenantScope, paging: PageRequest, caller: Caller): Promise<Page<T>>;
}

export interface ProcedureDef<T = unknown> extends ProcedureSpec<T> {
  input: FieldMap;
  inputSchema: z.ZodObject;
  /** The GraphQL input type of a mutation with input beyond its path's fields (`<Name>Input`). */
  inputType?: ClassType;
  /** The input fields its REST path carries (`id` of `/calendar-feeds/:id`). */
  pathFields: string[];
  valueTypes: ClassType[];
  parts: Record<string, Requirement>;
  parseInput(input: unknown): Record<string, unknown>;
  /** The answer without the parts the caller may not see (REST's way of leaving them out). */
  visible(answer: T, caller: Caller): T;
  /** The parts the caller may see, of those `asked` for (all, when absent). */
  partsFor(caller: Caller, asked?: ReadonlySet<string>): ReadonlySet<string>;
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function defineProcedure<T>(spec: ProcedureSpec<T>): ProcedureDef<T> {
  if (!spec.run === !spec.page) throw new Error(`Procedure ${spec.name}: either run or page`);
  if (spec.page && spec.rest.method !== 'GET') throw new Error(`Procedure ${spec.name}: a paged procedure is a GET`);
  if (spec.parts && spec.page) throw new Error(`Procedure ${spec.name}: parts belong to a single answer`);
  const input = spec.input ?? {};
  const schema = objectSchema(input, 'create');
  const parts = spec.parts ?? {};
  const pathFields = [...spec.rest.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const missing = pathFields.filter((name) => !(name in input));
  if (missing.length) throw new Error(`Procedure ${spec.name}: its path names ${missing.join(', ')}, which its input does not declare`);
  const bodyFields = Object.fromEntries(Object.entries(input).filter(([name]) => !pathFields.includes(name)));
  const partsFor = (caller: Caller, asked?: ReadonlySet<string>): ReadonlySet<string> =>
    new Set(Object.entries(parts).filter(([part, req]) => (!asked || asked.has(part)) && caller.satisfies(req)).map(([part]) => part));
  return {
    ...spec,
    input,
    inputSchema: schema,
    inputType: spec.kind === 'mutation' && Object.keys(bodyFields).length ? buildInputType(`${pascal(spec.name)}Input`, bodyFields, 'create') : undefined,
    pathFields,
    valueTypes: spec.valueTypes ?? [],
    parts,
    parseInput: (raw) => parseWith(schema, raw ?? {}) as Record<string, unknown>,
    partsFor,
    visible(answer, caller) {
      const shown = partsFor(caller);
      if (shown.size === Object.keys(parts).length || answer === null || typeof answer !== 'object') return answer;
      return Object.fromEntries(Object.entries(answer as Record<string, unknown>).filter(([k]) => !(k in parts) || shown.has(k))) as T;
    },
  };
}
