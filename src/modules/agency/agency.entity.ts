import { Column, Entity } from 'typeorm';
import { Directive, Field, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base-entity';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A booking agency that represents artists.' })
@Entity('agencies')
export class Agency extends TenantEntity {
  @Field({ description: 'Business key, unique within the company (a-z, 0-9, dashes).' })
  @Column('text')
  key: string;

  @Field()
  @Column('text')
  name: string;

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
}
