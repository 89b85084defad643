import { addressField } from '../../core/address';
import { f } from '../../core/fields';
import { defineFamily } from '../../core/family';
import { filters } from '../../core/listing';
import { Venue } from './venue.entity';

export const venueFamily = defineFamily({
  entity: Venue,
  resource: 'venue',
  singular: 'venue',
  plural: 'venues',
  fields: {
    name: f.text().required(),
    address: addressField.nullable(),
    timezone: f.timezone(),
    capacity: f.int(1).nullable(),
    notes: f.longText().nullable(),
  },
  filters: {
    q: filters.search(['name'], 'Text contained in the name'),
    city: filters.jsonText('address', 'city', 'The city of the address (case-insensitive)'),
  },
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC'),
});
