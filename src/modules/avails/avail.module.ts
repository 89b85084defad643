import type { FamilyModule } from '../../core/module';
import { belongsTo, hasMany } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Artist } from '../artists';
import { Event } from '../events';
import { Venue } from '../venues';
import { defineSubscription } from '../../core/subscriptions';
import { f } from '../../core/fields';
import { ValidationError } from '../../shared/errors';
import { Avail, availFamily } from './avail.family';
import { LADDER_MAX, type Slot } from './ladder';
import { standing } from './ladder-moves';
import { availService } from './avail.service';

const when = (prefix: string, at: unknown) => (typeof at === 'string' || at instanceof Date ? `${prefix} ${new Date(at).toISOString()}.` : null);

/** The slot a `ladderChanged` subscriber follows, as the `ladder` query reads its arguments. */
function slotOf(input: Record<string, unknown>): Slot {
  const venueId = (input.venueId as string | undefined) ?? null;
  return { date: input.date as string, venueId, stage: venueId ? ((input.stage as string | undefined) ?? null) : null, artistId: venueId ? null : ((input.artistId as string | undefined) ?? null) };
}

const onSlot = (hold: Avail, slot: Slot): boolean =>
  hold.date === slot.date &&
  (slot.venueId ? hold.venueId === slot.venueId && (hold.stage ?? '') === (slot.stage ?? '') : hold.venueId === null && hold.artistId === slot.artistId);

/**
 * The ladder of one slot after every change of a hold on it (placed, moved, challenged, released,
 * confirmed, expired): what the `ladder` query answers then.
 */
const ladderChanged = defineSubscription<Avail[]>({
  name: 'ladderChanged',
  description: `The holds standing on one slot (venueId, date and stage; or artistId and date), in level order (at most ${LADDER_MAX}), after every change of a hold on it.`,
  permission: availFamily.can.view,
  input: {
    venueId: f.id().describe('The venue of the slot (or artistId).'),
    stage: f.text().describe("The venue's room or stage; absent: the slot without one."),
    artistId: f.id().describe('The artist of a slot without a venue (or venueId).'),
    date: f.date().required().describe('The day of the slot.'),
  },
  returns: () => Avail,
  maxItems: LADDER_MAX,
  async start(input) {
    if (!input.venueId && !input.artistId) {
      throw new ValidationError([
        { field: 'venueId', message: 'venueId or artistId is required' },
        { field: 'artistId', message: 'venueId or artistId is required' },
      ]);
    }
  },
  concerns: (change) => change.entityType === availFamily.typeName,
  async value(change, input, scope) {
    const slot = slotOf(input);
    const hold = await scope.byId(Avail).load(change.entityId);
    return hold && onSlot(hold, slot) ? standing(scope, slot) : null;
  },
  // One release moves several holds (one change each): the ladder after it is told once.
  identity: (ladder) => ladder.map((h) => `${h.id}:${h.version}:${h.holdLevel}:${h.status}`).join(','),
});

/** Time moves ladders too: the sweeps write down expiries and unanswered challenges, slot by slot. */
export const availModule: FamilyModule<Avail> = {
  family: availFamily,
  service: availService,
  subscriptions: [ladderChanged],
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
