import type { Caller, Answer, GqlError } from './harness';

/**
 * The error and data shapes of both surfaces, asserted exactly (rest.md): REST errors, validation
 * details, GraphQL errors (on a field, or ending the whole request), and unwrapping GraphQL data.
 * Each assertion puts the whole answer into its failure message.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

/** A lower-case UUID, as the server writes them. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export type GqlAnswer<T = any> = Answer<{ data?: T; errors?: GqlError[] }>;

export interface ErrorDetail {
  field: string;
  message: string;
  [key: string]: unknown;
}

export interface RestErrorBody {
  code: string;
  message: string;
  requestId: string;
  details?: ErrorDetail[];
}

/**
 * What a create answers for `input` sent by `actor`, for `toEqual`: the fields as sent, a fresh id,
 * timestamps, createdBy = the actor, version 1.
 */
export function createdRecord(input: Record<string, unknown>, actor: Caller): Record<string, unknown> {
  return {
    ...input,
    id: expect.stringMatching(UUID_RE),
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
    createdBy: actor.userId,
    version: 1,
  };
}

/** An answer for a failure message: the status and the body (text bodies cut short). */
export const show = (answer: Answer): string =>
  `${answer.status} ${typeof answer.body === 'string' ? answer.body.slice(0, 300) : JSON.stringify(answer.body)}`;

/** Codes whose error body may carry `details` (validation always does; a conflict may name the field). */
const DETAIL_CODES = new Set(['VALIDATION_FAILED', 'CONFLICT']);

/**
 * A REST error answer: exactly this status and code, the `{ error: { code, message, requestId } }`
 * shape, a non-empty requestId equal to the `x-request-id` header, and `details` only where allowed
 * (required, non-empty, for VALIDATION_FAILED). Returns the error object.
 */
export function expectRestError(answer: Answer, status: number, code: string): RestErrorBody {
  const context = `${status} ${code} expected, got ${show(answer)}`;
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
  return error;
}

/** Exactly one `{ field, message }` detail per field named (a non-empty message), and no other. */
export function expectOneDetailPerField(details: unknown, fields: string[]): void {
  expect(Array.isArray(details)).toBe(true);
  const list = details as ErrorDetail[];
  expect(list.map((d) => d.field).sort()).toEqual([...fields].sort());
  for (const d of list) {
    expect(Object.keys(d).sort()).toEqual(['field', 'message']);
    expect(typeof d.message).toBe('string');
    expect(d.message.length).toBeGreaterThan(0);
  }
}

/** 400 VALIDATION_FAILED with one detail per field named. Returns the details. */
export function expectRestValidation(answer: Answer, fields: string[]): ErrorDetail[] {
  const error = expectRestError(answer, 400, 'VALIDATION_FAILED');
  expectOneDetailPerField(error.details, fields);
  return error.details!;
}

/** A GraphQL answer with data and no errors: the data (typed as the answer's, `any` when untyped). */
export function gqlData<A extends GqlAnswer>(answer: A): NonNullable<A['body']['data']> {
  if (answer.status !== 200 || answer.body?.errors?.length || !answer.body?.data) {
    throw new Error(`expected data without errors, got ${show(answer)}`);
  }
  return answer.body.data;
}

/** Exactly one GraphQL error, with this code (and this path, when given). Returns it. */
export function expectGqlError(answer: GqlAnswer, code: string, path?: (string | number)[]): GqlError {
  const errors = answer.body?.errors ?? [];
  const context = `expected one ${code} error, got ${show(answer)}`;
  expect({ count: errors.length, code: errors[0]?.extensions?.code, context }).toEqual({ count: 1, code, context });
  if (path) expect(errors[0].path).toEqual(path);
  return errors[0];
}

/** One VALIDATION_FAILED error on `path` with one detail per field. */
export function expectGqlValidation(answer: GqlAnswer, path: (string | number)[], fields: string[]): void {
  const error = expectGqlError(answer, 'VALIDATION_FAILED', path);
  expectOneDetailPerField(error.extensions?.details, fields);
}

/**
 * A field-level GraphQL error: HTTP 200, one error on `path` with this code, and that field null
 * (for a non-null root field the whole `data` is null).
 */
export function expectGqlFieldError(answer: GqlAnswer, path: (string | number)[], code = 'FORBIDDEN'): void {
  expect({ status: answer.status, answer: show(answer) }).toEqual({ status: 200, answer: show(answer) });
  expectGqlError(answer, code, path);
  const data = answer.body.data as Record<string, unknown> | null | undefined;
  expect(data?.[String(path[0])] ?? null).toBeNull();
}

/**
 * A GraphQL request that failed before execution: this HTTP status, one error with this
 * `extensions.code`, no `data` at all, and an `x-request-id` header.
 */
export function expectGqlRequestError(answer: GqlAnswer, status: number, code: string): void {
  const got = { status: answer.status, code: answer.body?.errors?.[0]?.extensions?.code };
  expect({ ...got, answer: show(answer) }).toEqual({ status, code, answer: show(answer) });
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.data).toBeUndefined();
  expect(answer.headers.get('x-request-id')).toBeTruthy();
}
