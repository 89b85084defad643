import type { FamilyModule } from '../../core/module';
import { belongsTo, hasMany } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Agency } from '../agencies';
import { Artist, artistFamily } from './artist.family';

export const artistModule: FamilyModule<Artist> = {
  family: artistFamily,
  relations: [
    belongsTo({ source: Artist, field: 'agency', target: Agency, key: 'agencyId', requirement: permission('agency', 'view') }),
    hasMany({
      source: Agency,
      field: 'artists',
      target: Artist,
      foreignKey: 'agencyId',
      requirement: permission('artist', 'view'),
      order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC').addOrderBy(`${a}.id`, 'ASC'),
      description: 'Artists this agency represents.',
    }),
  ],
};
