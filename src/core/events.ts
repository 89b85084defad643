import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Directive, Field, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { TenantScope } from '../db/tenant-scope';
import type { EventType } from './event-types';
import { recipientsOf } from './notices';

/**
 * Domain events: inside a write's transaction a service records what happened. Handlers that must
 * not be lost (a notification row, an outbox job) run in that same transaction, so the change and its
 * consequences commit or roll back together. The table is also the history of every record.
 */
// An entity: another subgraph may point at an entry (an audit trail) and read it here by id.
@Directive('@key(fields: "id")')
@ObjectType('HistoryEntry', { description: 'One thing that happened to a record: who did it, when, and what changed.' })
@Entity('domain_events')
// A record's history, newest first (the migration's DESC ordering is not expressible here).
@Index('ix__domain_events__entity', { synchronize: false })
export class DomainEvent {
  @Field(() => ID, { description: 'The entry\'s id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  companyId: string;

  @Field({ description: '`<family>.<past participle>`: `agency.created`, `agency.updated`, `expense.approved`, `avail.moved-up`, …' })
  @Column('text')
  type: string;

  @Field({ description: 'The GraphQL type of the record.' })
  @Column('text')
  entityType: string;

  @Field(() => ID, { description: 'The id of the record.' })
  @Column('uuid')
  entityId: string;

  @Field({ description: 'The Auth user id (token `sub`) who caused it.' })
  @Column('text')
  actorId: string;

  @Field(() => Int, { nullable: true, description: "The record's version after the change (none after a delete)." })
  @Column('int', { nullable: true })
  version: number | null;

  @Field(() => GraphQLJSONObject, { description: 'What changed: the fields written, the state moved from and to, an action input.' })
  @Column('jsonb', { default: () => "'{}'" })
  payload: Record<string, unknown>;

  @Field(() => GraphQLISODateTime, { description: 'When it happened.' })
  // Part of the key: the table is partitioned by month of it (history is retained by the month).
  @CreateDateColumn({ type: 'timestamptz', primary: true })
  occurredAt: Date;

  /** REST answers carry the same fields as GraphQL: the company is the caller's x-org. */
  toJSON(): Record<string, unknown> {
    const { companyId: _companyId, ...fields } = this as unknown as Record<string, unknown>;
    return fields;
  }
}

export interface NewEvent {
  type: EventType;
  entityType: string;
  entityId: string;
  version?: number | null;
  payload?: Record<string, unknown>;
}

/** Runs inside the transaction that recorded the event; throwing rolls the whole change back. */
export type EventHandler = (event: DomainEvent, tx: TenantScope) => Promise<void>;

/** Event type (or `*` for every event) → handlers; a type no module declares stops the start-up (see Composition). */
export type EventHandlers = { [T in EventType | '*']?: EventHandler[] };

/** Record an event in the caller's transaction and run its handlers there. */
export async function recordEvent(tx: TenantScope, event: NewEvent): Promise<DomainEvent> {
  if (!tx.inTransaction) throw new Error('recordEvent() needs the transaction of the change');
  const stored = await tx.repo(DomainEvent).insert({
    type: event.type,
    entityType: event.entityType,
    entityId: event.entityId,
    actorId: tx.userId,
    version: event.version ?? null,
    payload: event.payload ?? {},
  });
  for (const handler of tx.composition.handlersOf(event.type)) await handler(stored, tx);
  // Subscribers on every instance hear of it when the transaction commits (ids only; see db/change-feed.ts).
  await tx.announce({
    type: stored.type,
    entityType: stored.entityType,
    entityId: stored.entityId,
    eventId: stored.id,
    recipients: tx.composition.noticeOf(stored.type) ? recipientsOf(stored) : [],
  });
  return stored;
}

const SHORT = 500;

/** What a history entry keeps of written values: short values whole, long text by its length. */
export function summarize(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([k, v]) => v !== undefined && !['id', 'companyId', 'createdAt', 'updatedAt', 'createdBy', 'version'].includes(k))
      .map(([k, v]) => {
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        return [k, text !== undefined && text.length > SHORT ? { omitted: `${text.length} characters` } : v];
      }),
  );
}
