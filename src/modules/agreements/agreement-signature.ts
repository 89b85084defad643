import { Field, GraphQLISODateTime, ObjectType } from 'type-graphql';

/**
 * The evidence of a signature, kept on the agreement when it is signed (`POST …/sign`): who signed,
 * when, as which user, from where, and the SHA-256 of the contract document as signed (the bytes
 * `GET …/document` answers from then on).
 */
@ObjectType('AgreementSignature', { description: 'The evidence kept when the agreement was signed.' })
export class AgreementSignature {
  @Field({ description: 'The name the signer signed with.' })
  signerName: string;

  @Field({ description: "The signer's email address." })
  signerEmail: string;

  @Field(() => GraphQLISODateTime, { description: 'When it was signed (the same instant as the agreement\'s signedAt).' })
  signedAt: string;

  @Field({ description: 'The Auth user id (token `sub`) who recorded the signature.' })
  signedBy: string;

  @Field({ description: 'The SHA-256 (hex) of the contract document as signed: the bytes of `GET /api/agreements/{id}/document` and of the file `documentFileId`.' })
  documentSha256: string;

  @Field(() => String, { nullable: true, description: 'The address the signing request came from (as the service sees it behind its proxies).' })
  ipAddress: string | null;

  @Field(() => String, { nullable: true, description: 'The user agent of the signing request.' })
  userAgent: string | null;
}
