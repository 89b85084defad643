import { z } from 'zod';
import { ConflictError, ValidationError } from '../../shared/errors';
import { recordEvent } from '../../core/events';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { FilterSpec, filters } from '../../core/listing';
import type { TenantScope } from '../../db/tenant-scope';
import { ACTIVE_STATES, Avail, AVAIL_STATES, AvailState, AvailStateEnum, statusNowSql } from './avail.entity';

/** How long level 1 has to answer a challenge when the challenger names no time. */
export const DEFAULT_RESPOND_HOURS = 48;

/**
 * The ladder of one slot: venue + stage + date, or artist + date for a hold without a venue. Its
 * active holds (held, challenged) take levels 1..n, each once, gapless. Every read computes the
 * ladder as of now from the stored rows (Avail.levelNow, statusNow), so time moves it at the
 * deadline itself. Every change of a ladder runs under the slot's lock (taken before any hold of it
 * is locked) and first restacks the slot: it writes down what time decided (holds past their expiry
 * become expired, challenges past their respond-by release level 1, the rest move up), each move
 * once, with its notice. The database's deferred exclusion constraint refuses whatever would still
 * break the rule at commit.
 */
export interface Slot {
  date: string;
  venueId: string | null;
  stage: string | null;
  artistId: string | null;
}

export const slotKey = (s: Slot): string =>
  s.venueId ? `avail:venue:${s.venueId}:${s.date}:${s.stage ?? ''}` : `avail:artist:${s.artistId}:${s.date}`;

/** The holds stored as active on a slot (some may have left it by now), in level order. */
function storedActive(tx: TenantScope, s: Slot, states: readonly AvailState[] = ACTIVE_STATES): Promise<Avail[]> {
  return tx.repo(Avail).find((qb, a) => {
    qb.andWhere(`${a}.date = :slotDate`, { slotDate: s.date });
    if (s.venueId) {
      qb.andWhere(`${a}.venueId = :slotVenue`, { slotVenue: s.venueId });
      qb.andWhere(`coalesce(${a}.stage, '') = :slotStage`, { slotStage: s.stage ?? '' });
    } else {
      qb.andWhere(`${a}.venueId IS NULL AND ${a}.artistId = :slotArtist`, { slotArtist: s.artistId });
    }
    qb.andWhere(`${a}.status IN (:...activeStates)`, { activeStates: states });
    qb.orderBy(`${a}.holdLevel`, 'ASC').addOrderBy(`${a}.id`, 'ASC');
  });
}

/** Who must hear about a move of a hold: its holder. */
const holder = async (hold: Avail) => ({ affects: [hold.createdBy] });

/** The holds standing on a slot now, in level order (what the ladder query answers). */
export async function standing(tx: TenantScope, s: Slot): Promise<Avail[]> {
  return (await storedActive(tx, s)).filter((h) => h.isActive());
}

/** What the ladder does to a hold besides its own actions (the family's `events`), and `released` (also an action's). */
type LadderMove = 'moved-up' | 'challenged' | 'unchallenged' | 'expired' | 'released';

async function change(tx: TenantScope, hold: Avail, patch: Partial<Avail>, type: LadderMove, payload: Record<string, unknown>): Promise<Avail> {
  const row = await tx.repo(Avail).update(hold.id, patch);
  // The holder hears about what happened to their hold (a notifications family addresses `affects`).
  await recordEvent(tx, { type: `avail.${type}`, entityType: 'Avail', entityId: hold.id, version: row.version, payload: { ...payload, affects: [hold.createdBy] } });
  return row;
}

/**
 * Close the gaps: the holds (in level order) take levels 1..n as stored; each that moves is in its
 * history. Returns them with their levels as now stored.
 */
async function moveUp(tx: TenantScope, holds: Avail[]): Promise<Avail[]> {
  for (const [i, hold] of holds.entries()) {
    const stored = hold.storedLevel ?? hold.holdLevel;
    if (stored !== i + 1) await change(tx, hold, { holdLevel: i + 1 }, 'moved-up', { from: stored, to: i + 1 });
    Object.assign(hold, { holdLevel: i + 1, storedLevel: i + 1 });
  }
  return holds;
}

/**
 * Take the slot's lock, write down what time has decided (expiries, unanswered challenges) and move
 * the ladder up. `keep` is the hold being acted on: it is left to its action. Returns the holds
 * standing after it, in level order.
 */
