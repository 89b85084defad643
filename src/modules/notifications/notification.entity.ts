import { Entity, Index, Unique } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base-entity';
import { DateTimeColumn, IdColumn, TextColumn } from '../../db/columns';
import { OwnedBy } from '../../db/owned-by';

/**
 * Something the domain tells one user of the company (their expense approved, their hold moved up).
 * Only its recipient ever reads or changes it: the data access sees another user's as absent.
 * `createdBy` is who caused it.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'Something that happened that concerns you; only ever your own.' })
@Entity('notifications')
@OwnedBy('recipientId')
// One per event and recipient, however often the event's handlers run.
@Unique('uq__notifications__event_recipient', ['companyId', 'eventId', 'recipientId'])
// The inbox newest first, its unread part, and the removal of old ones: the migration's alone.
@Index('ix__notifications__unread', { synchronize: false })
@Index('ix__notifications__created_at', ['createdAt'])
@Index('ix__notifications__read_at', { synchronize: false })
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__notifications__list', { synchronize: false })
@Index('ix__notifications__list_kind', { synchronize: false })
export class Notification extends TenantEntity {
  @TextColumn({ description: 'Who it is for: you (an Auth user id).' })
  recipientId: string;

  @IdColumn({ description: 'The domain event it tells of.' })
  eventId: string;

  @TextColumn({ description: 'What kind of news: `task.assigned`, `expense.approved`, `expense.rejected`, `avail.challenged`, `avail.released`, `avail.moved-up`, `offer.accepted`, `offer.declined`, `agreement.signed`.' })
  kind: string;

  @TextColumn()
  title: string;

  @TextColumn({ nullable: true })
  body: string | null;

  @TextColumn({ description: 'The GraphQL type of the record it is about.' })
  entityType: string;

  @IdColumn({ description: 'The record it is about.' })
  entityId: string;

  @DateTimeColumn({ nullable: true, description: 'When you read it; null while unread.' })
  readAt: Date | null;
}
