import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { Directive, Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../../core/enums';
import { TenantEntity } from '../../db/base-entity';
import { DateTimeColumn, EnumColumn, IdColumn, IntColumn, TextColumn } from '../../db/columns';

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
@Entity('xero_connections')
@Unique('uq__xero_connections__company_id', ['companyId'])
export class XeroConnection extends TenantEntity {
  @Column('text')
  tenantId: string;

  @Column('text', { nullable: true })
  tenantName: string | null;

  /** Sealed. */
  @Column('text')
  accessToken: string;

  /** Sealed. Xero rotates it at every refresh: the new one is committed before the new access token is used. */
  @Column('text')
  refreshToken: string;

  @Column('timestamptz')
  accessExpiresAt: Date;

  @Column('timestamptz', { nullable: true })
  lastSyncAt: Date | null;
}

/** One record's place in the outbox: what Xero has of it, and whether a change still waits. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A record synced to Xero through the outbox, with its state and the last failure.' })
@Entity('xero_sync_items')
@Unique('uq__xero_sync_items__company_id_id', ['companyId', 'id'])
@Unique('uq__xero_sync_items__record', ['companyId', 'recordType', 'recordId'])
@Check('ck__xero_sync_items__record_type', `record_type IN (${XERO_RECORD_TYPES.map((s) => `'${s}'`).join(', ')})`)
@Check('ck__xero_sync_items__status', `status IN (${XERO_SYNC_STATES.map((s) => `'${s}'`).join(', ')})`)
@Check('ck__xero_sync_items__seq', 'synced_seq <= change_seq AND (sending_seq IS NULL OR sending_seq <= change_seq)')
// The sync log and the status counts (the migration's index).
@Index('ix__xero_sync_items__company_status', { synchronize: false })
export class XeroSyncItem extends TenantEntity {
  @EnumColumn(XeroRecordTypeEnum, { description: "What kind of Base record it is (`vendor` as a contact, `expense` as a bill, `income` as an invoice)." })
  recordType: XeroRecordType;

  @IdColumn({ description: 'The Base record (it may since have been deleted).' })
  recordId: string;

  @EnumColumn(XeroSyncStatusEnum, { description: "Where its sync stands." })
  status: XeroSyncState;

  @TextColumn({ nullable: true, description: 'The ContactID or InvoiceID in Xero, once created.' })
  xeroId: string | null;

  /** Changes recorded so far; each is sent once, under its own Idempotency-Key. */
  @Column('int', { default: 1 })
  changeSeq: number;

  /** The last change Xero has. */
  @Column('int', { default: 0 })
  syncedSeq: number;

  /** The change being sent: set before the call, so a retry after a crash reuses its Idempotency-Key. */
  @Column('int', { nullable: true })
  sendingSeq: number | null;

  @IntColumn({ description: 'Failed sends of the current change.' })
  attempts: number;

  @TextColumn({ nullable: true, description: "Xero's message (or the failure) of the last failed send." })
  lastError: string | null;

  @DateTimeColumn({ nullable: true, description: 'When the last send of it was tried; null before the first.' })
  lastAttemptAt: Date | null;

  @DateTimeColumn({ nullable: true, description: 'When Xero last confirmed a change.' })
  syncedAt: Date | null;

  /** The outbox's bookkeeping (which change is sent, which Xero has) stays inside: REST carries the GraphQL fields. */
  override toJSON(): Record<string, unknown> {
    const { changeSeq: _changeSeq, syncedSeq: _syncedSeq, sendingSeq: _sendingSeq, ...fields } = super.toJSON();
    return fields;
  }
}

@ObjectType({ description: "The company's Xero connection and how its sync is doing." })
export class XeroStatus {
  @Field({ description: 'Whether the company is connected to a Xero organisation.' })
  connected: boolean;

  @Field(() => String, { nullable: true, description: 'The Xero organisation.' })
  tenantName: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When Xero last confirmed a change.' })
  lastSyncAt: Date | null;

  @Field(() => Int, { description: 'Records waiting to be sent.' })
  pending: number;

  @Field(() => Int, { description: 'Records whose sending failed; POST /api/xero/sync queues them again.' })
  failed: number;
}

@ObjectType({ description: 'What a re-sync queued.' })
export class XeroSyncQueued {
  @Field(() => Int, { description: 'Failed records queued again.' })
  queued: number;
}
