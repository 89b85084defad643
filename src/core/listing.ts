import { z } from 'zod';
import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Field, InputType } from 'type-graphql';
import type { PageRequest } from '../db/page';
import { decodeCursor } from '../db/keyset';
import { ValidationError } from '../shared/errors';
import { FieldSpec, parseWith } from './fields';
import type { ClassType } from '../db/class-type';

/**
 * Filters and paging, declared once per family and read by both surfaces: GraphQL gets a
 * `<Type>Filter` input, REST parses the same names from the query string.
 */
export interface FilterContext {
  userId: string;
  companyId: string;
  /** The scope's now (the server's clock): what "upcoming", "overdue" or "expired" are read against. */
  now: Date;
}

/**
 * What a filter narrows a list by, so the indexes every list needs are derived from the declarations
 * (src/core/list-indexes.ts) and a test holds the database to them: a filter cannot ship without one.
 * `equals`: a property (or an expression of it) equal to the value; `range`: a bound on a property;
 * `search`: `ILIKE '%…%'` over properties (a trigram index each); `contains`: an array property holding
 * the value (a GIN index of the array); `scan`: a condition read on the way along the order's own index
 * (a yes/no question no index narrows better, such as unread or overdue).
 */
export type FilterIndex =
  | { equals: string; expression?: (column: string) => string }
  | { range: string }
  | { search: readonly string[] }
  | { contains: string }
  | { scan: true };

export interface FilterSpec<V = unknown> {
  /** What it narrows by: the shape of the index that serves it. */
  index: FilterIndex;
  /**
   * The value's validator, as GraphQL delivers it (typed); the query string's reading of it, where
   * every value is text, is derived from it (`fromQueryString`).
   */
  schema: z.ZodType<V>;
  graphql: () => unknown;
  description?: string;
  apply(qb: SelectQueryBuilder<ObjectLiteral>, alias: string, value: V, ctx: FilterContext): void;
}

export type FilterMap = Record<string, FilterSpec<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Escape LIKE wildcards so a search for "50%" means the text "50%". */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const column = (alias: string, property: string) => `${alias}.${property}`;

let paramSeq = 0;
const param = (name: string) => `${name}_${++paramSeq}`;

export const filters = {
  /** `q`: case-insensitive "contains" over the given text properties. */
  search(properties: string[], description = `Text contained in ${properties.join(' or ')}`): FilterSpec<string> {
    const schema = z.string().trim().max(200);
    return {
      index: { search: properties },
      schema,
      graphql: () => String,
      description,
      apply(qb, alias, value) {
        if (!value) return;
        const p = param('q');
        qb.andWhere(
          new Brackets((w) => {
            for (const prop of properties) w.orWhere(`${column(alias, prop)} ILIKE :${p} ESCAPE '\\'`, { [p]: `%${likeEscape(value)}%` });
          }),
        );
      },
    };
  },

  /** Equality with the value of a field (an id, an enum, a text compared case-insensitively). */
  equals<T>(property: string, field: FieldSpec<T>, options: { caseInsensitive?: boolean; description?: string } = {}): FilterSpec<T> {
    const index: FilterIndex = options.caseInsensitive ? { equals: property, expression: (c) => `lower(${c})` } : { equals: property };
    return condition(index, field.schema, field.graphql, options.description, (alias, p) =>
      options.caseInsensitive ? `lower(${column(alias, property)}) = lower(:${p})` : `${column(alias, property)} = :${p}`,
    );
  },

  /** A text member of a jsonb property, compared case-insensitively (`city` of an address). */
  jsonText(property: string, key: string, description?: string): FilterSpec<string> {
    const index: FilterIndex = { equals: property, expression: (c) => `lower(${c} ->> '${key}')` };
    return condition(index, shortText, () => String, description, (alias, p) => `lower(${column(alias, property)} ->> '${key}') = lower(:${p})`);
  },

  /**
   * A yes/no question about a record (`overdue=true`, `unread=true`): `true` keeps the records the
   * condition holds for, `false` the others. REST reads `true`/`false`, GraphQL a Boolean.
   */
  flag(description: string, holds: (alias: string, ctx: FilterContext) => { sql: string; params?: Record<string, unknown> }): FilterSpec<boolean> {
    return {
      index: { scan: true },
      schema: z.boolean({ error: 'must be true or false' }),
      graphql: () => Boolean,
      description,
      apply(qb, alias, value, ctx) {
        const { sql, params } = holds(alias, ctx);
        // A condition on a null column is unknown: that record is on the `false` side. WHERE already
        // drops an unknown, so `true` is the bare condition, which a partial index on it matches.
        qb.andWhere(value ? `(${sql})` : `NOT coalesce((${sql}), false)`, params);
      },
    };
  },

  /** An array property that contains the value (a genre among genres); `@>`, which its GIN index serves. */
  arrayContains(property: string, description?: string): FilterSpec<string> {
    return condition({ contains: property }, shortText, () => String, description, (alias, p) => `${column(alias, property)} @> ARRAY[CAST(:${p} AS text)]`);
  },
};

