import { Check, Column, Entity, ForeignKey, Index, Unique } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../../core/enums';
import { TenantEntity } from '../../db/base-entity';
import { DateTimeColumn, EnumColumn, IdColumn, IntColumn, TextColumn } from '../../db/columns';
import { Venue } from '../venues';

export const EVENT_STATES = ['draft', 'announced', 'on_sale', 'sold_out', 'cancelled', 'completed', 'settled'] as const;
export type EventState = (typeof EVENT_STATES)[number];
export const EventStatusEnum = graphqlEnum('EventStatus', EVENT_STATES, 'Where an event stands: settled is reached only by settlement, and a settled event is read-only (409), with its tickets, income, expenses and which of its offers are accepted.');

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A show on a date, at a venue, with its lineup and ticket tiers.' })
@Entity('events')
// What the migration creates, so TypeORM's schema diff drafts nothing; the GIN index on the lineup
// is the migration's alone.
@Unique('uq__events__company_id_id', ['companyId', 'id'])
@ForeignKey(() => Venue, ['companyId', 'venueId'], ['companyId', 'id'], { name: 'fk__events__venue_id', onDelete: 'NO ACTION' })
@Check('ck__events__status', `status IN (${EVENT_STATES.map((s) => `'${s}'`).join(', ')})`)
@Check('ck__events__capacity_positive', 'capacity IS NULL OR capacity > 0')
@Check('ck__events__tax_rate_range', 'tax_rate IS NULL OR (tax_rate >= 0 AND tax_rate <= 10000)')
@Check('ck__events__doors_before_start', 'doors_at IS NULL OR doors_at <= starts_at')
@Check('ck__events__ends_after_start', 'ends_at IS NULL OR ends_at >= starts_at')
@Index('ix__events__lineup', { synchronize: false })
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__events__list', { synchronize: false })
@Index('ix__events__list_status', { synchronize: false })
@Index('ix__events__list_venue', { synchronize: false })
@Index('ix__events__q_name', { synchronize: false })
export class Event extends TenantEntity {
  @TextColumn()
  name: string;

  @IdColumn({ nullable: true, description: 'The venue it takes place at.' })
  venueId: string | null;

  @DateTimeColumn({ description: 'When the show starts.' })
  startsAt: Date;

  @DateTimeColumn({ nullable: true, description: 'When it ends (not before startsAt).' })
  endsAt: Date | null;

  @DateTimeColumn({ nullable: true, description: 'When the doors open (not after startsAt).' })
  doorsAt: Date | null;

  @EnumColumn(EventStatusEnum)
  status: EventState;

  @IntColumn({ nullable: true, description: 'Most tickets of all tiers together.' })
  capacity: number | null;

  @TextColumn({ description: 'ISO-4217 currency of its money (the company default when not given); its tiers share it.' })
  currency: string;

  @IntColumn({ nullable: true, description: 'Tax included in ticket prices, in basis points (2000 = 20%).' })
  taxRate: number | null;

  /** Artist ids in running order; GraphQL's `lineup` resolves them to the artists (a relation). */
  @Column('uuid', { array: true, default: () => "'{}'" })
  lineup: string[];

  @TextColumn({ nullable: true })
  notes: string | null;
}
