import { Check, Entity, ForeignKey, Index, Unique } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../../core/enums';
import { TenantEntity } from '../../db/base-entity';
import { DateTimeColumn, EnumColumn, IdColumn, TextColumn } from '../../db/columns';
import { Event } from '../events';
import { Offer } from '../offers';

export const TASK_STATES = ['todo', 'in_progress', 'done', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];
export const TaskStatusEnum = graphqlEnum('TaskStatus', TASK_STATES, 'Where a task is: to do, in progress, done or cancelled.');
/** The states in which a task is still open: only these can be overdue. */
export const OPEN_TASK_STATES: readonly TaskState[] = ['todo', 'in_progress'];

export const TASK_PRIORITIES = ['low', 'normal', 'high'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export const TaskPriorityEnum = graphqlEnum('TaskPriority', TASK_PRIORITIES, 'How urgent a task is.');

@Directive('@key(fields: "id")')
@ObjectType({ description: 'Work someone of the company is to do, perhaps about an event or an offer.' })
@Entity('tasks')
@Unique('uq__tasks__company_id_id', ['companyId', 'id'])
@ForeignKey(() => Event, ['companyId', 'eventId'], ['companyId', 'id'], { name: 'fk__tasks__event_id', onDelete: 'NO ACTION' })
@ForeignKey(() => Offer, ['companyId', 'offerId'], ['companyId', 'id'], { name: 'fk__tasks__offer_id', onDelete: 'NO ACTION' })
@Check('ck__tasks__status', `status IN (${TASK_STATES.map((s) => `'${s}'`).join(', ')})`)
@Check('ck__tasks__priority', `priority IN (${TASK_PRIORITIES.map((s) => `'${s}'`).join(', ')})`)
// Partial indexes (the foreign keys' lookups, "my open tasks") are the migration's alone.
@Index('ix__tasks__assignee_open', { synchronize: false })
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__tasks__list', { synchronize: false })
@Index('ix__tasks__list_assignee', { synchronize: false })
@Index('ix__tasks__list_status', { synchronize: false })
@Index('ix__tasks__list_priority', { synchronize: false })
@Index('ix__tasks__list_event', { synchronize: false })
@Index('ix__tasks__list_offer', { synchronize: false })
@Index('ix__tasks__list_due', { synchronize: false })
@Index('ix__tasks__q_title', { synchronize: false })
@Index('ix__tasks__q_description', { synchronize: false })
export class Task extends TenantEntity {
  @TextColumn()
  title: string;

  @TextColumn({ nullable: true })
  description: string | null;

  @EnumColumn(TaskStatusEnum)
  status: TaskState;

  @EnumColumn(TaskPriorityEnum)
  priority: TaskPriority;

  @DateTimeColumn({ nullable: true, description: 'When it is due; an open task past it is overdue.' })
  dueAt: Date | null;

  @TextColumn({ nullable: true, description: 'Who is to do it: an Auth user id (token `sub`), opaque to Base.' })
  assigneeId: string | null;

  @IdColumn({ nullable: true, description: 'The event it is about, one of the company.' })
  eventId: string | null;

  @IdColumn({ nullable: true, description: 'The offer it is about, one of the company.' })
  offerId: string | null;
}
