import type { FamilyModule } from '../../core/module';
import { belongsTo, hasMany } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Agency } from '../agencies';
import { Artist } from './artist.entity';
import { artistFamily } from './artist.family';
import { artistService } from './artist.service';

export const artistModule: FamilyModule<Artist> = {
  family: artistFamily,
  service: artistService,
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
