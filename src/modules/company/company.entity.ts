import { Column, Entity } from 'typeorm';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Address } from '../../core/address';
import { TenantEntity } from '../../db/base-entity';

/**
 * The business metadata of one company (the x-org). Identity, members and plans live in Auth;
 * this row only holds what Base's own features need. Its id is the company id.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'Business metadata of the current company (identity and members live in Auth).' })
@Entity('companies')
export class Company extends TenantEntity {
  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  displayName: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  legalName: string | null;

  @Field({ description: 'Default ISO-4217 currency of new money records.' })
  @Column('text')
  currency: string;

  @Field({ description: 'IANA time zone.' })
  @Column('text')
  timezone: string;

  @Field(() => Address, { nullable: true })
  @Column('jsonb', { nullable: true })
  address: Address | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  taxNumber: string | null;

  @Field(() => String, { nullable: true })
  @Column('uuid', { nullable: true })
  logoFileId: string | null;
}
