import type { FamilyModule } from '../../core/module';
import { belongsTo, hasMany } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Artist } from '../artists';
import { Event } from '../events';
import { Venue } from '../venues';
import { Avail, availFamily } from './avail.family';
import { availService } from './avail.service';

const when = (prefix: string, at: unknown) => (typeof at === 'string' || at instanceof Date ? `${prefix} ${new Date(at).toISOString()}.` : null);

/** Time moves ladders too: the sweeps write down expiries and unanswered challenges, slot by slot. */
export const availModule: FamilyModule<Avail> = {
  family: availFamily,
  service: availService,
  // A hold's holder (its creator) hears of every move of it that someone else or time caused.
  notices: {
    'avail.challenged': { title: 'Your hold was challenged', body: (e) => when('Confirm or release it by', e.payload.respondBy) },
    // Released by its action, or by the ladder (which says why).
    'avail.released': { title: 'Your hold was released', body: (e) => (typeof e.payload.reason === 'string' ? `Released: ${e.payload.reason}.` : null) },
    'avail.moved-up': { title: 'Your hold moved up', body: (e) => (typeof e.payload.to === 'number' ? `It is now level ${e.payload.to}.` : null) },
  },
  relations: [
    belongsTo({ source: Avail, field: 'venue', target: Venue, key: 'venueId', requirement: permission('venue', 'view') }),
    belongsTo({ source: Avail, field: 'artist', target: Artist, key: 'artistId', requirement: permission('artist', 'view') }),
    belongsTo({ source: Avail, field: 'event', target: Event, key: 'eventId', requirement: permission('event', 'view') }),
    hasMany({
      source: Venue,
      field: 'avails',
      target: Avail,
      foreignKey: 'venueId',
      requirement: permission('avail', 'view'),
      order: (qb, a) => qb.orderBy(`${a}.date`, 'ASC').addOrderBy(`${a}.holdLevel`, 'ASC'),
      description: 'Date holds on this venue, by date and level.',
    }),
  ],
  sweeps: {
    expire: {
      everyMs: 60_000,
      due: (now) => `status IN ('held', 'challenged') AND expires_at <= ${now}`,
      run: (hold, scope) => availService.restackSlot(scope, hold),
    },
    'release-unanswered': {
      everyMs: 60_000,
      due: (now) => `status = 'challenged' AND respond_by <= ${now}`,
      run: (hold, scope) => availService.restackSlot(scope, hold),
    },
  },
};
