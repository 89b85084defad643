import { Field, ObjectType } from 'type-graphql';
import { f } from './fields';

/** A postal address, stored as one jsonb value and replaced whole on update. */
@ObjectType()
export class Address {
  @Field(() => String, { nullable: true })
  line1?: string | null;
  @Field(() => String, { nullable: true })
  line2?: string | null;
  @Field(() => String, { nullable: true })
  city?: string | null;
  @Field(() => String, { nullable: true })
  region?: string | null;
  @Field(() => String, { nullable: true })
  postalCode?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO-3166 alpha-2 country code.' })
  country?: string | null;
}

/** The address input, one GraphQL type shared by every family with an address. */
export const addressField = f.object('AddressInput', {
    line1: f.text().nullable(),
    line2: f.text().nullable(),
    city: f.text(100).nullable(),
    region: f.text(100).nullable(),
    postalCode: f.text(20).nullable(),
    country: f.country().nullable(),
  });
