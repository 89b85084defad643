import type { Caller, TestBase } from './harness';
import { gqlData } from './assertions';

/**
 * Helpers of the catalog behaviour tests (artists, venues, vendors, company, relations): the list
 * readers of their filter tests and the `_entities` query. The contract every family shares is the
 * family suite (`family-suite.ts`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

/** The `name` of each record, in order. */
export const names = (list: { name: string }[]): string[] => list.map((r) => r.name);

/**
 * A REST list read as `actor`: 200, and `meta.total` counts exactly the records returned (nothing
 * is paged away). Returns the records.
 */
export async function listAll(base: TestBase, actor: Caller, url: string): Promise<any[]> {
  const res = await base.rest('GET', url, { as: actor });
  expect(res.status).toBe(200);
  expect(res.body.meta.total).toBe(res.body.data.length);
  return res.body.data;
}

/**
 * The GraphQL list `plural(filter: $f) { items { name } total }` read as `actor`, the filter sent as
 * a `filterType` variable; `total` counts exactly the items returned. Returns the items.
 */
export async function gqlListAll(
  base: TestBase,
  actor: Caller,
  plural: string,
  filterType: string,
  filter: Record<string, unknown>,
): Promise<{ name: string }[]> {
  const data = gqlData(await base.gql(`query($f: ${filterType}) { ${plural}(filter: $f) { items { name } total } }`, { f: filter }, { as: actor }));
  expect(data[plural].total).toBe(data[plural].items.length);
  return data[plural].items;
}

/** `_entities` with an inline fragment per catalog type. */
export const ENTITIES_QUERY = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Artist { id name }
    ... on Venue { id name }
    ... on Vendor { id name }
    ... on Agency { id name }
    ... on Company { id currency }
  }
}`;
