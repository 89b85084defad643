/** What other families may use of Tickets. */
export { Ticket, TICKET_STATES } from './ticket.entity';
export type { TicketState } from './ticket.entity';
export { ticketFamily } from './ticket.family';
export { ticketService } from './ticket.service';
export { ticketModule } from './ticket.module';
