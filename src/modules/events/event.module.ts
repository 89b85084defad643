import { ConflictError } from '../../shared/errors';
import type { FamilyModule } from '../../core/module';
import { belongsTo, belongsToMany } from '../../core/relations';
import { recordChanges } from '../../core/subscriptions';
import { permission } from '../../permissions/catalog';
import { Artist } from '../artists';
import { Venue } from '../venues';
import { Event, eventFamily, LINEUP_MAX } from './event.family';

export const eventModule: FamilyModule<Event> = {
  family: eventFamily,
  subscriptions: [recordChanges(eventFamily, 'eventChanged')],
  relations: [
    belongsTo({ source: Event, field: 'venue', target: Venue, key: 'venueId', requirement: permission('venue', 'view'), description: 'Where it takes place.' }),
    belongsToMany({
      source: Event,
      field: 'lineup',
      target: Artist,
      keys: 'lineup',
      maxItems: LINEUP_MAX,
      requirement: permission('artist', 'view'),
      description: 'The artists, in running order (headliner first).',
    }),
  ],
  handlers: {
    // A lineup is a list of references the database cannot check with a foreign key: an artist
    // still in one is refused deletion here, in the delete's own transaction.
    'artist.deleted': [
      async (deleted, tx) => {
        const holding = await tx.repo(Event).find((qb, a) => qb.andWhere(`:deletedArtist = ANY(${a}.lineup)`, { deletedArtist: deleted.entityId }));
        if (holding.length) {
          throw new ConflictError(`The artist is still in the lineup of ${holding.length} event(s); take it out of them first`, [
            { referencedBy: 'events', field: 'lineup', count: holding.length },
          ]);
        }
      },
    ],
  },
};
