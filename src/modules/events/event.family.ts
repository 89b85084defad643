import { z } from 'zod';
import { ID } from 'type-graphql';
import { GraphQLISODateTime } from 'type-graphql';
import { defineFamily } from '../../core/family';
import { dateInstantSchema, daySchema, f, FieldSpec, isoInstantSchema } from '../../core/fields';
import { FilterIndex, FilterSpec, filters } from '../../core/listing';
import { graphqlEnum } from '../../core/enums';
import { COMPANY_DEFAULTS } from '../company';
import { Event, EVENT_STATES, EventStatusEnum } from './event.entity';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const LINEUP_MAX = 100;

/** Artist ids in running order, each once; that they are the company's artists is the service's check. */
const lineupField = new FieldSpec<string[]>(
  z
    .array(z.string(), { error: 'must be a list of artist ids' })
    .max(LINEUP_MAX, `at most ${LINEUP_MAX} artists`)
    // Checked as a whole, so every problem of the list is named `lineup`.
    .refine((ids) => ids.every((id) => UUID_RE.test(id)), 'must be a list of artist ids (UUIDs)')
    .transform((ids) => ids.map((id) => id.toLowerCase()))
    .refine((ids) => new Set(ids).size === ids.length, 'lists an artist more than once'),
  () => [ID],
).describe('Artist ids of this company, in running order (headliner first).');

export const LIST_TYPES = ['all', 'upcoming', 'past'] as const;
export type ListType = (typeof LIST_TYPES)[number];
const ListTypeEnum = graphqlEnum('EventListType', LIST_TYPES, 'Which events a list holds: all, those starting now or later, or those that started before now.');

const typeFilter: FilterSpec<ListType> = {
  index: { range: 'startsAt' },
  schema: z.enum(LIST_TYPES, { error: `must be one of ${LIST_TYPES.join(', ')}` }),
  query: z.enum(LIST_TYPES, { error: `must be one of ${LIST_TYPES.join(', ')}` }),
  graphql: () => ListTypeEnum,
  description: 'all (default), upcoming (starts now or later) or past (started before now).',
  apply(qb, a, value, ctx) {
    if (value === 'upcoming') qb.andWhere(`${a}.startsAt >= :typeNow`, { typeNow: ctx.now });
    else if (value === 'past') qb.andWhere(`${a}.startsAt < :typeNow`, { typeNow: ctx.now });
  },
};

/**
 * A bound on startsAt: a date-time, or (REST) a calendar day in the company's time zone, like the
 * dashboard's period: `from` a day starts at its midnight, `to` a day counts whole (up to the next
 * midnight).
 */
const startsBound = (op: '>=' | '<=', description: string): FilterSpec<Date | { day: string }> => {
  const schema = z.union(
    [dateInstantSchema, isoInstantSchema, daySchema.transform((day) => ({ day }))],
    { error: 'must be an ISO-8601 date-time with offset or a date YYYY-MM-DD' },
  ) as z.ZodType<Date | { day: string }>;
  const param = op === '>=' ? 'startsFrom' : 'startsTo';
  return {
    index: { range: 'startsAt' },
    schema,
    query: schema,
    graphql: () => GraphQLISODateTime,
    description,
    apply: (qb, a, value, ctx) => {
      if (value instanceof Date) return void qb.andWhere(`${a}.startsAt ${op} :${param}`, { [param]: value });
      const midnight = `((CAST(:${param} AS date) + ${op === '>=' ? 0 : 1})::timestamp AT TIME ZONE COALESCE(
        (SELECT tz.timezone FROM companies tz WHERE tz.id = :${param}Company AND tz.company_id = :${param}Company), :${param}Zone))`;
      qb.andWhere(`${a}.startsAt ${op === '>=' ? '>=' : '<'} ${midnight}`, {
        [param]: value.day,
        [`${param}Company`]: ctx.companyId,
        [`${param}Zone`]: COMPANY_DEFAULTS.timezone,
      });
    },
  };
};

