import { z } from 'zod';
import { ConflictError } from '../../shared/errors';
import { graphqlEnum } from '../../core/enums';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { filters, FilterSpec } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
import { serviceOf } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Artist } from '../artists';
import { Event } from '../events';
import { File } from '../files';
import { AgreementSignature } from './agreement-signature';
import { sign } from './signing';

export const AGREEMENT_STATES = ['draft', 'sent', 'signed', 'cancelled'] as const;
export type AgreementState = (typeof AGREEMENT_STATES)[number];
export const AgreementStateEnum = graphqlEnum('AgreementStatus', AGREEMENT_STATES, 'Where an agreement stands.');

export const Agreement = defineRecord({
  name: 'Agreement',
  table: 'agreements',
  description: 'The contract an accepted offer becomes: a snapshot of its terms, sent and signed.',
  fields: {
    offerId: f
      .id()
      .readOnly()
      // By its entity name: Offers depend on Agreements (accepting creates one), never the other way round.
      .references('Offer')
      .describe('The accepted offer it was made from (set when the offer is accepted; one agreement per offer).'),
    artistId: f
      .id()
      .readOnly()
      .references(() => Artist)
      .describe("The artist it engages: the offer's, set when the offer is accepted."),
    eventId: f
      .id()
      .nullable()
      .readOnly()
      .references(() => Event)
      .describe("The event it is for: the offer's, set when the offer is accepted; null when the offer named none."),
    withholdingRate: f
      .int(0, 10_000)
      .checked('$ BETWEEN 0 AND 10000', '$_range')
      .readOnly()
      .defaultTo(0)
      .describe("The tax withheld at source from the artist's fee, in basis points: the offer's, set when it is accepted."),
    terms: f
      .json<Record<string, unknown>>()
      .describe("The offer's terms as they were accepted: deal, money, schedule, radius, text, and who made the offer (offeredBy)."),
    status: f
      .enumOf(AGREEMENT_STATES, AgreementStateEnum)
      .readOnly()
      .describe('Where it stands: `draft` when the offer is accepted, then moved only by its actions (send, sign, cancel); a signed one is immutable.'),
    signedAt: f.dateTime().nullable().readOnly().describe('When it was signed (set by `sign`); null exactly while it is not signed.'),
    documentFileId: f
      .id()
      .nullable()
      .references(() => File)
      .describe('The signed document: a file of this company (it cannot be deleted while named here); `sign` sets it, an update of an unsigned agreement may name one; null when none.'),
    signature: f
      .json<AgreementSignature>(() => AgreementSignature)
      .nullable()
      .checked("status = 'signed'")
      .describe('The evidence of the signature (`sign`); null until signed through it.'),
  },
  unique: { uq__agreements__offer_id: ['companyId', 'offerId'] },
  checks: { ck__agreements__signed_at: "(status = 'signed') = (signed_at IS NOT NULL)" },
  indexes: [
    // Partial: the files agreements name (the migration's alone).
    'ix__agreements__document_file',
    // A list's order and filters (migrations/1764001960000-ListIndexes.ts).
    'ix__agreements__list',
    'ix__agreements__list_status',
    'ix__agreements__list_offer',
    'ix__agreements__list_artist',
    'ix__agreements__list_event',
  ],
});
export type Agreement = RecordOf<typeof Agreement>;

/**
 * The agreement, locked, when it is not signed yet: a signed agreement (and its payment schedule) is
 * immutable. Locked first, so a concurrent sign cannot slip past; `refusal` is the 409's message.
 */
export async function lockUnsigned(tx: TenantScope, id: string, refusal: string): Promise<Agreement> {
  const current = await tx.repo(Agreement).lock(id, 'Agreement');
  if (current.status === 'signed') throw new ConflictError(refusal, [{ field: 'status', current: 'signed' }]);
  return current;
}

const statusFilter: FilterSpec<AgreementState> = {
  index: { equals: 'status' },
  schema: z.enum(AGREEMENT_STATES, { error: `must be one of ${AGREEMENT_STATES.join(', ')}` }),
  graphql: () => AgreementStateEnum,
  description: 'Agreements in this status',
  apply: (qb, a, value) => void qb.andWhere(`${a}.status = :agreementStatus`, { agreementStatus: value }),
};

/** Who an agreement's moves concern: the one who made the offer it came from. */
const affected = async (agreement: Agreement) => ({ affects: [agreement.terms.offeredBy].filter((u) => typeof u === 'string') });

export const agreementFamily = defineFamily({
  entity: Agreement,
  resource: 'agreement',
  singular: 'agreement',
  plural: 'agreements',
  description: 'Agreements, made only by accepting an offer; immutable once signed.',
  // Made only by accepting an offer.
  operations: ['list', 'one', 'update', 'delete'],
  filters: {
    status: statusFilter,
    offerId: filters.equals('offerId', f.id(), { description: 'The agreement of this offer' }),
    artistId: filters.equals('artistId', f.id(), { description: 'Agreements of this artist' }),
    eventId: filters.equals('eventId', f.id(), { description: 'Agreements for this event' }),
  },
  order: (qb, a) => qb.orderBy(`${a}.createdAt`, 'ASC'),
  hooks: {
    prepareUpdate: async (tx, id, patch) => {
      await lockUnsigned(tx, id, 'Cannot edit a signed agreement');
      return patch;
    },
    beforeDelete: async (tx, agreement) => void (await lockUnsigned(tx, agreement.id, 'Cannot delete a signed agreement')),
  },
  states: { field: 'status', states: AGREEMENT_STATES, initial: 'draft' },
  valueTypes: [AgreementSignature],
  actions: {
    send: {
      permission: 'edit',
      description: 'Send the draft to the other side for signature.',
      from: ['draft'],
      to: 'sent',
      run: async () => {},
      payload: affected,
    },
    sign: {
      permission: 'edit',
      description:
        'Record the signature: the contract document is kept as signed (`documentFileId`, answered by `GET …/document` from then on) and the evidence in `signature` (signer, time, caller, address, user agent, the SHA-256 of the document); from then on the agreement is immutable.',
      from: ['sent'],
      to: 'signed',
      input: {
        signerName: f.text(200).required().describe('The name of the person signing.'),
        signerEmail: f.email().required().describe("The signer's email address."),
      },
      run: (agreement, input, tx) => sign(agreement, input, tx),
      payload: affected,
    },
    cancel: {
      permission: 'edit',
      description: 'Cancel an agreement that is not signed.',
      from: ['draft', 'sent'],
      to: 'cancelled',
      run: async () => {},
      payload: affected,
    },
  },
});

export const agreementService = serviceOf(agreementFamily);
