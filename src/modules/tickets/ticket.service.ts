import { FamilyService } from '../../core/service';
import { Ticket, ticketFamily } from './ticket.family';

/**
 * Creating or resizing a tier sums its siblings against the event's capacity (the family's hooks):
 * those writes hold the event FOR UPDATE rather than FOR SHARE, so they run one after the other and
 * none has to upgrade a shared lock.
 */
class TicketService extends FamilyService<Ticket> {
  protected override parentLock(operation: 'create' | 'update' | 'delete' | 'action'): 'share' | 'update' {
    return operation === 'create' || operation === 'update' ? 'update' : 'share';
  }
}

export const ticketService = new TicketService(ticketFamily);
