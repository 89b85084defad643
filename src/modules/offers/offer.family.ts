import { z } from 'zod';
import { Field, Int, ObjectType } from 'type-graphql';
import { ConflictError, ValidationError } from '../../shared/errors';
import { graphqlEnum } from '../../core/enums';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { FilterSpec, filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
import { serviceOf } from '../../core/service';
import { NOW_PARAMETER } from '../../db/tenant-repository';
import type { TenantScope } from '../../db/tenant-scope';
import { Agreement, agreementService } from '../agreements';
import { Artist } from '../artists';
import { availService } from '../avails';
import { companyService } from '../company';
import { Event, eventFamily } from '../events';
import { Venue } from '../venues';
import { checkTerms } from './offer-terms';

export const OFFER_STATES = ['draft', 'sent', 'accepted', 'declined', 'withdrawn', 'expired'] as const;
export type OfferState = (typeof OFFER_STATES)[number];
export const OfferStateEnum = graphqlEnum('OfferStatus', OFFER_STATES, 'Where an offer stands (a sent offer past its expiresAt reads expired).');

/**
 * What an offer's status reads now, in SQL (`x` is a table alias): a sent offer past its expiresAt is
 * expired. `now` is the scope's now as SQL: the repositories' parameter by default, or a raw statement's own.
 */
export const offerStatusNowSql = (x: string, now = NOW_PARAMETER): string =>
  `(CASE WHEN ${x}.status = 'sent' AND ${x}.expires_at <= ${now} THEN 'expired' ELSE ${x}.status END)`;

export const DEAL_TYPES = ['flat', 'versus', 'plus', 'door'] as const;
export type DealType = (typeof DEAL_TYPES)[number];
export const DealTypeEnum = graphqlEnum('DealType', DEAL_TYPES, 'flat: the guarantee; versus: the greater of guarantee and percentage; plus: guarantee plus percentage past the split point; door: percentage only.');

export const PERCENTAGE_BASES = ['gross', 'net'] as const;
export type PercentageBase = (typeof PERCENTAGE_BASES)[number];
export const PercentageBaseEnum = graphqlEnum('PercentageBase', PERCENTAGE_BASES, 'What a percentage deal is a percentage of.');

const localTime = (what: string) => `${what} (HH:MM, the venue's local time); null when not said.`;

/** The day of the show, times of day `HH:MM` in the venue's time zone. */
@ObjectType('OfferSchedule', { description: "The day of the show: times of day HH:MM in the venue's time zone." })
export class OfferSchedule {
  @Field(() => String, { nullable: true, description: localTime('When the crew loads in') })
  loadIn?: string | null;
  @Field(() => String, { nullable: true, description: localTime('When the soundcheck starts') })
  soundcheck?: string | null;
  @Field(() => String, { nullable: true, description: localTime('When the doors open') })
  doors?: string | null;
  @Field(() => String, { nullable: true, description: localTime('When the set starts') })
  set?: string | null;
  @Field(() => String, { nullable: true, description: localTime('When the show must end') })
  curfew?: string | null;
  @Field(() => Int, { nullable: true, description: 'How long the set is, in minutes; null when not said.' })
  setLength?: number | null;
}

/** The radius clause: no other show within `km` for `days` around the date. */
@ObjectType('OfferRadius', { description: 'The radius clause: no other show of the artist within km kilometres for days days around the date.' })
export class OfferRadius {
  @Field(() => Int, { description: 'The radius, in kilometres.' })
  km: number;
  @Field(() => Int, { description: 'Days before and after the date of the show it holds for.' })
  days: number;
}

const timeOfDay = (what: string) => f.pattern(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM').nullable().describe(localTime(what));
const basisPoints = () => f.int(0, 10_000).checked('$ BETWEEN 0 AND 10000', '$_range');

export const Offer = defineRecord({
  name: 'Offer',
  table: 'offers',
  description: 'An offer to an artist for a show: the deal, the day, the terms; accepting it makes the agreement.',
  fields: {
    artistId: f
      .id()
      .required()
      .references(() => Artist)
      .describe('The artist it is made to: one of this company.'),
    eventId: f
      .id()
      .nullable()
      .references(() => Event)
      .describe('The event it is for, one of this company; without one, venueId and date are required.'),
    venueId: f
      .id()
      .nullable()
      .references(() => Venue)
      .describe("The venue of the show, one of this company; null: the event's venue, if it has one."),
    date: f
      .date()
      .nullable()
      .describe("The day of the show (YYYY-MM-DD); required without an eventId. Accepting confirms the first hold of this day; null: the event's day."),
    dealType: f
      .enumOf(DEAL_TYPES, DealTypeEnum)
      .required()
      .describe('How the artist is paid; it decides which of guarantee, percentage and percentageOf are required.'),
    currency: f.currency().describe('ISO-4217 code of every amount of the offer (`EUR`); the company default when not given.'),
    guarantee: f.money().nullable().describe('The guaranteed fee in minor units of `currency`; required for flat, versus and plus deals.'),
    percentage: basisPoints()
      .nullable()
      .describe("The artist's share in basis points, 0–10000 (10000 is 100 %); required for versus, plus and door deals."),
    percentageOf: f
      .enumOf(PERCENTAGE_BASES, PercentageBaseEnum)
      .nullable()
      .describe('What the percentage is of (gross or net receipts); required for versus, plus and door deals.'),
    expenseCap: f.money().nullable().describe('Most expenses counted against the deal, in minor units of `currency`; null: no cap.'),
    promoterProfit: basisPoints()
      .nullable()
      .describe("The promoter's profit in basis points of the expenses (0–10000), for the split point; null: none."),
    withholdingRate: basisPoints()
      .defaultTo(0)
      .describe("The tax withheld at source from the artist's fee (a foreign artist's), in basis points 0–10000; the promoter pays it to the tax office. 0 when not given."),
    ticketPrice: f.money().nullable().describe('The ticket price the deal assumes, in minor units of `currency`; null when not said.'),
    schedule: f
      .value(OfferSchedule, 'OfferScheduleInput', {
        loadIn: timeOfDay('When the crew loads in'),
        soundcheck: timeOfDay('When the soundcheck starts'),
        doors: timeOfDay('When the doors open'),
        set: timeOfDay('When the set starts'),
        curfew: timeOfDay('When the show must end'),
        setLength: f.int(1, 24 * 60).nullable().describe('Minutes, more than 0.'),
      })
      .nullable()
      .describe('Times of day in order: loadIn, soundcheck, doors, set, curfew (replaced whole); null: none said.'),
    radius: f
      .value(OfferRadius, 'OfferRadiusInput', {
        km: f.int(0, 20_000).required().describe('The radius, in kilometres (at most 20,000).'),
        days: f.int(0, 3_650).required().describe('Days before and after the date of the show it holds for (at most 3,650).'),
      })
      .nullable()
      .describe('The radius clause (replaced whole); null: none.'),
    expiresAt: f
      .dateTime()
      .nullable()
      .describe('When a sent offer lapses (in the future when set or sent); past it, a sent offer reads as expired. Null: it does not lapse.'),
    terms: f.longText().nullable().describe('Further terms in free text (at most 20,000 characters), printed on the offer letter; null: none.'),
    status: f
      .enumOf(OFFER_STATES, OfferStateEnum)
      .readOnly()
      .asOfNow((x) => offerStatusNowSql(x))
      .describe('Where the offer stands: draft when created, then moved only by its actions (send, accept, decline, withdraw); a sent offer past its expiresAt reads expired at once.'),
    agreementId: f
      .id()
      .nullable()
      .readOnly()
      .references(() => Agreement, { deferrable: 'INITIALLY DEFERRED' })
      .describe('The agreement made when it was accepted; null before that, or once that unsigned agreement was deleted.'),
  },
  checks: { ck__offers__event_or_venue_date: 'event_id IS NOT NULL OR (venue_id IS NOT NULL AND date IS NOT NULL)' },
  indexes: [
    // Partial (the migration's alone).
    'ix__offers__venue',
    // A list's order and filters (migrations/1764001960000-ListIndexes.ts).
    'ix__offers__list',
    'ix__offers__list_status',
    'ix__offers__list_artist',
    'ix__offers__list_event',
  ],
});
export type Offer = RecordOf<typeof Offer>;

/** Only a draft may change or go; the offer is locked first so a concurrent send cannot slip past. */
async function draftOnly(tx: TenantScope, id: string, what: 'edit' | 'delete'): Promise<Offer> {
  const current = await tx.repo(Offer).lock(id, 'Offer');
  if (current.status !== 'draft') {
    throw new ConflictError(`Cannot ${what} an offer that is ${current.status}; only a draft can be ${what === 'edit' ? 'edited' : 'deleted'}`, [
      { field: 'status', current: current.status, allowed: ['draft'] },
    ]);
  }
  return current;
}

const statusFilter: FilterSpec<OfferState> = {
  index: { equals: 'status' },
  schema: z.enum(OFFER_STATES, { error: `must be one of ${OFFER_STATES.join(', ')}` }),
  graphql: () => OfferStateEnum,
  description: 'The status as it reads now (a sent offer past its expiresAt is expired).',
  apply(qb, a, value, ctx) {
    if (value === 'expired') {
      qb.andWhere(`(${a}.status = 'expired' OR (${a}.status = 'sent' AND ${a}.expiresAt <= :offerNow))`, { offerNow: ctx.now });
    } else if (value === 'sent') {
      qb.andWhere(`${a}.status = 'sent' AND (${a}.expiresAt IS NULL OR ${a}.expiresAt > :offerNow)`, { offerNow: ctx.now });
    } else qb.andWhere(`${a}.status = :offerStatus`, { offerStatus: value });
  },
};

const dateBound = (op: '>=' | '<=', description: string): FilterSpec<string> => {
  const schema = f.date().schema as z.ZodType<string>;
  const name = op === '>=' ? 'offerFrom' : 'offerTo';
  return { index: { range: 'date' }, schema, graphql: f.date().graphql, description, apply: (qb, a, value) => void qb.andWhere(`${a}.date ${op} :${name}`, { [name]: value }) };
};

/** Who an offer's moves concern (notifications): the one who made it. */
const affected = async (offer: Offer) => ({ affects: [offer.createdBy] });

/** The terms as accepted, kept whole in the agreement: later edits of anything cannot change them. */
const snapshot = (offer: Offer): Record<string, unknown> => ({
  dealType: offer.dealType,
  currency: offer.currency,
  guarantee: offer.guarantee,
  percentage: offer.percentage,
  percentageOf: offer.percentageOf,
  expenseCap: offer.expenseCap,
  promoterProfit: offer.promoterProfit,
  withholdingRate: offer.withholdingRate,
  ticketPrice: offer.ticketPrice,
  schedule: offer.schedule,
  radius: offer.radius,
  terms: offer.terms,
  venueId: offer.venueId,
  date: offer.date,
  eventId: offer.eventId,
  offerVersion: offer.version,
  offeredBy: offer.createdBy,
});

/**
 * Accepting books the day: the agreement is made and the first hold of the slot (the venue's day, or
 * the artist's without a venue) is confirmed, placed first when the slot has none. One transaction:
 * a slot already confirmed for someone else is a 409 and nothing of the acceptance is kept.
 */
async function accept(offer: Offer, tx: TenantScope): Promise<Partial<Offer>> {
  const agreement = await agreementService.create(tx, { offerId: offer.id, artistId: offer.artistId, eventId: offer.eventId, withholdingRate: offer.withholdingRate, terms: snapshot(offer) });
  if (offer.date) {
    const slot = { date: offer.date, venueId: offer.venueId, stage: null, artistId: offer.artistId };
    const hold = await availService.firstHold(tx, slot, { eventId: offer.eventId });
    await availService.act(tx, 'confirm', hold.id, {});
  }
  return { agreementId: agreement.id };
}

export const offerFamily = defineFamily({
  entity: Offer,
  resource: 'offer',
  singular: 'offer',
  plural: 'offers',
  description: 'Offers to artists: the deal, the day and the terms; accepting one makes the agreement and confirms the hold.',
  filters: {
    status: statusFilter,
    artistId: filters.equals('artistId', f.id(), { description: 'Offers to this artist' }),
    eventId: filters.equals('eventId', f.id(), { description: 'Offers for this event' }),
    from: dateBound('>=', 'Offers for this day or later'),
    to: dateBound('<=', 'Offers for this day or earlier'),
  },
  order: (qb, a) => qb.orderBy(`${a}.date`, 'ASC', 'NULLS LAST').addOrderBy(`${a}.createdAt`, 'ASC'),
  valueTypes: [OfferSchedule, OfferRadius],
  hooks: {
    /** An offer without a currency is in the company's. */
    async prepareCreate(tx, data) {
      const values = { ...data, currency: data.currency ?? (await companyService.currency(tx)) };
      checkTerms(values, values, tx.now());
      return values;
    },
    async prepareUpdate(tx, id, patch) {
      const current = await draftOnly(tx, id, 'edit');
      checkTerms({ ...current, ...patch }, patch, tx.now());
      return patch;
    },
    async beforeDelete(tx, offer) {
      await draftOnly(tx, offer.id, 'delete');
    },
  },
  states: {
    field: 'status',
    states: OFFER_STATES,
    initial: 'draft',
    moves: [{ from: ['sent'], to: 'expired', when: 'expiresAt passed, read so and never written' }],
  },
  // The accepted offer of a lineup artist is paid in its event's settlement: once that is settled, no
  // offer of the event is accepted (an accepted offer's terms never change: only drafts are edited).
  countsIn: { family: () => eventFamily, key: 'eventId', actions: ['accept'] },
  events: { 'agreement-deleted': 'The unsigned agreement made when it was accepted was deleted: the offer stays accepted and no longer names it.' },
  actions: {
    send: {
      permission: 'edit',
      description: 'Send the draft to the artist side; from then on it can only be accepted, declined or withdrawn.',
      from: ['draft'],
      to: 'sent',
      async run(offer, _input, tx) {
        if (offer.expiresAt && offer.expiresAt <= tx.now()) throw ValidationError.field('expiresAt', 'has passed; set a later one before sending');
      },
      payload: affected,
    },
    accept: {
      permission: 'edit',
      description: 'Accept the sent offer: one transaction makes the agreement (draft, the terms kept) and confirms the first hold of its day.',
      from: ['sent'],
      to: 'accepted',
      run: (offer, _input, tx) => accept(offer, tx),
      payload: affected,
    },
    decline: {
      permission: 'edit',
      description: 'Decline the sent offer.',
      from: ['sent'],
      to: 'declined',
      run: async () => {},
      payload: affected,
    },
    withdraw: {
      permission: 'edit',
      description: 'Withdraw a draft or sent offer.',
      from: ['draft', 'sent'],
      to: 'withdrawn',
      run: async () => {},
      payload: affected,
    },
  },
});

export const offerService = serviceOf(offerFamily);
