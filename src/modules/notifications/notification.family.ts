import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';

/**
 * Something the domain tells one user of the company (their expense approved, their hold moved up),
 * made by the notifications handler (notification.module.ts). Only its recipient ever reads or
 * changes it: the data access sees another user's as absent. `createdBy` is who caused it.
 */
export const Notification = defineRecord({
  name: 'Notification',
  table: 'notifications',
  description: 'Something that happened that concerns you; only ever your own.',
  fields: {
    recipientId: f.text().readOnly().describe('Who it is for: you (an Auth user id, token `sub`).'),
    eventId: f.id().readOnly().describe('The domain event it tells of (an entry of the history of the record it is about).'),
    kind: f
      .text()
      .readOnly()
      .describe(
        'What kind of news: `task.assigned`, `expense.approved`, `expense.rejected`, `avail.challenged`, `avail.released`, `avail.moved-up`, `offer.accepted`, `offer.declined`, `agreement.signed`, `webhook.disabled`.',
      ),
    title: f.text().readOnly().describe('One line saying what happened, for a list of notifications.'),
    body: f.longText().nullable().readOnly().describe("More about it (the task's title, the date to answer a challenge by, a reason); null when the title says all."),
    entityType: f.text().readOnly().describe('The GraphQL type of the record it is about (`Task`, `Expense`, …).'),
    entityId: f.id().readOnly().describe('The record it is about.'),
    readAt: f.dateTime().nullable().readOnly().describe('When you first read it; null while unread (set by `readNotification`).'),
  },
  ownedBy: 'recipientId',
  // Only its recipient reads it: nothing points at (company_id, id).
  referencedById: false,
  // One per event and recipient, however often the event's handlers run.
  unique: { uq__notifications__event_recipient: ['companyId', 'eventId', 'recipientId'] },
  indexes: [
    // The inbox's unread part and the removal of old and of read ones (migration-owned, partial).
    'ix__notifications__unread',
    { name: 'ix__notifications__created_at', columns: ['createdAt'] },
    'ix__notifications__read_at',
    // A list's order and filters (migrations/1764001960000-ListIndexes.ts).
    'ix__notifications__list',
    'ix__notifications__list_kind',
  ],
});
export type Notification = RecordOf<typeof Notification>;

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