export async function restack(tx: TenantScope, s: Slot, keep?: string): Promise<Avail[]> {
  await tx.lockKey(slotKey(s));
  const standingNow: Avail[] = [];
  // Each hold reads as of now: one that has left the ladder is written down as what it reads.
  for (const hold of await storedActive(tx, s)) {
    if (hold.id === keep || hold.isActive()) standingNow.push(hold);
    else if (hold.status === 'expired') {
      await change(tx, hold, { status: 'expired' }, 'expired', { level: hold.holdLevel, expiresAt: hold.expiresAt });
    } else {
      await change(tx, hold, { status: 'released', respondBy: null }, 'released', {
        level: hold.holdLevel,
        reason: 'the challenge was not answered by respondBy',
        challengedById: hold.challengedById,
      });
    }
  }
  return moveUp(tx, standingNow);
}

/** The holds confirmed on a slot. */
export function confirmedOn(tx: TenantScope, s: Slot): Promise<Avail[]> {
  return storedActive(tx, s, ['confirmed']);
}

/** The acted hold after its slot was restacked: its level may have moved. */
async function restacked(tx: TenantScope, hold: Avail): Promise<{ self: Avail; ladder: Avail[] }> {
  const ladder = await restack(tx, hold, hold.id);
  const self = ladder.find((h) => h.id === hold.id);
  if (!self) throw new ConflictError('The hold is no longer on its ladder');
  return { self, ladder };
}

/**
 * A hold leaves its ladder (released, deleted): every hold below moves up one level, and a challenge
 * it made of level 1 is withdrawn.
 */
export async function leave(tx: TenantScope, hold: Avail): Promise<void> {
  const ladder = await restack(tx, hold, hold.id);
  const rest = ladder.filter((h) => h.id !== hold.id);
  for (const first of rest.filter((h) => h.status === 'challenged' && h.challengedById === hold.id)) {
    await change(tx, first, { status: 'held', respondBy: null, challengedById: null }, 'unchallenged', { challengedById: hold.id });
  }
  await moveUp(tx, rest);
}

const statusFilter: FilterSpec<AvailState> = {
  index: { equals: 'status' },
  schema: z.enum(AVAIL_STATES, { error: `must be one of ${AVAIL_STATES.join(', ')}` }),
  query: z.enum(AVAIL_STATES, { error: `must be one of ${AVAIL_STATES.join(', ')}` }),
  graphql: () => AvailStateEnum,
  description: 'The status as it reads now (a hold past its expiresAt is expired; one whose challenge went unanswered by respondBy is released).',
  apply: (qb, a, value) => void qb.andWhere(`${statusNowSql(a)} = :statusValue`, { statusValue: value }),
};

const dateBound = (op: '>=' | '<=', description: string): FilterSpec<string> => {
  const schema = f.date().schema as z.ZodType<string>;
  return {
    index: { range: 'date' },
    schema,
    query: schema,
    graphql: f.date().graphql,
    description,
    apply: (qb, a, value) => void qb.andWhere(`${a}.date ${op} :${op === '>=' ? 'dateFrom' : 'dateTo'}`, { [op === '>=' ? 'dateFrom' : 'dateTo']: value }),
  };
};

/** The most holds standing on one slot: a bound on the ladder (and on what reading it costs). */
export const LADDER_MAX = 20;

