import { Field, ObjectType } from 'type-graphql';
import { f } from './fields';

const LINE1 = 'The street and number (at most 200 characters).';
const LINE2 = 'More of the address: a building, floor or unit (at most 200 characters).';
const CITY = 'The city or town (at most 100 characters).';
const REGION = 'The state, province or county, where the country uses one (at most 100 characters).';
const POSTAL_CODE = 'The postal or ZIP code (at most 20 characters).';
const COUNTRY = 'ISO-3166 alpha-2 country code (`DE`); sent in any case, kept upper-case.';

/** A postal address, stored as one jsonb value and replaced whole on update. */
@ObjectType({ description: 'A postal address; every part is optional.' })
export class Address {
  @Field(() => String, { nullable: true, description: LINE1 })
  line1?: string | null;
  @Field(() => String, { nullable: true, description: LINE2 })
  line2?: string | null;
  @Field(() => String, { nullable: true, description: CITY })
  city?: string | null;
  @Field(() => String, { nullable: true, description: REGION })
  region?: string | null;
  @Field(() => String, { nullable: true, description: POSTAL_CODE })
  postalCode?: string | null;
  @Field(() => String, { nullable: true, description: COUNTRY })
  country?: string | null;
}

/** The address field of a record: the `Address` type, its input `AddressInput` shared by every family with an address. */
export const addressField = f.value(Address, 'AddressInput', {
  line1: f.text().nullable().describe(LINE1),
  line2: f.text().nullable().describe(LINE2),
  city: f.text(100).nullable().describe(CITY),
  region: f.text(100).nullable().describe(REGION),
  postalCode: f.text(20).nullable().describe(POSTAL_CODE),
  country: f.country().nullable().describe(COUNTRY),
});
