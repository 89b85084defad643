/** What other families may use of Tickets. */
export { Ticket, TICKET_STATES, ticketFamily } from './ticket.family';
export type { TicketState } from './ticket.family';
export { ticketService } from './ticket.service';
export { ticketModule } from './ticket.module';
