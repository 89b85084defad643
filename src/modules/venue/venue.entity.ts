import { Column, Entity } from 'typeorm';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Address } from '../../core/address';
import { TenantEntity } from '../../db/base-entity';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A place where events happen.' })
@Entity('venues')
export class Venue extends TenantEntity {
  @Field()
  @Column('text')
  name: string;

  @Field(() => Address, { nullable: true })
  @Column('jsonb', { nullable: true })
  address: Address | null;

  @Field({ description: 'IANA time zone of the venue (the company default when not given).' })
  @Column('text')
  timezone: string;

  @Field(() => Int, { nullable: true, description: 'Licensed capacity (> 0).' })
  @Column('int', { nullable: true })
  capacity: number | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  notes: string | null;
}
