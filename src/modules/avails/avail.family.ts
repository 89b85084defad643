import { z } from 'zod';
import { ValidationError } from '../../shared/errors';
import { graphqlEnum } from '../../core/enums';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { FilterSpec, filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
import { Artist } from '../artists';
import { Event } from '../events';
import { Venue } from '../venues';
import { DEFAULT_RESPOND_HOURS, LADDER_MAX, levelNowSql, respondByNowSql, statusNowSql } from './ladder';
import { challenge, checkChange, confirm, leave, place, standing } from './ladder-moves';

export const AVAIL_STATES = ['held', 'challenged', 'confirmed', 'released', 'expired'] as const;
export type AvailState = (typeof AVAIL_STATES)[number];
export const AvailStateEnum = graphqlEnum('AvailStatus', AVAIL_STATES, 'Where a date hold stands.');

/** A hold's level, status and respondBy are read as of now (ladder.ts): time moves the ladder at the deadline itself. */
export const Avail = defineRecord({
  name: 'Avail',
  table: 'avails',
  description: 'A date hold on a venue (and stage) or an artist, with its place on the ladder of that slot.',
  fields: {
    date: f.date().required().describe('The calendar day held (YYYY-MM-DD); fixed once held.'),
    venueId: f
      .id()
      .nullable()
      .references(() => Venue)
      .describe('The venue held, one of this company (its slot is venue, stage and date); at least one of venueId and artistId; fixed once held.'),
    stage: f
      .text()
      .nullable()
      .describe('The room or stage of the venue; null: the venue as a whole, and always null without a venue. Fixed once held.'),
    artistId: f
      .id()
      .nullable()
      .references(() => Artist)
      .describe('The artist held, one of this company (without a venue, its slot is artist and date); at least one of venueId and artistId; fixed once held.'),
    holdLevel: f
      .int(1, LADDER_MAX)
      .checked('$ >= 1', '$_positive')
      .asOfNow((x) => levelNowSql(x))
      .describe(
        `Place on the ladder of the slot as of now: 1 is the first hold; holds above it that expired or lost an unanswered challenge no longer count. On create the level asked for (1–${LADDER_MAX}, without a gap; absent: the next free one); fixed afterwards.`,
      ),
    status: f
      .enumOf(AVAIL_STATES, AvailStateEnum)
      .readOnly()
      .asOfNow((x) => statusNowSql(x))
      .describe('As of now: held when placed, then moved by its actions and the ladder; a hold past its expiresAt reads as expired, and a challenged one past its respondBy as released, at once.'),
    expiresAt: f
      .dateTime()
      .nullable()
      .describe('When the hold lapses unless confirmed (in the future when set); null: it does not lapse.'),
    respondBy: f
      .dateTime()
      .nullable()
      .readOnly()
      .asOfNow((x) => respondByNowSql(x))
      .describe('While challenged: when it must be confirmed or lose its place (set by the challenge); null otherwise.'),
    challengedById: f
      .id()
      .nullable()
      .readOnly()
      .describe('While challenged: the hold that challenged it (set by the challenge); null otherwise.'),
    eventId: f
      .id()
      .nullable()
      .references(() => Event)
      .describe('The event this hold is for, one of this company; null when none.'),
    note: f.longText().nullable().describe('A note about the hold, free text (at most 20,000 characters); null: none.'),
  },
  checks: { ck__avails__venue_or_artist: 'venue_id IS NOT NULL OR artist_id IS NOT NULL' },
  exclusions: {
    // A level is held once per slot among the active holds, checked at commit (a ladder's moves pass
    // through duplicates); the migration explains the expression.
    uq__avails__hold_level: {
      expression: `USING hash ((company_id::text || '|' || hold_level::text || '|' || COALESCE('venue:' || venue_id::text || '|' || COALESCE(stage, ''), 'artist:' || artist_id::text) || '|' || (date - DATE '2000-01-01')::text) WITH =) WHERE (status IN ('held', 'challenged'))`,
      deferrable: 'INITIALLY DEFERRED',
    },
  },
  indexes: [
    // Partial (the migration's alone).
    'ix__avails__event',
    'ix__avails__expiring',
    'ix__avails__challenged',
    // A list's order and filters (migrations/1764001960000-ListIndexes.ts).
    'ix__avails__list',
    'ix__avails__list_venue',
    'ix__avails__list_artist',
    'ix__avails__list_status',
  ],
});
export type Avail = RecordOf<typeof Avail>;

/** Who must hear about a move of a hold: its holder. */
const holder = async (hold: Avail) => ({ affects: [hold.createdBy] });

const statusFilter: FilterSpec<AvailState> = {
  index: { equals: 'status' },
  schema: z.enum(AVAIL_STATES, { error: `must be one of ${AVAIL_STATES.join(', ')}` }),
  graphql: () => AvailStateEnum,
  description: 'The status as it reads now (a hold past its expiresAt is expired; one whose challenge went unanswered by respondBy is released).',
  apply: (qb, a, value) => void qb.andWhere(`${statusNowSql(a)} = :statusValue`, { statusValue: value }),
};

const dateBound = (op: '>=' | '<=', description: string): FilterSpec<string> => {
  const schema = f.date().schema as z.ZodType<string>;
  return {
    index: { range: 'date' },
    schema,
    graphql: f.date().graphql,
    description,
    apply: (qb, a, value) => void qb.andWhere(`${a}.date ${op} :${op === '>=' ? 'dateFrom' : 'dateTo'}`, { [op === '>=' ? 'dateFrom' : 'dateTo']: value }),
  };
};

export const availFamily = defineFamily({
  entity: Avail,
  resource: 'avail',
  singular: 'avail',
  plural: 'avails',
  description: 'Date holds on venues and artists, on a ladder per slot.',
  filters: {
    from: dateBound('>=', 'Holds on this day or later'),
    to: dateBound('<=', 'Holds on this day or earlier'),
    venueId: filters.equals('venueId', f.id(), { description: 'Holds of this venue' }),
    artistId: filters.equals('artistId', f.id(), { description: 'Holds of this artist' }),
    status: statusFilter,
  },
  order: (qb, a) => qb.orderBy(`${a}.date`, 'ASC').addOrderBy(`${a}.holdLevel`, 'ASC'),
  hooks: {
    prepareCreate: (tx, data) => place(tx, data),
    prepareUpdate: async (tx, _id, patch) => checkChange(patch, tx.now()),
    /** A deleted hold leaves its ladder like a released one. */
    beforeDelete: (tx, hold) => leave(tx, hold),
  },
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
      run: (hold, _input, tx) => confirm(tx, hold),
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
      run: (hold, input, tx) => challenge(tx, hold, input.respondBy as Date | undefined),
    },
  },
  queries: {
    ladder: {
      permission: 'view',
      graphqlName: 'ladder',
      description: `The holds standing on one slot (venueId, date and stage; or artistId and date), in level order (at most ${LADDER_MAX}).`,
      maxItems: LADDER_MAX,
      input: {
        venueId: f.id().describe('The venue of a venue slot (with `date` and, if it has stages, `stage`); give it or `artistId`.'),
        stage: f.text().describe("The venue's stage, for a venue with several; absent: the venue's only ladder."),
        artistId: f.id().describe("The artist of an artist slot (the artist's own dates); give it or `venueId`."),
        date: f.date().required().describe('The day of the slot (`YYYY-MM-DD`), in the venue\'s or artist\'s own calendar.'),
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