const shortText = z.string().trim().min(1).max(100);

/** A filter that is one SQL condition on the value. */
function condition<V>(
  index: FilterIndex,
  schema: z.ZodType<V>,
  graphql: () => unknown,
  description: string | undefined,
  sql: (alias: string, param: string) => string,
): FilterSpec<V> {
  return {
    index,
    schema,
    graphql,
    description,
    apply(qb, alias, value) {
      const p = param('f');
      qb.andWhere(sql(alias, p), { [p]: value });
    },
  };
}

const inputTypes = new Map<string, ClassType>();

export function buildFilterType(typeName: string, specs: FilterMap): ClassType {
  const name = `${typeName}Filter`;
  const existing = inputTypes.get(name);
  if (existing) return existing;
  const cls = { [name]: class {} }[name];
  for (const [key, spec] of Object.entries(specs)) {
    Field(spec.graphql as never, { nullable: true, description: spec.description ?? describeIndex(spec.index) })(cls.prototype, key);
  }
  InputType(name, { description: `What narrows a list of ${typeName} records: every filter given must hold; one absent or null narrows nothing.` })(cls);
  inputTypes.set(name, cls);
  return cls;
}

/** What a filter without words of its own does, from what it narrows by. */
function describeIndex(index: FilterIndex): string {
  if ('equals' in index) return index.expression ? `Only records whose \`${index.equals}\` matches this value.` : `Only records whose \`${index.equals}\` is this value.`;
  if ('range' in index) return `A bound on \`${index.range}\`.`;
  if ('search' in index) return `Text contained in ${index.search.map((p) => `\`${p}\``).join(' or ')}.`;
  if ('contains' in index) return `Only records whose \`${index.contains}\` holds this value.`;
  return 'true: only the records the condition holds for; false: the others.';
}

/**
 * A filter's validator read from a query string, where every value is text: a Boolean is `true` or
 * `false`, a number its digits; anything else (ids, enums, dates, text) is read as the text it is.
 */
export function fromQueryString<V>(schema: z.ZodType<V>): z.ZodType<V> {
  if (schema instanceof z.ZodBoolean) {
    return z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true') as unknown as z.ZodType<V>;
  }
  if (schema instanceof z.ZodNumber) {
    return z.preprocess((v) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v), schema) as unknown as z.ZodType<V>;
  }
  return schema;
}

/** Per filter map and source, its validator: built once, not on every list call. */
const filterSchemas = new WeakMap<FilterMap, { graphql?: z.ZodType; query?: z.ZodType }>();

function filterSchema(specs: FilterMap, from: 'graphql' | 'query'): z.ZodType {
  let built = filterSchemas.get(specs);
  if (!built) filterSchemas.set(specs, (built = {}));
  let schema = built[from];
  if (!schema) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, spec] of Object.entries(specs)) shape[key] = (from === 'query' ? fromQueryString(spec.schema) : spec.schema).nullish();
    schema = built[from] = z.object(shape);
  }
  return schema;
}