const idFilter = (index: FilterIndex, sql: (alias: string, param: string) => string, param: string, description: string): FilterSpec<string> => {
  const schema = f.id().schema as z.ZodType<string>;
  return {
    index,
    schema,
    query: schema,
    graphql: () => ID,
    description,
    apply: (qb, a, value) => void qb.andWhere(sql(a, param), { [param]: value.toLowerCase() }),
  };
};

export const eventFamily = defineFamily({
  entity: Event,
  resource: 'event',
  singular: 'event',
  plural: 'events',
  description: 'Shows: date and times, venue, lineup, capacity and ticket tiers.',
  fields: {
    name: f.text().required(),
    venueId: f.id().nullable().describe('A venue of this company.'),
    startsAt: f.dateTime().required().describe('When the show starts.'),
    endsAt: f.dateTime().nullable().describe('When it ends; not before startsAt.'),
    doorsAt: f.dateTime().nullable().describe('When the doors open; not after startsAt.'),
    capacity: f.int(1).nullable().describe('Most tickets of all tiers together.'),
    currency: f.currency().describe('ISO-4217; absent: the company default. Fixed once the event has ticket tiers.'),
    taxRate: f.int(0, 10_000).nullable().describe('Tax included in ticket prices, in basis points (2000 = 20%).'),
    lineup: lineupField,
    notes: f.longText().nullable(),
  },
  filters: {
    type: typeFilter,
    status: filters.equals('status', f.enumOf(EVENT_STATES, EventStatusEnum), { description: 'Events in this status' }),
    venueId: idFilter({ equals: 'venueId' }, (a, p) => `${a}.venueId = :${p}`, 'venueFilter', 'Events at this venue'),
    artistId: idFilter({ contains: 'lineup' }, (a, p) => `${a}.lineup @> ARRAY[CAST(:${p} AS uuid)]`, 'artistFilter', 'Events with this artist in the lineup'),
    from: startsBound('>=', 'Events starting at or after this time (a date: from its midnight in the company’s time zone)'),
    to: startsBound('<=', 'Events starting at or before this time (a date: up to its end in the company’s time zone)'),
    q: filters.search(['name'], 'Text contained in the name'),
  },
  order: (qb, a) => qb.orderBy(`${a}.startsAt`, 'ASC').addOrderBy(`${a}.name`, 'ASC'),
  states: { field: 'status', states: EVENT_STATES, initial: 'draft' },
  // Settled figures are final: the event, and the tickets, income and expenses they were made from,
  // no longer change (nor which offers of it are accepted: see the offers' countsIn).
  frozenIn: ['settled'],
  actions: {
    announce: {
      permission: 'edit',
      description: 'Make the event public.',
      from: ['draft'],
      to: 'announced',
      run: async () => {},
    },
    openSales: {
      permission: 'edit',
      description: 'Put tickets on sale (again, after a sell-out).',
      from: ['draft', 'announced', 'sold_out'],
      to: 'on_sale',
      event: 'sales-opened',
      run: async () => {},
    },
    soldOut: {
      permission: 'edit',
      description: 'Mark the event sold out: its tickets are no longer on sale.',
      from: ['on_sale'],
      to: 'sold_out',
      event: 'sold-out',
      run: async () => {},
    },
    cancel: {
      permission: 'edit',
      description: 'Call the event off.',
      from: ['draft', 'announced', 'on_sale', 'sold_out'],
      to: 'cancelled',
      run: async () => {},
    },
    complete: {
      permission: 'edit',
      description: 'The show has happened; it awaits settlement.',
      from: ['announced', 'on_sale', 'sold_out'],
      to: 'completed',
      run: async () => {},
    },
    settle: {
      permission: 'edit',
      description:
        'Settle the completed show: its settlement is stored as it reads now (refused while an expense of it awaits approval). From then on a settled event refuses (409) every change of itself (its fields, lineup included, and deleting it), of its tickets (sales and refunds too), income and expenses, and accepting an offer for it.',
      from: ['completed'],
      to: 'settled',
      // The statement is stored by the settlements module's handler of `event.settled`, in this
      // transaction, while this event row is locked FOR UPDATE (child writes hold it FOR SHARE).
      run: async () => {},
    },
  },
});
