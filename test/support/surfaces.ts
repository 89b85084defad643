import type { Answer, TestBase } from './harness';
import { expectGqlFieldError, expectGqlRequestError, expectRestError, GqlAnswer, show } from './assertions';

/**
 * Assertions for the Base ⇄ Auth contract on both public surfaces: REST `GET /api/agencies` and
 * GraphQL `{ agencies { total } }`. A request-context failure (token, x-org, Auth, module) ends
 * both requests with the same HTTP status and the same code (rest.md "GraphQL over HTTP").
 */

export const AGENCIES_QUERY = '{ agencies { total } }';

/** REST list and GraphQL list with these exact headers, one after the other. */
export async function callBoth(base: TestBase, headers: Record<string, string>): Promise<{ rest: Answer; gql: GqlAnswer }> {
  const rest = await base.rest('GET', '/api/agencies', { headers });
  const gql = await base.gql(AGENCIES_QUERY, undefined, { headers });
  return { rest, gql };
}

/** The request is refused before execution with this status and code, on both surfaces. */
export async function expectDeniedOnBoth(base: TestBase, headers: Record<string, string>, status: number, code: string): Promise<void> {
  const { rest, gql } = await callBoth(base, headers);
  expectRestError(rest, status, code);
  expectGqlRequestError(gql, status, code);
}

/** REST 200 with a list page, GraphQL 200 with `agencies.total` and no error. */
export function expectRestList(rest: Answer): void {
  expect({ status: rest.status, answer: show(rest) }).toEqual({ status: 200, answer: show(rest) });
  expect(Array.isArray(rest.body.data)).toBe(true);
  expect(typeof rest.body.meta.total).toBe('number');
}

export function expectGqlList(gql: GqlAnswer): void {
  expect({ status: gql.status, errors: gql.body?.errors, answer: show(gql) }).toEqual({ status: 200, errors: undefined, answer: show(gql) });
  expect(typeof (gql.body.data as { agencies: { total: unknown } }).agencies.total).toBe('number');
}

export async function expectGrantedOnBoth(base: TestBase, headers: Record<string, string>): Promise<void> {
  const { rest, gql } = await callBoth(base, headers);
  expectRestList(rest);
  expectGqlList(gql);
}

/** Permission missing: REST 403 FORBIDDEN; GraphQL 200 with FORBIDDEN on the `agencies` field. */
export async function expectPermissionDeniedOnBoth(base: TestBase, headers: Record<string, string>): Promise<void> {
  const { rest, gql } = await callBoth(base, headers);
  expectRestError(rest, 403, 'FORBIDDEN');
  expectGqlFieldError(gql, ['agencies']);
}
