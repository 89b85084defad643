import { Check, Entity, ForeignKey, Index, Unique } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../../core/enums';
import { TenantEntity } from '../../db/base-entity';
import { EnumColumn, IdColumn, IntColumn, MoneyColumn, TextColumn } from '../../db/columns';
import { Event } from '../events';

export const TICKET_STATES = ['on_sale', 'paused', 'sold_out'] as const;
export type TicketState = (typeof TICKET_STATES)[number];
export const TicketStatusEnum = graphqlEnum('TicketStatus', TICKET_STATES, 'Whether a tier sells: sold_out when nothing is left.');

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A ticket tier of an event: its price and allocation, and what of it is sold, comped or killed.' })
@Entity('tickets')
// What the migration creates, so TypeORM's schema diff drafts nothing.
@Unique('uq__tickets__company_id_id', ['companyId', 'id'])
@ForeignKey(() => Event, ['companyId', 'eventId'], ['companyId', 'id'], { name: 'fk__tickets__event_id', onDelete: 'NO ACTION' })
@Check('ck__tickets__status', `status IN (${TICKET_STATES.map((s) => `'${s}'`).join(', ')})`)
@Check('ck__tickets__price_not_negative', 'price >= 0 AND (fee IS NULL OR fee >= 0)')
@Check('ck__tickets__counts_not_negative', 'quantity >= 0 AND sold >= 0 AND comps >= 0 AND kills >= 0')
@Check('ck__tickets__seats_within_quantity', 'sold + comps + kills <= quantity')
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__tickets__list', { synchronize: false })
export class Ticket extends TenantEntity {
  @IdColumn({ description: 'The event this tier belongs to.' })
  eventId: string;

  @TextColumn()
  name: string;

  @MoneyColumn({ description: 'Price of one ticket, tax included, in minor units of `currency`.' })
  price: number;

  @TextColumn({ description: "The event's currency." })
  currency: string;

  @MoneyColumn({ nullable: true, description: 'Fee per ticket kept by the ticketing side, in minor units.' })
  fee: number | null;

  @IntColumn({ description: 'The allocation: tickets of this tier in all.' })
  quantity: number;

  @IntColumn({ description: 'Tickets sold (changed by sales).' })
  sold: number;

  @IntColumn({ description: 'Tickets given away.' })
  comps: number;

  @IntColumn({ description: 'Seats not sold (sight lines, desk).' })
  kills: number;

  @EnumColumn(TicketStatusEnum)
  status: TicketState;

  /** Tickets of the allocation still to sell. */
  remaining(): number {
    return this.quantity - this.sold - this.comps - this.kills;
  }
}
