import { z } from 'zod';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { FilterSpec, filters } from '../../core/listing';
import { OPEN_TASK_STATES, Task, TASK_PRIORITIES, TASK_STATES, TaskPriorityEnum, TaskStatusEnum } from './task.entity';

const assigneeValue = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');

/** `assignee=me` is the caller (the token's `sub`); any other value is an Auth user id. */
const assigneeFilter: FilterSpec<string> = {
  index: { equals: 'assigneeId' },
  schema: assigneeValue,
  query: assigneeValue,
  graphql: () => String,
  description: 'Tasks assigned to this Auth user id; `me` is the caller.',
  apply: (qb, a, value, ctx) => void qb.andWhere(`${a}.assigneeId = :taskAssignee`, { taskAssignee: value === 'me' ? ctx.userId : value }),
};

const dueBefore: FilterSpec<Date> = {
  index: { range: 'dueAt' },
  schema: f.dateTime().schema,
  query: f.dateTime().schema,
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
  fields: {
    title: f.text().required(),
    description: f.longText().nullable(),
    priority: f.enumOf(TASK_PRIORITIES, TaskPriorityEnum).describe('Absent: normal.'),
    dueAt: f.dateTime().nullable().describe('When it is due.'),
    assigneeId: f.text().nullable().describe('Who is to do it (an Auth user id); they are told unless they assign it to themselves.'),
    eventId: f.id().nullable().describe('The event it is about, one of the company.'),
    offerId: f.id().nullable().describe('The offer it is about, one of the company.'),
  },
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
