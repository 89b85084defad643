import type { ObjectLiteral } from 'typeorm';

/**
 * What a scope is bound to: the company it reads and writes in and the user it records as acting (the
 * request's caller, or the jobs' system user). Comes from the request context, never from a payload.
 */
export interface ScopeBinding {
  companyId: string;
  userId: string;
  /** Where the request came from, as evidence a record may keep (a signature); absent for jobs and seeds. */
  origin?: RequestOrigin;
}

/** The caller's address (Express's `req.ip`, under the service's trust-proxy setting) and user agent. */
export interface RequestOrigin {
  ipAddress: string | null;
  userAgent: string | null;
}

/** Anything stored per company: the full records of families, and append-only rows (events). */
export interface CompanyRow extends ObjectLiteral {
  id: string;
  companyId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
