import { f } from '../../core/fields';
import { defineFamily } from '../../core/family';
import { filters } from '../../core/listing';
import { Agency } from './agency.entity';

export const AGENCY_KEY = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const agencyFamily = defineFamily({
  entity: Agency,
  resource: 'agency',
  singular: 'agency',
  plural: 'agencies',
  fields: {
    key: f.pattern(AGENCY_KEY, 'must be 2-63 characters of a-z, 0-9 and dashes, starting with a letter or digit').required(),
    name: f.text().required(),
    email: f.email().nullable(),
    phone: f.phone().nullable(),
    website: f.url().nullable(),
    notes: f.longText().nullable(),
  },
  filters: {
    q: filters.search(['name', 'key'], 'Text contained in the name or key'),
  },
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC'),
});
