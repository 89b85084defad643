import { Check, Entity, ForeignKey, Index, Unique } from 'typeorm';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { graphqlEnum } from '../../core/enums';
import { TenantEntity } from '../../db/base-entity';
import { DateTimeColumn, EnumColumn, IdColumn, MoneyColumn, TextColumn } from '../../db/columns';
import { Event } from '../events';
import { Vendor } from '../vendors';

export const EXPENSE_CATEGORIES = ['artist_fee', 'production', 'venue', 'marketing', 'hospitality', 'travel', 'staff', 'other'] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];
export const ExpenseCategoryEnum = graphqlEnum('ExpenseCategory', EXPENSE_CATEGORIES, 'What money of an event went to.');

export const EXPENSE_STATES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type ExpenseState = (typeof EXPENSE_STATES)[number];
export const ExpenseStatusEnum = graphqlEnum('ExpenseStatus', EXPENSE_STATES, 'Where an expense is in its approval.');
/** The states in which an expense may still be edited or deleted. */
export const EDITABLE_EXPENSE_STATES: readonly ExpenseState[] = ['draft', 'rejected'];

@Directive('@key(fields: "id")')
@ObjectType({ description: 'Money an event spends, approved by someone other than who submitted it.' })
@Entity('expenses')
// What the migration creates, so TypeORM's schema diff drafts nothing; partial indexes are the migration's alone.
@Unique('uq__expenses__company_id_id', ['companyId', 'id'])
@ForeignKey(() => Event, ['companyId', 'eventId'], ['companyId', 'id'], { name: 'fk__expenses__event_id', onDelete: 'NO ACTION' })
@ForeignKey(() => Vendor, ['companyId', 'vendorId'], ['companyId', 'id'], { name: 'fk__expenses__vendor_id', onDelete: 'NO ACTION' })
@Check('ck__expenses__category', `category IN (${EXPENSE_CATEGORIES.map((s) => `'${s}'`).join(', ')})`)
@Check('ck__expenses__status', `status IN (${EXPENSE_STATES.map((s) => `'${s}'`).join(', ')})`)
@Check('ck__expenses__amount_not_negative', 'amount >= 0')
@Index('ix__expenses__vendor', { synchronize: false })
@Index('ix__expenses__queue', { synchronize: false })
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__expenses__list', { synchronize: false })
export class Expense extends TenantEntity {
  @IdColumn({ description: 'The event this expense belongs to.' })
  eventId: string;

  @EnumColumn(ExpenseCategoryEnum)
  category: ExpenseCategory;

  @IdColumn({ nullable: true, description: 'The vendor paid, one of the company.' })
  vendorId: string | null;

  @TextColumn()
  description: string;

  @MoneyColumn({ description: 'In minor units of `currency`.' })
  amount: number;

  @TextColumn({ description: "ISO 4217 code; the event's by default." })
  currency: string;

  @DateTimeColumn({ nullable: true, description: 'When it is to be paid.' })
  dueAt: Date | null;

  @EnumColumn(ExpenseStatusEnum)
  status: ExpenseState;

  @TextColumn({ nullable: true, description: 'Who submitted it for approval (an Auth user id).' })
  submittedBy: string | null;

  @DateTimeColumn({ nullable: true, description: 'When it was last submitted; the approval queue is in this order.' })
  submittedAt: Date | null;

  @TextColumn({ nullable: true, description: 'Who approved or rejected it.' })
  decidedBy: string | null;

  @DateTimeColumn({ nullable: true })
  decidedAt: Date | null;

  @TextColumn({ nullable: true, description: 'Why it was rejected (or a note on the approval).' })
  decisionNote: string | null;
}

/** What the approval queue holds in one currency. */
@ObjectType('ApprovalTotal', { description: 'The amount waiting for approval in one currency (never summed across currencies).' })
export class ApprovalTotal {
  @Field()
  currency: string;
  @Field(() => GraphQLSafeInt, { description: 'Σ amounts of the submitted expenses in this currency, minor units.' })
  amount: number;
  @Field(() => Int, { description: 'How many submitted expenses are in this currency.' })
  count: number;
}
