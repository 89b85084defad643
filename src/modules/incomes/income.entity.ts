import { Check, Entity, ForeignKey, Index, Unique } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../../core/enums';
import { TenantEntity } from '../../db/base-entity';
import { DateTimeColumn, EnumColumn, IdColumn, MoneyColumn, TextColumn } from '../../db/columns';
import { Event } from '../events';

export const INCOME_CATEGORIES = ['tickets', 'bar', 'merch', 'sponsorship', 'rental', 'other'] as const;
export type IncomeCategory = (typeof INCOME_CATEGORIES)[number];
export const IncomeCategoryEnum = graphqlEnum('IncomeCategory', INCOME_CATEGORIES, 'Where money of an event came from.');

@Directive('@key(fields: "id")')
@ObjectType({ description: 'Money an event took beyond its ticket tiers (bar, merch, sponsorship, …).' })
@Entity('incomes')
// What the migration creates, so TypeORM's schema diff drafts nothing.
@Unique('uq__incomes__company_id_id', ['companyId', 'id'])
@ForeignKey(() => Event, ['companyId', 'eventId'], ['companyId', 'id'], { name: 'fk__incomes__event_id', onDelete: 'NO ACTION' })
@Check('ck__incomes__category', `category IN (${INCOME_CATEGORIES.map((s) => `'${s}'`).join(', ')})`)
@Check('ck__incomes__amount_not_negative', 'amount >= 0')
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__incomes__list', { synchronize: false })
export class Income extends TenantEntity {
  @IdColumn({ description: 'The event this income belongs to.' })
  eventId: string;

  @EnumColumn(IncomeCategoryEnum)
  category: IncomeCategory;

  @TextColumn()
  description: string;

  @MoneyColumn({ description: 'In minor units of `currency`.' })
  amount: number;

  @TextColumn({ description: "ISO 4217 code; the event's by default." })
  currency: string;

  @DateTimeColumn({ nullable: true, description: 'When the money came in.' })
  receivedAt: Date | null;
}
