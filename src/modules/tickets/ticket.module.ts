import { ConflictError } from '../../shared/errors';
import type { FamilyModule } from '../../core/module';
import { hasMany } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Event } from '../events';
import { Ticket, ticketFamily } from './ticket.family';
import { ticketService } from './ticket.service';

export const ticketModule: FamilyModule<Ticket> = {
  family: ticketFamily,
  service: ticketService,
  relations: [
    hasMany({
      source: Event,
      field: 'tickets',
      target: Ticket,
      foreignKey: 'eventId',
      requirement: permission('ticket', 'view'),
      order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC').addOrderBy(`${a}.id`, 'ASC'),
      description: 'Its ticket tiers, by name.',
    }),
  ],
  handlers: {
    // An event's capacity and currency bind its tiers: a change that would break them is refused in
    // the event update's own transaction (the update holds the event row, which tier writers lock first).
    'event.updated': [
      async (changed, tx) => {
        const { capacity, currency } = changed.payload as { capacity?: number | null; currency?: string };
        if (capacity === undefined && currency === undefined) return;
        const tiers = await tx.repo(Ticket).find((qb, a) => qb.andWhere(`${a}.eventId = :changedEvent`, { changedEvent: changed.entityId }));
        if (currency !== undefined && tiers.some((t) => t.currency !== currency)) {
          throw new ConflictError(`The event has ticket tiers in ${tiers[0].currency}; its currency cannot change`, [{ field: 'currency', tiers: tiers.length }]);
        }
        const allocated = tiers.reduce((sum, t) => sum + t.quantity, 0);
        if (capacity !== undefined && capacity !== null && allocated > capacity) {
          throw new ConflictError(`The event's tiers hold ${allocated} tickets; its capacity cannot go below that`, [{ field: 'capacity', allocated }]);
        }
      },
    ],
  },
};
