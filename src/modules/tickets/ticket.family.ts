import { ConflictError, ValidationError } from '../../shared/errors';
import { graphqlEnum } from '../../core/enums';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
import type { TenantScope } from '../../db/tenant-scope';
import { Event, eventFamily, eventService } from '../events';

export const TICKET_STATES = ['on_sale', 'paused', 'sold_out'] as const;
export type TicketState = (typeof TICKET_STATES)[number];
export const TicketStatusEnum = graphqlEnum('TicketStatus', TICKET_STATES, 'Whether a tier sells: sold_out when nothing is left.');

export const Ticket = defineRecord({
  name: 'Ticket',
  table: 'tickets',
  description: 'A ticket tier of an event: its price and allocation, and what of it is sold, comped or killed.',
  fields: {
    eventId: f
      .id()
      .readOnly()
      .references(() => Event)
      .describe('The event this tier belongs to: the one in its path, set when the tier is created.'),
    name: f.text().required().describe('What the tier is called (`Early bird`; at most 200 characters).'),
    price: f.money().required().describe('Price of one ticket, tax included, in minor units of `currency` (not negative).'),
    currency: f.currency().describe("The event's ISO-4217 currency (`EUR`): taken from the event when not given; another is refused."),
    fee: f.money().nullable().describe('Fee per ticket kept by the ticketing side, in minor units of `currency` (not negative); null when there is none.'),
    quantity: f.int(0).required().describe('The allocation: tickets of this tier in all; all tiers of an event together within its capacity.'),
    sold: f.int(0).describe('Tickets sold: may be given when the tier is entered (default 0); afterwards only sales and refunds change it.'),
    comps: f.int(0).describe('Tickets of the allocation given away (default 0).'),
    kills: f.int(0).describe('Seats of the allocation not sold: sight lines, desk (default 0).'),
    status: f
      .enumOf(TICKET_STATES, TicketStatusEnum)
      .readOnly()
      .describe('Whether the tier sells: on_sale when created, sold_out exactly when nothing is left (read again on every change of the figures), paused and resumed by its actions.'),
  },
  checks: {
    ck__tickets__price_not_negative: 'price >= 0 AND (fee IS NULL OR fee >= 0)',
    ck__tickets__counts_not_negative: 'quantity >= 0 AND sold >= 0 AND comps >= 0 AND kills >= 0',
    ck__tickets__seats_within_quantity: 'sold + comps + kills <= quantity',
  },
  // A list's order and filters (migrations/1764001960000-ListIndexes.ts).
  indexes: ['ix__tickets__list'],
});
export type Ticket = RecordOf<typeof Ticket>;

/** Most tickets one sale (or refund) may move. */
export const SALE_MAX = 100_000;

type Figures = Pick<Ticket, 'quantity' | 'sold' | 'comps' | 'kills'>;

/** Tickets of the allocation still to sell. */
const remainingOf = (ticket: Figures): number => ticket.quantity - ticket.sold - ticket.comps - ticket.kills;

/** A tier that is not paused reads sold out exactly when nothing of it is left. */
export function statusFor(ticket: Figures, status: TicketState): TicketState {
  if (status === 'paused') return status;
  return remainingOf(ticket) <= 0 ? 'sold_out' : 'on_sale';
}