/** Validated filter values, from GraphQL (typed) or REST (text) input. */
export function parseFilters(specs: FilterMap, input: Record<string, unknown> | null | undefined, from: 'graphql' | 'query'): Record<string, unknown> {
  // An empty value means "not given" (legacy list screens send every filter parameter).
  const known: Record<string, unknown> = {};
  let given = false;
  if (input) {
    for (const k in input) {
      const v = input[k];
      if (Object.hasOwn(specs, k) && v !== '' && v !== null) {
        known[k] = v;
        given = true;
      }
    }
  }
  // Nothing given parses to nothing: no validator to run.
  if (!given) return {};
  const parsed = parseWith(filterSchema(specs, from), known) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

export function applyFilters(
  specs: FilterMap,
  values: Record<string, unknown>,
  qb: SelectQueryBuilder<ObjectLiteral>,
  alias: string,
  ctx: FilterContext,
): void {
  for (const [key, value] of Object.entries(values)) specs[key].apply(qb, alias, value, ctx);
}

export const PAGE_DEFAULT = 1;
export const LIMIT_DEFAULT = 20;
export const LIMIT_MAX = 100;

/** A positive integer from a query string or GraphQL; empty means "not given". */
const pageNumber = (name: string, max?: number) => {
  let n = z.coerce
    .number({ error: `${name} must be an integer` })
    .int(`${name} must be an integer`)
    .min(1, `${name} must be at least 1`);
  if (max) n = n.max(max, `${name} must be at most ${max}`);
  return z.preprocess((v) => (v === '' || v === null ? undefined : v), n.optional());
};
// `page` stays within GraphQL's Int, so the row offset it implies fits PostgreSQL's bigint.
const pagingSchema = z.object({ page: pageNumber('page', 2_147_483_647), limit: pageNumber('limit', LIMIT_MAX) });
const cursorText = z.string().describe('The rows after this cursor (the `nextCursor` of the page before), instead of `page`: opaque, valid for the same list, order and filters.');
/** The paging query parameters, for the REST description. */
export const PAGING_QUERY = { ...pagingSchema.shape, cursor: cursorText.optional() };
/** The paging parameters of each surface: the cursor is `cursor` on REST and `after` on GraphQL. */
export const PAGING_NAMES = ['page', 'limit', 'cursor', 'after'] as const;

/**
 * `page` ≥ 1 (default 1), `1 ≤ limit ≤ 100` (default 20), or a cursor (`cursor` from a query string,
 * `after` from GraphQL) instead of `page`; anything else is a validation error.
 */
export function parsePaging(input: { page?: unknown; limit?: unknown; cursor?: unknown; after?: unknown }, from: 'query' | 'graphql' = 'query'): PageRequest {
  const raw = { page: input.page ?? undefined, limit: input.limit ?? undefined };
  for (const k of ['page', 'limit'] as const) if (Array.isArray(raw[k])) raw[k] = 'x';
  const parsed = parseWith(pagingSchema, raw);
  const cursorName = from === 'graphql' ? 'after' : 'cursor';
  const cursor = input[cursorName];
  const paging: PageRequest = { page: parsed.page ?? PAGE_DEFAULT, limit: parsed.limit ?? LIMIT_DEFAULT };
  if (cursor === undefined || cursor === null || cursor === '') return paging;
  if (typeof cursor !== 'string') throw ValidationError.field(cursorName, 'must be one cursor');
  // GraphQL fills in page's default (1), which goes with a cursor; any other page number does not.
  if (parsed.page !== undefined && (from === 'query' || parsed.page !== PAGE_DEFAULT)) {
    throw ValidationError.field(cursorName, 'goes without page: a cursor says where the page starts');
  }
  return { ...paging, after: decodeCursor(cursor, cursorName) };
}

/**
 * The id breaks ties of a list's order, in the direction of its main key: `created_at DESC, id DESC`
 * is one index read backwards, where `created_at DESC, id ASC` would need an index of its own.
 */
export function breakTiesById(qb: SelectQueryBuilder<ObjectLiteral>, alias: string): void {
  const [main] = Object.values(qb.expressionMap.orderBys);
  const direction = typeof main === 'object' ? main.order : (main ?? 'ASC');
  qb.addOrderBy(`${alias}.id`, direction);
}
