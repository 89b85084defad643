import { z } from 'zod';
import { ID } from 'type-graphql';
import { GraphQLISODateTime } from 'type-graphql';
import { ValidationError, type FieldIssue } from '../../shared/errors';
import { defineFamily } from '../../core/family';
import { dateInstantSchema, daySchema, f, FieldSpec, isoInstantSchema } from '../../core/fields';
import { FilterIndex, FilterSpec, filters } from '../../core/listing';
import { graphqlEnum } from '../../core/enums';
import { defineRecord, type RecordOf } from '../../core/record';
import { serviceOf } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Artist } from '../artists';
import { COMPANY_DEFAULTS, companyService } from '../company';
import { Venue } from '../venues';

export const EVENT_STATES = ['draft', 'announced', 'on_sale', 'sold_out', 'cancelled', 'completed', 'settled'] as const;
export type EventState = (typeof EVENT_STATES)[number];
export const EventStatusEnum = graphqlEnum('EventStatus', EVENT_STATES, 'Where an event stands: settled is reached only by settlement, and a settled event is read-only (409), with its tickets, income, expenses and which of its offers are accepted.');

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
)
  .storedAs({ type: 'uuid', array: true, default: () => "'{}'" })
  // GraphQL's `Event.lineup` gives the artists themselves (the module's relation); REST the ids.
  .shownByRelation();

export const Event = defineRecord({
  name: 'Event',
  table: 'events',
  description: 'A show on a date, at a venue, with its lineup and ticket tiers.',
  fields: {
    name: f.text().required().describe('What the show is called (at most 200 characters).'),
    venueId: f
      .id()
      .nullable()
      .references(() => Venue)
      .describe('The venue it takes place at: one of this company; null while it is not known.'),
    startsAt: f.dateTime().required().describe('When the show starts (an ISO-8601 date-time with offset).'),
    endsAt: f.dateTime().nullable().describe('When it ends: not before startsAt; null when not said.'),
    doorsAt: f.dateTime().nullable().describe('When the doors open: not after startsAt; null when not said.'),
    status: f
      .enumOf(EVENT_STATES, EventStatusEnum)
      .readOnly()
      .describe('Where the event stands: draft when created, then moved only by its actions (announce, openSales, soldOut, cancel, complete, settle).'),
    capacity: f
      .int(1)
      .nullable()
      .checked()
      .describe('Most tickets of all its tiers together (more than 0); null when there is no limit.'),
    currency: f
      .currency()
      .describe("ISO-4217 currency (`EUR`) of its money; the company's default when not given on create. Its ticket tiers share it: fixed once it has tiers."),
    taxRate: f
      .int(0, 10_000)
      .nullable()
      .checked('($ >= 0 AND $ <= 10000)', '$_range')
      .describe('Tax included in ticket prices, in basis points (2000 = 20%; 0–10000); null when not said.'),
    lineup: lineupField.describe(`Artist ids of this company, in running order (headliner first), each once, at most ${LINEUP_MAX}; empty when none.`),
    notes: f.longText().nullable().describe("Free text for the company's own use (at most 20,000 characters)."),
  },
  checks: {
    ck__events__doors_before_start: 'doors_at IS NULL OR doors_at <= starts_at',
    ck__events__ends_after_start: 'ends_at IS NULL OR ends_at >= starts_at',
  },
  // The GIN index on the lineup; a list's order and filters (migrations/1764001960000-ListIndexes.ts).
  indexes: ['ix__events__lineup', 'ix__events__list', 'ix__events__list_status', 'ix__events__list_venue', 'ix__events__q_name'],
});
export type Event = RecordOf<typeof Event>;

export const LIST_TYPES = ['all', 'upcoming', 'past'] as const;
export type ListType = (typeof LIST_TYPES)[number];
const ListTypeEnum = graphqlEnum('EventListType', LIST_TYPES, 'Which events a list holds: all, those starting now or later, or those that started before now.');

const typeFilter: FilterSpec<ListType> = {
  index: { range: 'startsAt' },
  schema: z.enum(LIST_TYPES, { error: `must be one of ${LIST_TYPES.join(', ')}` }),
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
  hooks: {
    /** Money defaults to the company's currency; times in order; the lineup only of the company's artists. */
    async prepareCreate(scope, data) {
      checkTimes(data);
      await checkLineup(scope, data.lineup);
      return { ...data, lineup: data.lineup ?? [], currency: data.currency ?? (await companyService.currency(scope)) };
    },
    async prepareUpdate(scope, id, patch) {
      const current = await scope.repo(Event).getById(id, 'Event');
      checkTimes({ ...current, ...patch }, patch);
      await checkLineup(scope, patch.lineup);
      return patch;
    },
  },
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

export const eventService = serviceOf(eventFamily);

/** Doors, start and end in order; each issue names the field that was sent (or the one that moves). */
function checkTimes(event: Partial<Event>, sent: Partial<Event> = event): void {
  const issues: FieldIssue[] = [];
  const { startsAt, doorsAt, endsAt } = event;
  if (startsAt && doorsAt && doorsAt > startsAt) {
    issues.push({ field: sent.doorsAt !== undefined || sent.startsAt === undefined ? 'doorsAt' : 'startsAt', message: 'the doors must open no later than the start' });
  }
  if (startsAt && endsAt && endsAt < startsAt) {
    issues.push({ field: sent.endsAt !== undefined || sent.startsAt === undefined ? 'endsAt' : 'startsAt', message: 'the event must end no earlier than it starts' });
  }
  if (issues.length) throw new ValidationError([...new Map(issues.map((i) => [i.field, i])).values()]);
}

/**
 * Every id of a lineup is an artist of this company. The artists are locked FOR SHARE until the
 * change commits, so none can be deleted in between (and a deleted one is refused while it is in
 * a lineup: see the module's handler).
 */
async function checkLineup(tx: TenantScope, lineup: string[] | undefined): Promise<void> {
  if (!lineup?.length) return;
  const found = await tx.repo(Artist).find((qb, a) => qb.andWhere(`${a}.id IN (:...lineupIds)`, { lineupIds: lineup }).setLock('pessimistic_read'));
  const known = new Set(found.map((a) => a.id));
  const missing = lineup.filter((id) => !known.has(id));
  if (missing.length) throw ValidationError.field('lineup', `no such artist in this company: ${missing.join(', ')}`);
}
