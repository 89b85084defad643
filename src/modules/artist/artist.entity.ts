import { Column, Entity } from 'typeorm';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { bigintAsNumber, TenantEntity } from '../../db/base-entity';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A performing artist or act.' })
@Entity('artists')
export class Artist extends TenantEntity {
  @Field()
  @Column('text')
  name: string;

  @Field(() => ID, { nullable: true, description: 'The agency that represents the artist.' })
  @Column('uuid', { nullable: true })
  agencyId: string | null;

  @Field(() => [String])
  @Column('text', { array: true, default: () => "'{}'" })
  genres: string[];

  @Field(() => String, { nullable: true, description: 'ISO-3166 alpha-2 country code.' })
  @Column('text', { nullable: true })
  country: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  city: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  website: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  notes: string | null;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Usual fee, in minor units of `currency`.' })
  @Column('bigint', { nullable: true, transformer: bigintAsNumber })
  defaultFee: number | null;

  @Field({ description: 'ISO-4217 currency of the money fields (the company default when not given).' })
  @Column('text')
  currency: string;
}
