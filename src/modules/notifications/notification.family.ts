import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { filters } from '../../core/listing';
import { Notification } from './notification.entity';

/**
 * Your notifications: only the caller's own (the entity is `@OwnedBy` its recipient, so every read
 * and change finds nobody else's), made by the domain, never by a caller. No history: a notification
 * is one user's, and a history is read by record id.
 */
export const notificationFamily = defineFamily({
  entity: Notification,
  resource: 'notification',
  singular: 'notification',
  plural: 'notifications',
  description: 'Your notifications, newest first.',
  operations: ['list', 'one'],
  history: false,
  fields: {},
  userFields: { recipientId: 'recipient' },
  filters: {
    unread: filters.flag('Notifications you have not read; false: those you have.', (a) => ({ sql: `${a}.readAt IS NULL` })),
    kind: filters.equals('kind', f.text(), { description: 'Notifications of this kind' }),
  },
  order: (qb, a) => qb.orderBy(`${a}.createdAt`, 'DESC'),
  actions: {
    read: {
      permission: 'view',
      method: 'PUT',
      description: 'Mark it read (again: it keeps when you first read it).',
      run: async (notification, _input, tx) => (notification.readAt ? {} : { readAt: tx.now() }),
    },
  },
  commands: {
    'read-all': {
      permission: 'view',
      description: 'Mark every unread notification of yours read.',
      run: (_input, tx) => tx.repo(Notification).updateAll({ readAt: tx.now() }, { sql: 'read_at IS NULL', params: {} }),
    },
  },
  queries: {
    'unread-count': {
      permission: 'view',
      graphqlName: 'unreadNotificationCount',
      description: 'How many of your notifications are unread.',
      input: {},
      count: (_input, scope) => scope.repo(Notification).count((qb, a) => void qb.andWhere(`${a}.readAt IS NULL`)),
    },
  },
});
