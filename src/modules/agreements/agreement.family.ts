import { z } from 'zod';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { filters, FilterSpec } from '../../core/listing';
import { Agreement, AGREEMENT_STATES, AgreementState, AgreementStateEnum } from './agreement.entity';
import { AgreementSignature } from './agreement-signature';
import { sign } from './signing';

const statusFilter: FilterSpec<AgreementState> = {
  index: { equals: 'status' },
  schema: z.enum(AGREEMENT_STATES, { error: `must be one of ${AGREEMENT_STATES.join(', ')}` }),
  query: z.enum(AGREEMENT_STATES, { error: `must be one of ${AGREEMENT_STATES.join(', ')}` }),
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
  fields: {
    documentFileId: f.id().nullable().describe('The signed document (an id of the Files family).'),
  },
  filters: {
    status: statusFilter,
    offerId: filters.equals('offerId', f.id(), { description: 'The agreement of this offer' }),
    artistId: filters.equals('artistId', f.id(), { description: 'Agreements of this artist' }),
    eventId: filters.equals('eventId', f.id(), { description: 'Agreements for this event' }),
  },
  order: (qb, a) => qb.orderBy(`${a}.createdAt`, 'ASC'),
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
