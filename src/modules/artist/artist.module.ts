import { CrudService } from '../../core/crud-service';
import { crudModule } from '../../core/crud-module';
import { f } from '../../core/fields';
import { filters } from '../../core/listing';
import { defineResource } from '../../core/resource';
import type { TenantScope } from '../../db/tenant-scope';
import { belongsTo, hasMany } from '../../graphql/relations';
import { mergeRules } from '../../graphql/rules';
import { permission } from '../../permissions/catalog';
import { Agency } from '../agency/agency.entity';
import { companyService } from '../company/company.service';
import { Artist } from './artist.entity';

export const artistResource = defineResource({
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

class ArtistService extends CrudService<Artist> {
  /** Money records default to the company's currency. */
  protected override async prepareCreate(scope: TenantScope, data: Partial<Artist>): Promise<Partial<Artist>> {
    return { ...data, currency: data.currency ?? (await companyService.currency(scope)) };
  }
}

const artistAgency = belongsTo({
  source: Artist,
  field: 'agency',
  target: Agency,
  key: 'agencyId',
  requirement: permission('agency', 'view'),
});
const agencyArtists = hasMany({
  source: Agency,
  field: 'artists',
  target: Artist,
  foreignKey: 'agencyId',
  requirement: permission('artist', 'view'),
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC').addOrderBy(`${a}.id`, 'ASC'),
  description: 'Artists this agency represents.',
});

export const artistModule = crudModule(artistResource, new ArtistService(artistResource), {
  resolvers: [artistAgency.resolver, agencyArtists.resolver],
  rules: mergeRules([artistAgency.rules, agencyArtists.rules]),
});
