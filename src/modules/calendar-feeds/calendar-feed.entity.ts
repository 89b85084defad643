import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../../core/enums';
import { TenantEntity } from '../../db/base-entity';
import { OwnedBy } from '../../db/owned-by';

export const CALENDAR_FEED_SCOPES = ['company', 'venue', 'artist'] as const;
export type CalendarFeedScope = (typeof CALENDAR_FEED_SCOPES)[number];
export const CalendarFeedScopeEnum = graphqlEnum(
  'CalendarFeedScope',
  CALENDAR_FEED_SCOPES,
  "What a feed covers. company: every event and hold of the company; venue: those at one venue (`scopeId`); artist: the events with the artist in the lineup and the artist's holds (`scopeId`).",
);

export const CALENDAR_FEED_CONTENTS = ['events', 'holds'] as const;
export type CalendarFeedContent = (typeof CALENDAR_FEED_CONTENTS)[number];
export const CalendarFeedContentEnum = graphqlEnum(
  'CalendarFeedContent',
  CALENDAR_FEED_CONTENTS,
  'What a feed includes. events: the events (needs basic.event.view); holds: the standing date holds, with their level (needs basic.avail.view).',
);

/**
 * A calendar feed (iCalendar) of one user, as stored: its URL carries a secret that only its SHA-256
 * is kept of, so the URL is shown once, at creation. Only its creator lists or revokes it
 * (`@OwnedBy`); revoked or expired, its URL answers 404 and the row is removed after a grace period.
 * Not a GraphQL type: `CalendarFeed` shows what may be shown of it (never the hash).
 */
@Entity('calendar_feeds')
@OwnedBy('createdBy')
@Unique('uq__calendar_feeds__company_id_id', ['companyId', 'id'])
@Unique('uq__calendar_feeds__secret_hash', ['secretHash'])
@Check('ck__calendar_feeds__scope', "scope IN ('company', 'venue', 'artist')")
@Check('ck__calendar_feeds__scope_id', "(scope = 'company') = (scope_id IS NULL)")
@Check('ck__calendar_feeds__include', "cardinality(include) > 0 AND include <@ ARRAY['events', 'holds']::text[]")
// The caller's feeds, newest first; the removal of revoked and expired ones (the migration's indexes).
@Index('ix__calendar_feeds__list', { synchronize: false })
@Index('ix__calendar_feeds__revoked_at', { synchronize: false })
@Index('ix__calendar_feeds__expires_at', { synchronize: false })
export class CalendarFeedRow extends TenantEntity {
  /** SHA-256 of the URL's secret: the URL is looked up by it, and cannot be made again from it. */
  @Column('bytea')
  secretHash: Buffer;

  @Column('text')
  scope: CalendarFeedScope;

  @Column('uuid', { nullable: true })
  scopeId: string | null;

  @Column('text', { array: true })
  include: CalendarFeedContent[];

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}

@ObjectType({ description: 'A calendar feed (iCalendar, RFC 5545) of yours, for a calendar app to subscribe to.' })
export class CalendarFeed {
  @Field(() => ID, { description: "The feed's id (a UUID)." })
  id: string;

  @Field(() => CalendarFeedScopeEnum, { description: 'What it covers: the whole company, one venue or one artist.' })
  scope: CalendarFeedScope;

  @Field(() => ID, { nullable: true, description: 'The venue or artist it covers; null for the whole company.' })
  scopeId: string | null;

  @Field(() => [CalendarFeedContentEnum], { description: 'What it includes: events, holds, or both.' })
  include: CalendarFeedContent[];

  @Field(() => GraphQLISODateTime, { description: 'When it was made.' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { description: 'When its URL stops answering (CALENDAR_FEED_DAYS after it was made).' })
  expiresAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was revoked; its URL answers 404 from then on. Null while it is not.' })
  revokedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'The address to subscribe to (`…/calendar/<secret>.ics`): given once, in the answer of `createCalendarFeed`; null everywhere else.',
  })
  url: string | null;

  static of(row: CalendarFeedRow, url: string | null = null): CalendarFeed {
    return Object.assign(new CalendarFeed(), {
      id: row.id,
      scope: row.scope,
      scopeId: row.scopeId,
      include: row.include,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      revokedAt: row.revokedAt,
      url,
    });
  }
}
