import { Check, Column, Entity, ForeignKey, Index, Unique } from 'typeorm';
import { Directive, Field, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { graphqlEnum } from '../../core/enums';
import { TenantEntity } from '../../db/base-entity';
import { Event } from '../events';
import { DateTimeColumn, EnumColumn, IdColumn, JsonColumn } from '../../db/columns';
import { Artist } from '../artists';
import { File } from '../files';
import { AgreementSignature } from './agreement-signature';

export const AGREEMENT_STATES = ['draft', 'sent', 'signed', 'cancelled'] as const;
export type AgreementState = (typeof AGREEMENT_STATES)[number];
export const AgreementStateEnum = graphqlEnum('AgreementStatus', AGREEMENT_STATES, 'Where an agreement stands.');

@Directive('@key(fields: "id")')
@ObjectType({ description: 'The contract an accepted offer becomes: a snapshot of its terms, sent and signed.' })
@ForeignKey(() => Event, ['companyId', 'eventId'], ['companyId', 'id'], { name: 'fk__agreements__event_id', onDelete: 'NO ACTION' })
@Entity('agreements')
// What the migration creates, so TypeORM's schema diff drafts nothing. The offer is named by its
// entity name: Offers depend on Agreements (accepting creates one), never the other way round.
@Unique('uq__agreements__company_id_id', ['companyId', 'id'])
@Unique('uq__agreements__offer_id', ['companyId', 'offerId'])
@ForeignKey('Offer', ['companyId', 'offerId'], ['companyId', 'id'], { name: 'fk__agreements__offer_id', onDelete: 'NO ACTION' })
@ForeignKey(() => Artist, ['companyId', 'artistId'], ['companyId', 'id'], { name: 'fk__agreements__artist_id', onDelete: 'NO ACTION' })
@Check('ck__agreements__status', "status IN ('draft', 'sent', 'signed', 'cancelled')")
@Check('ck__agreements__signed_at', "(status = 'signed') = (signed_at IS NOT NULL)")
@Check('ck__agreements__signature', "signature IS NULL OR status = 'signed'")
@ForeignKey(() => File, ['companyId', 'documentFileId'], ['companyId', 'id'], { name: 'fk__agreements__document_file_id', onDelete: 'NO ACTION' })
@Index('ix__agreements__document_file', { synchronize: false })
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__agreements__list', { synchronize: false })
@Index('ix__agreements__list_status', { synchronize: false })
@Index('ix__agreements__list_offer', { synchronize: false })
@Index('ix__agreements__list_artist', { synchronize: false })
@Index('ix__agreements__list_event', { synchronize: false })
export class Agreement extends TenantEntity {
  @IdColumn({ description: 'The accepted offer it was made from.' })
  offerId: string;

  @IdColumn()
  artistId: string;

  @IdColumn({ nullable: true, description: 'The event it is for (an id of the Events family).' })
  eventId: string | null;

  @Field(() => GraphQLJSONObject, { description: "The offer's terms as they were accepted: deal, money, schedule, radius, text, and who made the offer (offeredBy)." })
  @Column('jsonb')
  terms: Record<string, unknown>;

  @EnumColumn(AgreementStateEnum)
  status: AgreementState;

  @DateTimeColumn({ nullable: true, description: 'When it was signed.' })
  signedAt: Date | null;

  @IdColumn({ nullable: true, description: 'The signed document: a file of this company (it cannot be deleted while named here).' })
  documentFileId: string | null;

  @JsonColumn(AgreementSignature, { nullable: true, description: 'The evidence of the signature (`sign`); null until signed through it.' })
  signature: AgreementSignature | null;
}
