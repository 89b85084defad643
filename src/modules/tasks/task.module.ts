import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { FamilyModule } from '../../core/module';
import { belongsTo, hasMany } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Event } from '../events';
import { Offer } from '../offers';
import { Task, taskFamily } from './task.family';
import { TASK_ASSIGNED, taskService } from './task.service';

const text = (v: unknown) => (typeof v === 'string' ? v : null);

/** The tasks of one event or offer: soonest due first, undated last. */
const byDue = (qb: SelectQueryBuilder<ObjectLiteral>, a: string) => qb.orderBy(`${a}.dueAt`, 'ASC', 'NULLS LAST').addOrderBy(`${a}.title`, 'ASC');

export const taskModule: FamilyModule<Task> = {
  family: taskFamily,
  service: taskService,
  notices: {
    // The new assignee, unless they took it themselves (see TaskService).
    [TASK_ASSIGNED]: { title: 'A task was assigned to you', body: (e) => text(e.payload.title) },
  },
  relations: [
    belongsTo({ source: Task, field: 'event', target: Event, key: 'eventId', requirement: permission('event', 'view'), description: 'The event it is about.' }),
    belongsTo({ source: Task, field: 'offer', target: Offer, key: 'offerId', requirement: permission('offer', 'view'), description: 'The offer it is about.' }),
    hasMany({
      source: Event,
      field: 'tasks',
      target: Task,
      foreignKey: 'eventId',
      requirement: permission('task', 'view'),
      order: byDue,
      description: 'Tasks about this event, soonest due first.',
    }),
    hasMany({
      source: Offer,
      field: 'tasks',
      target: Task,
      foreignKey: 'offerId',
      requirement: permission('task', 'view'),
      order: byDue,
      description: 'Tasks about this offer, soonest due first.',
    }),
  ],
};
