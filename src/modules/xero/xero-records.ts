import { graphqlEnum } from '../../core/enums';
import { f } from '../../core/fields';
import { defineRecord, type RecordOf } from '../../core/record';

/** What of Base becomes what in Xero: vendors → contacts, approved expenses → bills, income → invoices. */
export const XERO_RECORD_TYPES = ['vendor', 'expense', 'income'] as const;
export type XeroRecordType = (typeof XERO_RECORD_TYPES)[number];
export const XeroRecordTypeEnum = graphqlEnum('XeroRecordType', XERO_RECORD_TYPES, 'The kind of Base record synced to Xero.');

export const XERO_SYNC_STATES = ['pending', 'synced', 'voided', 'failed'] as const;
export type XeroSyncState = (typeof XERO_SYNC_STATES)[number];
export const XeroSyncStatusEnum = graphqlEnum(
  'XeroSyncStatus',
  XERO_SYNC_STATES,
  'pending: a change waits to be sent; synced: Xero has the latest; voided: voided or archived in Xero after a delete or an un-approval; failed: retries ran out, Xero\'s message is in lastError.',
);

/**
 * A company's Xero connection. Not a GraphQL type: it holds the OAuth tokens, sealed (AES-256-GCM,
 * sealed-secrets.ts); the status query says what may be said of it.
 */
export const XeroConnection = defineRecord({
  name: 'XeroConnection',
  table: 'xero_connections',
  description: "A company's Xero connection: the organisation and its sealed OAuth tokens.",
  shown: false,
  // One per company; no other table names it.
  referencedById: false,
  fields: {
    tenantId: f.text(),
    tenantName: f.text().nullable(),
    /** Sealed. */
    accessToken: f.longText().internal(),
    /** Sealed. Xero rotates it at every refresh: the new one is committed before the new access token is used. */
    refreshToken: f.longText().internal(),
    accessExpiresAt: f.dateTime(),
    lastSyncAt: f.dateTime().nullable(),
  },
  unique: { uq__xero_connections__company_id: ['companyId'] },
});
export type XeroConnection = RecordOf<typeof XeroConnection>;

/** One record's place in the outbox: what Xero has of it, and whether a change still waits. */
export const XeroSyncItem = defineRecord({
  name: 'XeroSyncItem',
  table: 'xero_sync_items',
  description: 'A record synced to Xero through the outbox, with its state and the last failure.',
  fields: {
    recordType: f
      .enumOf(XERO_RECORD_TYPES, XeroRecordTypeEnum)
      .describe('What kind of Base record it is (`vendor` as a contact, `expense` as a bill, `income` as an invoice).'),
    recordId: f.id().describe('The Base record (it may since have been deleted).'),
    status: f.enumOf(XERO_SYNC_STATES, XeroSyncStatusEnum).describe('Where its sync stands.'),
    xeroId: f.text().nullable().describe('The ContactID or InvoiceID in Xero, once created.'),
    /** Changes recorded so far; each is sent once, under its own Idempotency-Key. */
    changeSeq: f.int().internal().defaultTo(1),
    /** The last change Xero has. */
    syncedSeq: f.int().internal().defaultTo(0),
    /** The change being sent: set before the call, so a retry after a crash reuses its Idempotency-Key. */
    sendingSeq: f.int().nullable().internal(),
    attempts: f.int().describe('Failed sends of the current change.'),
    lastError: f.longText().nullable().describe("Xero's message (or the failure) of the last failed send."),
    lastAttemptAt: f.dateTime().nullable().describe('When the last send of it was tried; null before the first.'),
    syncedAt: f.dateTime().nullable().describe('When Xero last confirmed a change.'),
  },
  unique: { uq__xero_sync_items__record: ['companyId', 'recordType', 'recordId'] },
  checks: { ck__xero_sync_items__seq: 'synced_seq <= change_seq AND (sending_seq IS NULL OR sending_seq <= change_seq)' },
  // The sync log and the status counts (the migration's index).
  indexes: ['ix__xero_sync_items__company_status'],
});
export type XeroSyncItem = RecordOf<typeof XeroSyncItem>;