export const availFamily = defineFamily({
  entity: Avail,
  resource: 'avail',
  singular: 'avail',
  plural: 'avails',
  description: 'Date holds on venues and artists, on a ladder per slot.',
  fields: {
    date: f.date().required(),
    venueId: f.id().nullable().describe('The venue held; at least one of venueId and artistId.'),
    stage: f.text().nullable().describe('The room or stage of the venue.'),
    artistId: f.id().nullable().describe('The artist held; at least one of venueId and artistId.'),
    holdLevel: f.int(1, LADDER_MAX).describe('The level asked for; absent: the next free one. Only at creation.'),
    expiresAt: f.dateTime().nullable().describe('When the hold lapses unless confirmed (in the future).'),
    eventId: f.id().nullable(),
    note: f.longText().nullable(),
  },
  filters: {
    from: dateBound('>=', 'Holds on this day or later'),
    to: dateBound('<=', 'Holds on this day or earlier'),
    venueId: filters.equals('venueId', f.id(), { description: 'Holds of this venue' }),
    artistId: filters.equals('artistId', f.id(), { description: 'Holds of this artist' }),
    status: statusFilter,
  },
  order: (qb, a) => qb.orderBy(`${a}.date`, 'ASC').addOrderBy(`${a}.holdLevel`, 'ASC'),
  states: {
    field: 'status',
    states: AVAIL_STATES,
    initial: 'held',
    // The ladder moves holds too; reads compute expiries and unanswered challenges as of now, and the
    // next change of the slot (or a sweep) writes them down.
    moves: [
      { from: ['held'], to: 'challenged', when: 'the hold below it challenged it' },
      { from: ['challenged'], to: 'held', when: 'its challenger left the ladder' },
      { from: ['challenged'], to: 'released', when: 'respondBy passed unanswered' },
      { from: ['held', 'challenged'], to: 'released', when: 'another hold of the slot was confirmed' },
      { from: ['held', 'challenged'], to: 'expired', when: 'expiresAt passed' },
    ],
    note: "A hold's level is computed on every read as well: when a hold above it leaves the ladder (released, expired, deleted) it moves up (`avail.moved-up`).",
  },
  events: {
    'moved-up': 'The hold took a higher level: one above it left the ladder.',
    challenged: 'The hold below challenged it: it must confirm or release by respondBy.',
    unchallenged: 'Its challenger left the ladder: it is held again.',
    expired: 'Its expiresAt passed before it was confirmed.',
  },
  actions: {
    confirm: {
      permission: 'edit',
      payload: holder,
      description: 'Confirm the first hold: every other hold of the slot is released.',
      from: ['held', 'challenged'],
      to: 'confirmed',
      async run(hold, _input, tx) {
        const { self, ladder } = await restacked(tx, hold);
        if (self.holdLevel !== 1) throw new ConflictError(`Only the first hold can be confirmed; this hold is level ${self.holdLevel}`);
        for (const other of ladder.filter((h) => h.id !== self.id)) {
          await change(tx, other, { status: 'released', respondBy: null }, 'released', { level: other.holdLevel, reason: 'the slot was confirmed', confirmedId: self.id });
        }
        return { respondBy: null };
      },
    },
    release: {
      permission: 'edit',
      payload: holder,
      description: 'Give the hold up: every hold below it moves up one level.',
      from: ['held', 'challenged'],
      to: 'released',
      async run(hold, _input, tx) {
        await leave(tx, hold);
        return { respondBy: null };
      },
    },
    challenge: {
      permission: 'edit',
      payload: holder,
      description: `Run on the second hold: the first becomes challenged and must confirm or release by respondBy (default ${DEFAULT_RESPOND_HOURS} hours).`,
      from: ['held'],
      // The challenger stays held; the hold it challenges is `avail.challenged`.
      event: 'challenge-issued',
      input: { respondBy: f.dateTime().describe('When the first hold must answer (in the future).') },
      async run(hold, input, tx) {
        const { self, ladder } = await restacked(tx, hold);
        if (self.holdLevel !== 2) throw new ConflictError(`Only the second hold can challenge the first; this hold is level ${self.holdLevel}`);
        const first = ladder[0];
        if (first.status === 'challenged') throw new ConflictError('The first hold is already challenged');
        const now = tx.now();
        const respondBy = (input.respondBy as Date | undefined) ?? new Date(now.getTime() + DEFAULT_RESPOND_HOURS * 3_600_000);
        if (respondBy <= now) throw ValidationError.field('respondBy', 'must be in the future');
        await change(tx, first, { status: 'challenged', respondBy, challengedById: self.id }, 'challenged', { challengedById: self.id, respondBy });
        return {};
      },
    },
  },
  queries: {
    ladder: {
      permission: 'view',
      graphqlName: 'ladder',
      description: `The holds standing on one slot (venueId, date and stage; or artistId and date), in level order (at most ${LADDER_MAX}).`,
      maxItems: LADDER_MAX,
      input: {
        venueId: f.id(),
        stage: f.text(),
        artistId: f.id(),
        date: f.date().required(),
      },
      async run(input, scope) {
        if (!input.venueId && !input.artistId) {
          throw new ValidationError([
            { field: 'venueId', message: 'venueId or artistId is required' },
            { field: 'artistId', message: 'venueId or artistId is required' },
          ]);
        }
        return standing(scope, {
          date: input.date as string,
          venueId: (input.venueId as string | undefined) ?? null,
          stage: input.venueId ? ((input.stage as string | undefined) ?? null) : null,
          artistId: (input.artistId as string | undefined) ?? null,
        });
      },
    },
  },
});
