import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ValidationError } from '../shared/errors';

/**
 * Keyset paging: a cursor holds the sort key values of the last row a page answered (its order always
 * ends in the id, so they name one row), and the next page is the rows after them in the list's order.
 * PostgreSQL reaches them through the order's index as it reaches page 1, and rows inserted before the
 * cursor meanwhile move nothing after it. The cursor is opaque to callers (base64url of JSON) and bound
 * to the list it was made for (its conditions and order): used with another it is refused, not
 * misread.
 */

/** What a cursor holds. */
export interface Cursor {
  /** The fingerprint of the list (conditions and order) it was made for. */
  f: string;
  /** The last row's sort key values as text, in the order's sequence (null for a NULL). */
  k: (string | null)[];
  /** How many rows came before the page it leads to, when it was made (for the page number). */
  n: number;
}

/** A cursor a caller sent, with the name of the parameter it came in (`cursor`, `after`) for errors. */
export interface CursorRequest {
  cursor: Cursor;
  field: string;
}

/** Listing limits of a scope (LIST_COUNT_LIMIT, LIST_MAX_PAGE_DEPTH). */
export interface ListingLimits {
  /** A total counts at most this many rows; above it the total is an estimate. */
  countLimit: number;
  /** The most rows a page number may skip; deeper pages follow the cursor. */
  maxPageDepth: number;
}

export const LISTING_DEFAULTS: ListingLimits = { countLimit: 10_000, maxPageDepth: 10_000 };

const cursorShape = z.object({
  f: z.string().max(64),
  k: z.array(z.string().max(2000).nullable()).min(1).max(16),
  n: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
}).strict();

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor a caller sent, checked for shape only (the list it belongs to is checked when it is used). */
export function decodeCursor(text: string, field: string): CursorRequest {
  const refused = () => ValidationError.field(field, 'is not a cursor this list answered (pass nextCursor/endCursor unchanged)');
  if (text.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(text)) throw refused();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  const parsed = cursorShape.safeParse(json);
  if (!parsed.success) throw refused();
  return { cursor: parsed.data, field };
}

/** One column of a list's order. */
export interface SortKey {
  /** The quoted column (`"r"."name"`). */
  column: string;
  descending: boolean;
  /** Where NULLs sort (PostgreSQL's default: last ascending, first descending). */
  nullsLast: boolean;
  nullable: boolean;
}

/**
 * The columns of a select's order, which must be columns of its own entity; the id is added last when
 * the order does not end in it, so every row has a place of its own.
 */
export function sortKeys(qb: SelectQueryBuilder<ObjectLiteral>, metadata: EntityMetadata): SortKey[] {
  const alias = qb.alias;
  const idPath = `${alias}.id`;
  const paths = Object.keys(qb.expressionMap.orderBys);
  if (paths[paths.length - 1] !== idPath) qb.addOrderBy(idPath, 'ASC');
  return Object.entries(qb.expressionMap.orderBys).map(([path, how]) => {
    const [owner, property] = path.split('.');
    const column = owner === alias && property ? metadata.findColumnWithPropertyPath(property) : undefined;
    if (!column) throw new Error(`A list of ${metadata.name} is ordered by ${path}, which is no column of it: keyset paging needs its own columns`);
    const order = typeof how === 'string' ? how : how.order;
    const nulls = typeof how === 'string' ? undefined : how.nulls;
    const descending = order === 'DESC';
    return { column: `"${alias}"."${column.databaseName}"`, descending, nullsLast: nulls ? nulls === 'NULLS LAST' : !descending, nullable: column.isNullable };
  });
}

/** What a cursor is bound to: the list's statement (its conditions; values of time excepted, they move) and order. */
export function fingerprint(sql: string, params: readonly unknown[], keys: readonly SortKey[]): string {
  const stable = params.map((p) => (p instanceof Date ? null : p));
  return createHash('sha256')
    .update(JSON.stringify([sql, stable, keys.map((k) => [k.column, k.descending, k.nullsLast])]))
    .digest('base64url')
    .slice(0, 22);
}

/** The cursor as the caller sent it, refused when it was made for another list. */
export function checkCursor(request: CursorRequest, print: string, keys: readonly SortKey[]): Cursor {
  const { cursor, field } = request;
  if (cursor.f !== print || cursor.k.length !== keys.length) {
    throw ValidationError.field(field, 'was made for another list, order or filter; start again without it');
  }
  return cursor;
}

/** The selections that read a row's sort key values as text (a timestamp keeps its microseconds). */
export function keySelections(keys: readonly SortKey[]): [expression: string, alias: string][] {
  return keys.map((k, i) => [`${k.column}::text`, `__k${i}`]);
}

/** A raw row's sort key values (read through keySelections). */
export const keyValues = (raw: ObjectLiteral, keys: readonly SortKey[]): (string | null)[] => keys.map((_k, i) => (raw[`__k${i}`] as string | null) ?? null);

/**
 * The condition "after these sort key values" in the order's direction(s), with named parameters. One
 * direction over columns without NULLs is a row comparison (one index range); otherwise the expanded
 * form, key by key: `a > x OR (a = x AND b < y) OR …`, where a NULL sorts where the order puts it.
 * The values are text: PostgreSQL reads each as its column's type.
 */
export function afterCondition(keys: readonly SortKey[], values: readonly (string | null)[], prefix: string): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const p = (i: number) => {
    params[`${prefix}${i}`] = values[i];
    return `:${prefix}${i}`;
  };
  const uniform = keys.every((k) => k.descending === keys[0].descending && !k.nullable) && values.every((v) => v !== null);
  if (uniform) {
    return { sql: `(${keys.map((k) => k.column).join(', ')}) ${keys[0].descending ? '<' : '>'} (${keys.map((_k, i) => p(i)).join(', ')})`, params };
  }
  const equal = (k: SortKey, i: number) => (values[i] === null ? `${k.column} IS NULL` : `${k.column} = ${p(i)}`);
  const beyond = (k: SortKey, i: number): string | null => {
    if (values[i] === null) return k.nullsLast ? null : `${k.column} IS NOT NULL`;
    const past = `${k.column} ${k.descending ? '<' : '>'} ${p(i)}`;
    return k.nullable && k.nullsLast ? `(${past} OR ${k.column} IS NULL)` : past;
  };
  const terms: string[] = [];
  keys.forEach((k, i) => {
    const past = beyond(k, i);
    if (past) terms.push([...keys.slice(0, i).map(equal), past].join(' AND '));
  });
  const first = keys[0];
  // The first key's bound on its own lets the order's index start at the cursor.
  const lead = !first.nullable && values[0] !== null ? `${first.column} ${first.descending ? '<=' : '>='} ${p(0)} AND ` : '';
  return { sql: terms.length ? `(${lead}(${terms.join(' OR ')}))` : 'FALSE', params };
}
