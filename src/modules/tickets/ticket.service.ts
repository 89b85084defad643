import { ConflictError, ValidationError } from '../../shared/errors';
import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Event } from '../events';
import { Ticket } from './ticket.entity';
import { statusFor, ticketFamily } from './ticket.family';

class TicketService extends FamilyService<Ticket> {
  /** Creating or resizing a tier sums its siblings against the capacity: those writes hold the event FOR UPDATE. */
  protected override parentLock(operation: 'create' | 'update' | 'delete' | 'action'): 'share' | 'update' {
    return operation === 'create' || operation === 'update' ? 'update' : 'share';
  }

  /**
   * The tier takes the event's currency and must fit the event's capacity. The event row is locked
   * FOR UPDATE before the tiers are summed, so two tiers written at once cannot both squeeze in.
   */
  protected override async prepareCreate(tx: TenantScope, data: Partial<Ticket>): Promise<Partial<Ticket>> {
    const event = await tx.repo(Event).lock(data.eventId!, 'Event');
    sameCurrency(event, data.currency);
    const values = { ...data, currency: event.currency, sold: data.sold ?? 0, comps: data.comps ?? 0, kills: data.kills ?? 0 };
    await withinCapacity(tx, event, values.quantity!);
    return { ...values, status: statusFor(values as Ticket, 'on_sale') };
  }

  /** `sold` moves only through sales; a new quantity must still fit the event's capacity. */
  protected override async prepareUpdate(tx: TenantScope, id: string, patch: Partial<Ticket>): Promise<Partial<Ticket>> {
    const found = await this.repo(tx).getById(id, 'Ticket');
    // The event first, then the tier: the same order as every other writer of tiers (no deadlock).
    const event = await tx.repo(Event).lock(found.eventId, 'Event');
    const current = await this.repo(tx).lock(id, 'Ticket');
    if (patch.sold !== undefined && patch.sold !== current.sold) {
      throw ValidationError.field('sold', `changes only through POST …/tickets/{id}/sales (currently ${current.sold})`);
    }
    sameCurrency(event, patch.currency);
    if (patch.quantity !== undefined && patch.quantity !== current.quantity) await withinCapacity(tx, event, patch.quantity, id);
    const next = { ...current, ...patch };
    return { ...patch, status: statusFor(next, current.status) };
  }
}

function sameCurrency(event: Event, currency: string | undefined): void {
  if (currency !== undefined && currency !== event.currency) {
    throw ValidationError.field('currency', `must be the event's currency, ${event.currency}`);
  }
}

/** The tiers of the (locked) event, with this quantity for the tier `except` (or a new one), fit its capacity. */
export async function withinCapacity(tx: TenantScope, event: Event, quantity: number, except?: string): Promise<void> {
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

export const ticketService = new TicketService(ticketFamily);
