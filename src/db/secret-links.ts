import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ScopeBinding } from './tenant';

/**
 * Links that carry a secret instead of a token (a calendar feed's URL, which calendar apps fetch
 * without one). Only the secret's SHA-256 is stored; the link is found by it through a unique index,
 * so finding one costs the same whatever the secret. The record's company is not known before it
 * is found: each kind of link has one SECURITY DEFINER function in the migrations that answers its
 * company and owner and nothing else, and everything after runs in that company's scope.
 */
const OWNER_LOOKUPS = {
  calendarFeed: 'calendar_feed_owner',
} as const;
export type SecretLinkKind = keyof typeof OWNER_LOOKUPS;

/** 32 random bytes, base64url (43 characters): what the link carries. */
export const newLinkSecret = (): string => randomBytes(32).toString('base64url');

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** What is stored of a secret, and looked up by; null for text that cannot be one. */
export function linkSecretHash(secret: string): Buffer | null {
  return SECRET.test(secret) ? createHash('sha256').update(secret).digest() : null;
}

/** The company and owner of the link whose secret hashes to `hash`, or null when there is none. */
export async function linkOwner(manager: EntityManager, kind: SecretLinkKind, hash: Buffer): Promise<Omit<ScopeBinding, 'origin'> | null> {
  const rows: { company_id: string | null; user_id: string | null }[] = await manager.query(`SELECT company_id, user_id FROM ${OWNER_LOOKUPS[kind]}($1)`, [hash]);
  const row = rows[0];
  return row?.company_id && row.user_id ? { companyId: row.company_id, userId: row.user_id } : null;
}
