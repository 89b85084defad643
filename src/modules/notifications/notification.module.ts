import type { DomainEvent } from '../../core/events';
import type { FamilyModule } from '../../core/module';
import { recipientsOf } from '../../core/notices';
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

export const notificationModule: FamilyModule<Notification> = {
  family: notificationFamily,
  handlers: { '*': [notify] },
  retention: [
    { maxAgeMs: (config) => config.notifications.maxAgeDays * DAY_MS },
    // Read ones go sooner: the inbox is for what is still to be seen.
    { name: 'remove-read', column: 'read_at', maxAgeMs: (config) => config.notifications.readMaxAgeDays * DAY_MS },
  ],
};
