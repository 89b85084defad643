import { randomBytes, randomUUID } from 'node:crypto';
import type { Actor, Answer, GqlError, TestBase } from './harness';

/**
 * Shared assertions and builders for the behaviour tests: the REST error shape, GraphQL error
 * codes, row counts straight from PostgreSQL, and fresh agencies.
 */

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Codes whose error body may carry `details` (validation always does; a conflict may name the field). */
const DETAIL_CODES = new Set(['VALIDATION_FAILED', 'CONFLICT']);

/**
 * A REST error answer: exactly this status and code, the `{ error: { code, message, requestId } }`
 * shape, a requestId equal to the `x-request-id` header, and `details` only where allowed
 * (required for VALIDATION_FAILED).
 */
export function expectRestError(answer: Answer, status: number, code: string): void {
  const context = `${status} ${code} expected, got ${answer.status} ${JSON.stringify(answer.body)}`;
  expect({ status: answer.status, code: answer.body?.error?.code, context }).toEqual({ status, code, context });
  expect(Object.keys(answer.body)).toEqual(['error']);
  const { error } = answer.body;
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(typeof error.requestId).toBe('string');
  expect(error.requestId.length).toBeGreaterThan(0);
  expect(answer.headers.get('x-request-id')).toBe(error.requestId);
  const allowed = ['code', 'message', 'requestId', ...(DETAIL_CODES.has(code) ? ['details'] : [])];
  for (const key of Object.keys(error)) expect(allowed).toContain(key);
  if (code === 'VALIDATION_FAILED') {
    expect(Array.isArray(error.details)).toBe(true);
    expect(error.details.length).toBeGreaterThan(0);
  }
}

/** The `field` of every validation detail, in order. */
export function detailFields(details: { field: string }[] | undefined): string[] {
  return (details ?? []).map((d) => d.field);
}

/** Exactly one detail per field named, and no other. */
export function expectOneDetailPerField(details: { field: string; message: string }[] | undefined, fields: string[]): void {
  const got = detailFields(details);
  expect([...got].sort()).toEqual([...fields].sort());
  for (const d of details ?? []) {
    expect(typeof d.message).toBe('string');
    expect(d.message.length).toBeGreaterThan(0);
  }
}

/** The single GraphQL error of an answer with the given code (and path, when given). */
export function expectGqlError(
  answer: Answer<{ data?: unknown; errors?: GqlError[] }>,
  code: string,
  path?: (string | number)[],
): GqlError {
  const errors = answer.body?.errors ?? [];
  const context = `expected one ${code} error, got ${answer.status} ${JSON.stringify(answer.body)}`;
  expect({ count: errors.length, code: errors[0]?.extensions?.code, context }).toEqual({ count: 1, code, context });
  if (path) expect(errors[0].path).toEqual(path);
  return errors[0];
}

/** A GraphQL answer with data and no errors. */
export function gqlData<T>(answer: Answer<{ data?: T; errors?: GqlError[] }>): T {
  if (answer.status !== 200 || answer.body?.errors?.length || !answer.body?.data) {
    throw new Error(`expected data, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body.data;
}

/** Rows in the agencies table of this test file's schema, optionally for one company. */
export async function agencyRows(base: TestBase, companyId?: string): Promise<number> {
  const table = `"${base.schema}".agencies`;
  const rows = companyId
    ? await base.sql<{ count: string }>(`select count(*) from ${table} where company_id = $1`, [companyId])
    : await base.sql<{ count: string }>(`select count(*) from ${table}`);
  return Number(rows[0].count);
}

/** A key no other test in the run uses. */
export function uniqueKey(prefix = 'ag'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** An actor in a company of its own, so totals and orders are not disturbed by other tests. */
export function actorInNewCompany(base: TestBase, permissions?: readonly string[]): Promise<Actor> {
  return base.actor(permissions, { company: randomUUID() });
}

export interface AgencyData {
  id: string;
  key: string;
  name: string;
  email: string | null;
  phone: string | null;
  website: string | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  version: number;
}

/** Create an agency over REST, failing loudly unless it answers 201. */
export async function createAgency(base: TestBase, as: Actor, fields: Partial<AgencyData> = {}): Promise<AgencyData> {
  const body = { key: uniqueKey(), name: `Agency ${randomBytes(3).toString('hex')}`, ...fields };
  const answer = await base.rest('POST', '/api/agencies', { as, body });
  if (answer.status !== 201) throw new Error(`create agency: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.data;
}

/** The agency as stored, read straight from PostgreSQL (bypasses every layer under test). */
export async function agencyRow(base: TestBase, id: string): Promise<Record<string, unknown> | null> {
  const rows = await base.sql(`select * from "${base.schema}".agencies where id = $1`, [id]);
  return rows[0] ?? null;
}
