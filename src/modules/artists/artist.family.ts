import { f } from '../../core/fields';
import { defineFamily } from '../../core/family';
import { filters } from '../../core/listing';
import { Artist } from './artist.entity';

export const artistFamily = defineFamily({
  entity: Artist,
  resource: 'artist',
  singular: 'artist',
  plural: 'artists',
  fields: {
    name: f.text().required(),
    agencyId: f.id().nullable().describe('An agency of this company.'),
    genres: f.textList(),
    country: f.country().nullable(),
    city: f.text(100).nullable(),
    email: f.email().nullable(),
    phone: f.phone().nullable(),
    website: f.url().nullable(),
    notes: f.longText().nullable(),
    defaultFee: f.money().nullable(),
    currency: f.currency(),
  },
  filters: {
    q: filters.search(['name'], 'Text contained in the name'),
    agencyId: filters.equals('agencyId', f.id()),
    genre: filters.arrayContains('genres', 'Artists with this genre'),
  },
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC'),
});
