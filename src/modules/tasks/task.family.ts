import { z } from 'zod';
import { graphqlEnum } from '../../core/enums';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { FilterSpec, filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
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

export const Task = defineRecord({
  name: 'Task',
  table: 'tasks',
  description: 'Work someone of the company is to do, perhaps about an event or an offer.',
  fields: {
    title: f.text().required().describe('What is to be done, in a line (at most 200 characters).'),
    description: f.longText().nullable().describe('More about the work (at most 20,000 characters).'),
    status: f
      .enumOf(TASK_STATES, TaskStatusEnum)
      .readOnly()
      .describe('Where the task is: `todo` when created, then moved only by its actions (start, complete, cancel, reopen).'),
    priority: f.enumOf(TASK_PRIORITIES, TaskPriorityEnum).describe('How urgent it is; `normal` when not given on create.'),
    dueAt: f.dateTime().nullable().describe('When it is due; an open task past it is overdue. Null: no date.'),
    assigneeId: f
      .text()
      .nullable()
      .describe('Who is to do it: an Auth user id (token `sub`), opaque to Base; they are told unless they assign it to themselves.'),
    eventId: f
      .id()
      .nullable()
      .references(() => Event)
      .describe('The event it is about, one of the company; null when none.'),
    offerId: f
      .id()
      .nullable()
      .references(() => Offer)
      .describe('The offer it is about, one of the company; null when none.'),
  },
  indexes: [
    // Partial: "my open tasks" (the migration's alone).
    'ix__tasks__assignee_open',
    // A list's order and filters (migrations/1764001960000-ListIndexes.ts).
    'ix__tasks__list',
    'ix__tasks__list_assignee',
    'ix__tasks__list_status',
    'ix__tasks__list_priority',
    'ix__tasks__list_event',
    'ix__tasks__list_offer',
    'ix__tasks__list_due',
    'ix__tasks__q_title',
    'ix__tasks__q_description',
  ],
});
export type Task = RecordOf<typeof Task>;

const assigneeValue = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');

/** `assignee=me` is the caller (the token's `sub`); any other value is an Auth user id. */
const assigneeFilter: FilterSpec<string> = {
  index: { equals: 'assigneeId' },
  schema: assigneeValue,
  graphql: () => String,
  description: 'Tasks assigned to this Auth user id; `me` is the caller.',
  apply: (qb, a, value, ctx) => void qb.andWhere(`${a}.assigneeId = :taskAssignee`, { taskAssignee: value === 'me' ? ctx.userId : value }),
};

const dueBefore: FilterSpec<Date> = {
  index: { range: 'dueAt' },
  schema: f.dateTime().schema,
  graphql: f.dateTime().graphql,
  description: 'Tasks due before this moment.',
  apply: (qb, a, value) => void qb.andWhere(`${a}.dueAt < :taskDueBefore`, { taskDueBefore: value }),
};

const open = OPEN_TASK_STATES.map((s) => `'${s}'`).join(', ');

export const taskFamily = defineFamily({
  entity: Task,
  resource: 'task',
  singular: 'task',
  plural: 'tasks',
  description: 'Tasks of the company: who is to do what by when, perhaps about an event or an offer.',
  filters: {
    q: filters.search(['title', 'description'], 'Text contained in the title or description'),
    assignee: assigneeFilter,
    status: filters.equals('status', f.enumOf(TASK_STATES, TaskStatusEnum), { description: 'Tasks in this status' }),
    priority: filters.equals('priority', f.enumOf(TASK_PRIORITIES, TaskPriorityEnum), { description: 'Tasks of this priority' }),
    eventId: filters.equals('eventId', f.id(), { description: 'Tasks about this event' }),
    offerId: filters.equals('offerId', f.id(), { description: 'Tasks about this offer' }),
    dueBefore,
    overdue: filters.flag('Open tasks (to do or in progress) whose dueAt has passed; false: every other task.', (a, ctx) => ({
      sql: `${a}.status IN (${open}) AND ${a}.dueAt < :taskOverdueNow`,
      params: { taskOverdueNow: ctx.now },
    })),
  },
  order: (qb, a) => qb.orderBy(`${a}.title`, 'ASC'),
  userFields: { assigneeId: 'assignee' },
  states: { field: 'status', states: TASK_STATES, initial: 'todo' },
  events: { assigned: 'The task became someone else\'s: created for them or handed over (taking a task yourself is not one).' },
  actions: {
    start: {
      permission: 'edit',
      description: 'Begin the work.',
      from: ['todo'],
      to: 'in_progress',
      run: async () => {},
    },
    complete: {
      permission: 'edit',
      description: 'The work is done.',
      from: ['todo', 'in_progress'],
      to: 'done',
      run: async () => {},
    },
    cancel: {
      permission: 'edit',
      description: 'The work is no longer needed.',
      from: ['todo', 'in_progress'],
      to: 'cancelled',
      run: async () => {},
    },
    reopen: {
      permission: 'edit',
      description: 'Back to do: a done or cancelled task is open again.',
      from: ['done', 'cancelled'],
      to: 'todo',
      run: async () => {},
    },
  },
});