export const ticketFamily = defineFamily({
  entity: Ticket,
  resource: 'ticket',
  singular: 'ticket',
  plural: 'tickets',
  description: 'Ticket tiers of an event.',
  parent: { family: () => eventFamily as never, key: 'eventId' },
  filters: {
    q: filters.search(['name'], 'Text contained in the name'),
    status: filters.equals('status', f.enumOf(TICKET_STATES, TicketStatusEnum), { description: 'Tiers in this status' }),
  },
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC'),
  // Its writes hold the event FOR UPDATE (the service's parentLock), so the tiers summed here cannot
  // change underneath: two tiers written at once cannot both squeeze into the capacity.
  hooks: {
    /** The tier takes the event's currency and must fit the event's capacity. */
    async prepareCreate(scope, data) {
      const event = await scope.repo(Event).lock(data.eventId!, 'Event');
      sameCurrency(event, data.currency);
      const values = { ...data, currency: event.currency, sold: data.sold ?? 0, comps: data.comps ?? 0, kills: data.kills ?? 0 };
      await withinCapacity(scope, event, values.quantity!);
      return { ...values, status: statusFor(values as Ticket, 'on_sale') };
    },
    /** `sold` moves only through sales; a new quantity must still fit the event's capacity. */
    async prepareUpdate(scope, id, patch) {
      const found = await scope.repo(Ticket).getById(id, 'Ticket');
      // The event first, then the tier: the same order as every other writer of tiers (no deadlock).
      const event = await scope.repo(Event).lock(found.eventId, 'Event');
      const current = await scope.repo(Ticket).lock(id, 'Ticket');
      if (patch.sold !== undefined && patch.sold !== current.sold) {
        throw ValidationError.field('sold', `changes only through POST …/tickets/{id}/sales (currently ${current.sold})`);
      }
      sameCurrency(event, patch.currency);
      if (patch.quantity !== undefined && patch.quantity !== current.quantity) await withinCapacity(scope, event, patch.quantity, id);
      const next = { ...current, ...patch };
      return { ...patch, status: statusFor(next, current.status) };
    },
  },
  states: {
    field: 'status',
    states: TICKET_STATES,
    initial: 'on_sale',
    // Sold out is what is left, not a choice: every write that changes the figures reads it again.
    moves: [
      { from: ['on_sale'], to: 'sold_out', when: 'nothing left, by a sale or a smaller allocation' },
      { from: ['sold_out'], to: 'on_sale', when: 'tickets left again, by a refund or a larger allocation' },
    ],
  },
  actions: {
    sales: {
      permission: 'edit',
      event: 'sales-recorded',
      description:
        'Record a sale of `quantity` tickets (negative: a refund), atomically: more than what is left, or a refund of more than was sold, is refused and changes nothing.',
      input: { quantity: f.int(-SALE_MAX, SALE_MAX).required().refine((q) => q !== 0, 'must not be 0').describe('Tickets sold; negative for a refund.') },
      async run(ticket, input, tx) {
        const quantity = input.quantity as number;
        if (quantity > 0) {
          if (ticket.status === 'paused') throw new ConflictError('The tier is paused; resume it before selling');
          const event = await eventService.get(tx, ticket.eventId);
          if (event.status !== 'on_sale') {
            throw new ConflictError(`Tickets of an event that is ${event.status} cannot be sold; open its sales first`, [{ field: 'status', current: event.status, allowedFrom: ['on_sale'] }]);
          }
          if (quantity > remainingOf(ticket)) {
            throw new ConflictError(`Only ${Math.max(remainingOf(ticket), 0)} ticket(s) of this tier are left`, [{ field: 'quantity', message: `at most ${Math.max(remainingOf(ticket), 0)}` }]);
          }
        } else if (-quantity > ticket.sold) {
          throw new ConflictError(`Only ${ticket.sold} ticket(s) of this tier were sold; a refund cannot take more back`, [{ field: 'quantity', message: `at least -${ticket.sold}` }]);
        }
        const sold = ticket.sold + quantity;
        return { sold, status: statusFor({ ...ticket, sold }, ticket.status) };
      },
    },
    pause: {
      permission: 'edit',
      description: 'Stop selling this tier.',
      from: ['on_sale', 'sold_out'],
      to: 'paused',
      run: async () => {},
    },
    resume: {
      permission: 'edit',
      description: 'Sell this tier again (sold out if nothing is left).',
      from: ['paused'],
      to: ['on_sale', 'sold_out'],
      run: async (ticket) => ({ status: statusFor(ticket, 'on_sale') }),
    },
  },
});

function sameCurrency(event: Event, currency: string | undefined): void {
  if (currency !== undefined && currency !== event.currency) {
    throw ValidationError.field('currency', `must be the event's currency, ${event.currency}`);
  }
}

/** The tiers of the (locked) event, with this quantity for the tier `except` (or a new one), fit its capacity. */
async function withinCapacity(tx: TenantScope, event: Event, quantity: number, except?: string): Promise<void> {
  if (event.capacity === null) return;
  const others = (await tx.repo(Ticket).find((qb, a) => qb.andWhere(`${a}.eventId = :capacityEvent`, { capacityEvent: event.id })))
    .filter((t) => t.id !== except)
    .reduce((sum, t) => sum + t.quantity, 0);
  if (others + quantity > event.capacity) {
    throw new ConflictError(
      `The event's tiers would hold ${others + quantity} tickets; its capacity is ${event.capacity} (${Math.max(event.capacity - others, 0)} left for this tier)`,
      [{ field: 'quantity', capacity: event.capacity, allocated: others, available: Math.max(event.capacity - others, 0) }],
    );
  }
}
