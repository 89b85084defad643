import { ConflictError } from '../../shared/errors';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { filters } from '../../core/listing';
import { eventFamily, eventService } from '../events';
import { Ticket, TICKET_STATES, TicketState, TicketStatusEnum } from './ticket.entity';

/** Most tickets one sale (or refund) may move. */
export const SALE_MAX = 100_000;

/** A tier that is not paused reads sold out exactly when nothing of it is left. */
export function statusFor(ticket: Pick<Ticket, 'quantity' | 'sold' | 'comps' | 'kills'>, status: TicketState): TicketState {
  if (status === 'paused') return status;
  return ticket.quantity - ticket.sold - ticket.comps - ticket.kills <= 0 ? 'sold_out' : 'on_sale';
}

export const ticketFamily = defineFamily({
  entity: Ticket,
  resource: 'ticket',
  singular: 'ticket',
  plural: 'tickets',
  description: 'Ticket tiers of an event.',
  parent: { family: () => eventFamily as never, key: 'eventId' },
  fields: {
    name: f.text().required(),
    price: f.money().required().describe('Price of one ticket, tax included, in minor units.'),
    currency: f.currency().describe("The event's currency (absent: taken from the event; another is refused)."),
    fee: f.money().nullable().describe('Fee per ticket kept by the ticketing side, in minor units.'),
    quantity: f.int(0).required().describe('The allocation; all tiers of an event together within its capacity.'),
    sold: f.int(0).describe('Tickets already sold when the tier is entered (default 0); afterwards only sales change it.'),
    comps: f.int(0).describe('Tickets given away (default 0).'),
    kills: f.int(0).describe('Seats not sold: sight lines, desk (default 0).'),
  },
  filters: {
    q: filters.search(['name'], 'Text contained in the name'),
    status: filters.equals('status', f.enumOf(TICKET_STATES, TicketStatusEnum), { description: 'Tiers in this status' }),
  },
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC'),
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
          if (quantity > ticket.remaining()) {
            throw new ConflictError(`Only ${Math.max(ticket.remaining(), 0)} ticket(s) of this tier are left`, [{ field: 'quantity', message: `at most ${Math.max(ticket.remaining(), 0)}` }]);
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

