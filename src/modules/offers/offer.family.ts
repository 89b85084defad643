import { z } from 'zod';
import { ValidationError } from '../../shared/errors';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { FilterSpec, filters } from '../../core/listing';
import type { TenantScope } from '../../db/tenant-scope';
import { agreementService } from '../agreements';
import { availService } from '../avails';
import { eventFamily } from '../events';
import { DEAL_TYPES, DealTypeEnum, Offer, OfferRadius, OfferSchedule, OFFER_STATES, OfferState, OfferStateEnum, PERCENTAGE_BASES, PercentageBaseEnum } from './offer.entity';

const timeOfDay = () => f.pattern(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM').nullable();
const basisPoints = () => f.int(0, 10_000);

const statusFilter: FilterSpec<OfferState> = {
  index: { equals: 'status' },
  schema: z.enum(OFFER_STATES, { error: `must be one of ${OFFER_STATES.join(', ')}` }),
  query: z.enum(OFFER_STATES, { error: `must be one of ${OFFER_STATES.join(', ')}` }),
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
  return { index: { range: 'date' }, schema, query: schema, graphql: f.date().graphql, description, apply: (qb, a, value) => void qb.andWhere(`${a}.date ${op} :${name}`, { [name]: value }) };
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
  const agreement = await agreementService.create(tx, { offerId: offer.id, artistId: offer.artistId, eventId: offer.eventId, terms: snapshot(offer) });
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
  fields: {
    artistId: f.id().required(),
    eventId: f.id().nullable().describe('The event it is for; without one, venueId and date are required.'),
    venueId: f.id().nullable(),
    date: f.date().nullable(),
    dealType: f.enumOf(DEAL_TYPES, DealTypeEnum).required(),
    currency: f.currency().describe('ISO-4217; the company default when not given.'),
    guarantee: f.money().nullable().describe('Minor units; required for flat, versus and plus deals.'),
    percentage: basisPoints().nullable().describe('Basis points 0–10000; required for versus, plus and door deals.'),
    percentageOf: f.enumOf(PERCENTAGE_BASES, PercentageBaseEnum).nullable().describe('Required for versus, plus and door deals.'),
    expenseCap: f.money().nullable(),
    promoterProfit: basisPoints().nullable().describe('Basis points of expenses, for the split point.'),
    ticketPrice: f.money().nullable(),
    schedule: f
      .object('OfferScheduleInput', {
        loadIn: timeOfDay(),
        soundcheck: timeOfDay(),
        doors: timeOfDay(),
        set: timeOfDay(),
        curfew: timeOfDay(),
        setLength: f.int(1, 24 * 60).nullable().describe('Minutes, more than 0.'),
      })
      .nullable()
      .describe('Times of day in order: loadIn, soundcheck, doors, set, curfew.'),
    radius: f.object('OfferRadiusInput', { km: f.int(0, 20_000).required(), days: f.int(0, 3_650).required() }).nullable(),
    expiresAt: f.dateTime().nullable().describe('When a sent offer lapses (in the future).'),
    terms: f.longText().nullable(),
  },
  filters: {
    status: statusFilter,
    artistId: filters.equals('artistId', f.id(), { description: 'Offers to this artist' }),
    eventId: filters.equals('eventId', f.id(), { description: 'Offers for this event' }),
    from: dateBound('>=', 'Offers for this day or later'),
    to: dateBound('<=', 'Offers for this day or earlier'),
  },
  order: (qb, a) => qb.orderBy(`${a}.date`, 'ASC', 'NULLS LAST').addOrderBy(`${a}.createdAt`, 'ASC'),
  valueTypes: [OfferSchedule, OfferRadius],
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
