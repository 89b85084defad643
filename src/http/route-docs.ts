import { ID } from 'type-graphql';
import type { FieldMap } from '../core/fields';
import { fromQueryString, LIMIT_DEFAULT, LIMIT_MAX, PAGING_QUERY, type FilterMap } from '../core/listing';
import type { ParamDoc } from './rest';

/*
 * The words of the REST description said once: operation names, one-line summaries, and the
 * descriptions of the parameters every list shares.
 */

export const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
/** `read-all` → `readAll`. */
export const camel = (s: string): string => s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
/** `openSales` → `open-sales`: the one spelling of REST path segments. */
export const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** `an Avail`, `a Ticket`. */
export const article = (word: string): string => (/^[AEIOU]/i.test(word) ? `an ${word}` : `a ${word}`);

/**
 * The first clause of a description, for an operation's summary: up to the first full stop, colon,
 * semicolon or parenthesis (the description keeps the rest).
 */
export function headline(text: string): string {
  const cut = text.search(/(\.\s|:\s|;\s|\s\(|\.$)/);
  return (cut > 0 ? text.slice(0, cut) : text).trim();
}

/** The paging parameters of every list (a family's, a nested one, a history, a paged query). */
export const PAGING_PARAMS: Record<string, ParamDoc> = {
  page: {
    value: PAGING_QUERY.page,
    description: 'The page number, from 1 (default 1); not with `cursor`. A deep page by number costs more than one by cursor.',
  },
  limit: { value: PAGING_QUERY.limit, description: `Rows per page, 1 to ${LIMIT_MAX} (default ${LIMIT_DEFAULT}).` },
  cursor: {
    value: PAGING_QUERY.cursor,
    description: 'The rows after this cursor (the `nextCursor` of the page before), instead of `page`: opaque, valid for the same list, order and filters.',
  },
};

/** A family's filters as query parameters; none is required, an empty value is "not given". */
export function filterParams(filters: FilterMap, plural: string): Record<string, ParamDoc> {
  return Object.fromEntries(
    Object.entries(filters).map(([name, spec]) => [
      name,
      { value: fromQueryString(spec.schema), kind: spec.graphql(), description: spec.description ?? `Only ${plural} whose ${name} is this.` },
    ]),
  );
}

/** What an undescribed input says: an id names its record (`venueId` → the venue's id). */
function fallbackDescription(name: string, kind: unknown): string {
  const words = name.replace(/Id$/, '').replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
  return kind === ID && name.endsWith('Id') ? `The ${words}'s id.` : `The ${words}.`;
}

/** Declared input fields read from the query string (a query's, a GET procedure's). */
export function fieldParams(fields: FieldMap): Record<string, ParamDoc> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, spec]) => [
      name,
      { value: spec, description: spec.options.description ?? fallbackDescription(name, spec.graphql()), required: spec.options.required },
    ]),
  );
}
