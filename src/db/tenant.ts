import type { ObjectLiteral } from 'typeorm';

/** Who is acting, for which company. Comes from the request context, never from a payload. */
export interface Tenant {
  companyId: string;
  userId: string;
}

/** Anything stored per company: the full records of families, and append-only rows (events). */
export interface CompanyRow extends ObjectLiteral {
  id: string;
  companyId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
