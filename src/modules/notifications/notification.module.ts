import type { DomainEvent } from '../../core/events';
import type { FamilyModule } from '../../core/module';
import { recipientsOf } from '../../core/notices';
import { defineSubscription } from '../../core/subscriptions';
import type { TenantScope } from '../../db/tenant-scope';
import { Notification, notificationFamily } from './notification.family';

const DAY_MS = 86_400_000;

/**
 * Any event whose family declares a notice becomes one notification per user it affects, never for
 * whoever caused it, in the transaction that recorded it: the change and its notifications commit or
 * roll back together, and a repeated run adds nothing (one per event and recipient).
 */
async function notify(event: DomainEvent, tx: TenantScope): Promise<void> {
  const notice = tx.composition.noticeOf(event.type);
  if (!notice) return;
  const body = notice.body?.(event) ?? null;
  for (const recipientId of recipientsOf(event)) {
    await tx.repo(Notification).insertIfAbsent({
      eventId: event.id,
      recipientId,
      kind: event.type,
      title: notice.title,
      body,
      entityType: event.entityType,
      entityId: event.entityId,
    });
  }
}

/**
 * Each notification of yours as it is made: the change that made it names you among the users it
 * concerns, and the notification is read in your scope (only ever your own).
 */
const notificationAdded = defineSubscription<Notification>({
  name: 'notificationAdded',
  description: 'Each of your notifications as it is made (only ever your own).',
  permission: notificationFamily.can.view,
  returns: () => Notification,
  concerns: (change, _input, access) => change.recipients === null || change.recipients.includes(access.userId),
  async value(change, _input, scope) {
    const [made] = await scope.repo(Notification).find((qb, a) => void qb.andWhere(`${a}.eventId = :madeBy`, { madeBy: change.eventId }));
    return made ?? null;
  },
});

export const notificationModule: FamilyModule<Notification> = {
  family: notificationFamily,
  handlers: { '*': [notify] },
  subscriptions: [notificationAdded],
  retention: [
    { maxAgeMs: (config) => config.notifications.maxAgeDays * DAY_MS },
    // Read ones go sooner: the inbox is for what is still to be seen.
    { name: 'remove-read', column: 'read_at', maxAgeMs: (config) => config.notifications.readMaxAgeDays * DAY_MS },
  ],
};
