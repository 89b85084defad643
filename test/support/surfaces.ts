import type { Answer, GqlError, TestBase } from './harness';

/**
 * Assertions for the Base ⇄ Auth contract on both public surfaces: REST `GET /api/agencies` and
 * GraphQL `{ agencies { total } }`. A request-context failure (token, x-org, Auth, module) ends
 * both requests with the same HTTP status and the same code (rest.md "GraphQL over HTTP").
 */

export const AGENCIES_QUERY = '{ agencies { total } }';

type GqlAnswer = Answer<{ data?: unknown; errors?: GqlError[] }>;

const show = (a: Answer): string => `${a.status} ${typeof a.body === 'string' ? a.body.slice(0, 300) : JSON.stringify(a.body)}`;

/** A REST error answer with exactly this status and code; `error.requestId` equals `x-request-id`. */
export function expectRestError(answer: Answer, status: number, code: string): void {
  const got = { status: answer.status, code: answer.body?.error?.code };
  expect({ ...got, answer: show(answer) }).toEqual({ status, code, answer: show(answer) });
  const requestId = answer.headers.get('x-request-id');
  expect(requestId).toBeTruthy();
  expect(answer.body.error.requestId).toBe(requestId);
}

/**
 * A GraphQL request that failed before execution: this HTTP status, one error with this
 * `extensions.code`, no `data` at all.
 */
export function expectGqlRequestError(answer: GqlAnswer, status: number, code: string): void {
  const got = { status: answer.status, code: answer.body?.errors?.[0]?.extensions?.code };
  expect({ ...got, answer: show(answer) }).toEqual({ status, code, answer: show(answer) });
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.data).toBeUndefined();
  expect(answer.headers.get('x-request-id')).toBeTruthy();
}

/**
 * A field-level GraphQL denial: HTTP 200, one error on `path` with this code, and that field null
 * (for a non-null root field the whole `data` is null).
 */
export function expectGqlFieldError(answer: GqlAnswer, path: (string | number)[], code = 'FORBIDDEN'): void {
  const errors = answer.body?.errors ?? [];
  const got = { status: answer.status, count: errors.length, code: errors[0]?.extensions?.code, path: errors[0]?.path };
  expect({ ...got, answer: show(answer) }).toEqual({ status: 200, count: 1, code, path, answer: show(answer) });
  const data = answer.body.data as Record<string, unknown> | null | undefined;
  expect(data?.[String(path[0])] ?? null).toBeNull();
}

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

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
