import { randomBytes, randomUUID } from 'node:crypto';
import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import type { Caller, TestBase } from './harness';

/**
 * Test data in and out: actors (in fresh companies, or short of a permission), records created over
 * REST, and rows read straight from PostgreSQL (bypassing every layer under test).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

/** A well-formed UUID that no record has. */
export const NO_SUCH_ID = '00000000-0000-4000-8000-00000000dead';

/** Every permission except the ones named. */
export function allBut(...excluded: string[]): string[] {
  return ALL_PERMISSIONS.filter((p) => !excluded.includes(p));
}

/** An actor (all permissions unless given) in a company nobody else uses: exact totals and orders. */
export function freshCaller(base: TestBase, permissions: readonly string[] = ALL_PERMISSIONS): Promise<Caller> {
  return base.caller(permissions, { company: randomUUID() });
}

/** A key no other test in the run uses. */
export function uniqueKey(prefix = 'ag'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Rows of a table in this test file's schema whose columns hold these values (all rows for `{}`). */
export async function rowsWhere(base: TestBase, table: string, where: Record<string, unknown>): Promise<number> {
  const columns = Object.keys(where);
  const filter = columns.length ? ` where ${columns.map((c, i) => `${c} = $${i + 1}`).join(' and ')}` : '';
  const result = await base.sql<{ n: number }>(`select count(*)::int as n from "${base.schema}".${table}${filter}`, Object.values(where));
  return Number(result[0].n);
}

/** Rows of a table in this test file's schema, optionally of one company only. */
export function rows(base: TestBase, table: string, companyId?: string): Promise<number> {
  return rowsWhere(base, table, companyId ? { company_id: companyId } : {});
}

/** A REST create that must succeed; returns the record. */
export async function createVia(base: TestBase, actor: Caller, path: string, body: Record<string, unknown>): Promise<any> {
  const res = await base.rest('POST', path, { as: actor, body });
  if (res.status !== 201) throw new Error(`create ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
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

/** A new agency in the actor's company (REST), with a unique key and, unless given, a random name. */
export function createAgency(base: TestBase, as: Caller, fields: Partial<AgencyData> = {}): Promise<AgencyData> {
  return createVia(base, as, '/api/agencies', { key: uniqueKey(), name: `Agency ${randomBytes(3).toString('hex')}`, ...fields });
}

/** The agency as stored, read straight from PostgreSQL. */
export async function agencyRow(base: TestBase, id: string): Promise<Record<string, unknown> | null> {
  const found = await base.sql(`select * from "${base.schema}".agencies where id = $1`, [id]);
  return found[0] ?? null;
}
