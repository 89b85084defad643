import { addressField } from '../../core/address';
import { f } from '../../core/fields';
import { defineFamily } from '../../core/family';
import { filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
import { serviceOf } from '../../core/service';
import { companyService } from '../company';

export const Venue = defineRecord({
  name: 'Venue',
  table: 'venues',
  description: 'A place where events happen.',
  fields: {
    name: f.text().required().describe('What the venue is called (at most 200 characters).'),
    address: addressField.nullable().describe('Where it is: a postal address, replaced whole on update.'),
    timezone: f.timezone().describe('IANA time zone of the venue (`Europe/Berlin`); the company\'s when not given on create.'),
    capacity: f.int(1).nullable().checked().describe('Licensed capacity in people (more than 0); null when unknown.'),
    notes: f.longText().nullable().describe('Free text for the company\'s own use (at most 20,000 characters).'),
  },
  // A list's order and filters (migrations/1764001960000-ListIndexes.ts); the expression index on the city.
  indexes: ['ix__venues__list', 'ix__venues__list_city', 'ix__venues__q_name'],
});
export type Venue = RecordOf<typeof Venue>;

export const venueFamily = defineFamily({
  entity: Venue,
  resource: 'venue',
  singular: 'venue',
  plural: 'venues',
  importable: true,
  filters: {
    q: filters.search(['name'], 'Text contained in the name'),
    city: filters.jsonText('address', 'city', 'The city of the address (case-insensitive)'),
  },
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC'),
  hooks: {
    /** A venue without a time zone is in the company's. */
    prepareCreate: async (scope, data) => ({ ...data, timezone: data.timezone ?? (await companyService.current(scope)).timezone }),
  },
});

export const venueService = serviceOf(venueFamily);
