import type { ObjectLiteral } from 'typeorm';
import { ValidationError } from '../shared/errors';
import { CursorRequest, encodeCursor, keyValues, ListingLimits, SortKey } from './keyset';

/**
 * A list's page: what a caller asks for, what it gets (its rows, its total up to the count limit,
 * the cursor after it), and how a page is made from the rows a statement read.
 */
export interface PageRequest {
  page: number;
  limit: number;
  /** The rows after this cursor instead of page `page` (see keyset.ts). */
  after?: CursorRequest;
  /** `false`: nobody reads the total (a GraphQL page without `total`), so it is not counted. */
  count?: boolean;
}

export interface PageInfo {
  /** The cursor after this page's last row (the request's own on an empty page after one); null on an empty first page. */
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface Page<T> {
  items: T[];
  /** The page number; after a cursor, the page its position falls on at this limit (as of the cursor's making). */
  page: number;
  limit: number;
  /** Every matching row, exact up to the count limit; above it at least that many (`totalIsEstimate`). */
  total: number;
  totalIsEstimate: boolean;
  pageInfo: PageInfo;
}

/** A page whose total was not asked for: reading it anyway is a programming error, never a wrong number. */
export function uncounted<T>(page: Omit<Page<T>, 'total' | 'totalIsEstimate'>): Page<T> {
  const refuse = {
    enumerable: false,
    get() {
      throw new Error('Page.total was not counted: the page was asked for without it');
    },
  };
  return Object.defineProperties(page as Page<T>, { total: refuse, totalIsEstimate: refuse });
}

/** Where a page starts: after the request's cursor (its position), or at its page number's offset (not past the depth limit). */
export function startOf(request: PageRequest, limits: ListingLimits): number {
  if (request.after) return request.after.cursor.n;
  const offset = (request.page - 1) * request.limit;
  if (offset > limits.maxPageDepth) {
    throw new ValidationError([{ field: 'page', message: `skips ${offset} rows, more than ${limits.maxPageDepth}: follow the page's cursor instead (REST meta.nextCursor as cursor, GraphQL pageInfo.endCursor as after)` }]);
  }
  return offset;
}

/** The page number a row position falls on. */
export const pageAt = (before: number, limit: number) => Math.floor(before / limit) + 1;

/**
 * A page of the rows read (one more than the limit, which says whether a next page exists), with the
 * cursor after its last row.
 */
export function pageOf<T>(raw: ObjectLiteral[], map: (raw: ObjectLiteral) => T, request: PageRequest, before: number, keys: readonly SortKey[], print: string): Omit<Page<T>, 'total' | 'totalIsEstimate'> {
  const rows = raw.slice(0, request.limit);
  const last = rows[rows.length - 1];
  const endCursor = last
    ? encodeCursor({ f: print, k: keyValues(last, keys), n: before + rows.length })
    : request.after
      ? encodeCursor(request.after.cursor)
      : null;
  return {
    items: rows.map(map),
    page: request.after ? pageAt(before, request.limit) : request.page,
    limit: request.limit,
    pageInfo: { endCursor, hasNextPage: raw.length > request.limit },
  };
}

/**
 * A count read up to the limit (one row more says there are more): the total and whether it is an
 * estimate. Over the limit it is the limit, or the rows this page reached when more; a last page
 * reached by number knows the exact total itself.
 */
export function cappedTotal(counted: number, limits: ListingLimits, request: PageRequest, page: Omit<Page<unknown>, 'total' | 'totalIsEstimate'>, before: number): Pick<Page<never>, 'total' | 'totalIsEstimate'> {
  if (counted <= limits.countLimit) return { total: counted, totalIsEstimate: false };
  const reached = before + page.items.length;
  if (!request.after && !page.pageInfo.hasNextPage && page.items.length) return { total: reached, totalIsEstimate: false };
  return { total: Math.max(limits.countLimit, reached), totalIsEstimate: true };
}

/** A page with no rows (a key with none on this page), keeping the request's cursor. */
export function emptyPage<T>(request: PageRequest, total: number): Page<T> {
  return {
    items: [],
    page: request.after ? pageAt(request.after.cursor.n, request.limit) : request.page,
    limit: request.limit,
    total,
    totalIsEstimate: false,
    pageInfo: { endCursor: request.after ? encodeCursor(request.after.cursor) : null, hasNextPage: false },
  };
}

/** A page without its total, to be given one. */
export function withoutTotal<T>({ total: _t, totalIsEstimate: _e, ...page }: Page<T>): Omit<Page<T>, 'total' | 'totalIsEstimate'> {
  return page;
}
