import ical, { ICalEventStatus } from 'ical-generator';
import type { Config } from '../../config';
import { sha256 } from '../../core/documents';
import type { Caller } from '../../core/caller';
import { Setting } from '../../core/composition';
import type { OutgoingContent } from '../../core/family';
import type { Page, PageRequest } from '../../db/page';
import { linkSecretHash, newLinkSecret } from '../../db/secret-links';
import type { TenantScope } from '../../db/tenant-scope';
import type { Permission } from '../../permissions/catalog';
import { ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../../shared/errors';
import { Artist } from '../artists';
import { Avail, standingSql } from '../avails';
import { companyService } from '../company';
import { Event } from '../events';
import { Venue } from '../venues';
import { CalendarFeed, CalendarFeedRow, type CalendarFeedContent, type CalendarFeedScope } from './calendar-feed.entity';

const DAY_MS = 86_400_000;
/** What a feed shows: from this many days back… */
export const WINDOW_PAST_DAYS = 90;
/** …to this many days ahead… */
export const WINDOW_AHEAD_DAYS = 730;
/** …and at most this many events and this many holds, the soonest first. */
export const MAX_ENTRIES = 1000;
/** A revoked or expired feed is removed this long after (a grace for a look at what was shared). */
export const REMOVAL_GRACE_DAYS = 30;
const HOUR_SECONDS = 3600;

/** The view permission each content needs. */
const NEEDS: Record<CalendarFeedContent, Permission> = { events: 'basic.event.view', holds: 'basic.avail.view' };

export interface CreateCalendarFeed {
  scope: CalendarFeedScope;
  scopeId?: string | null;
  include: CalendarFeedContent[];
}

/** How long a feed lives, how often it may be read, and the public address its URLs start with. */
export interface CalendarFeedSettings {
  days: number;
  readsPerHour: number;
  baseUrl: string;
}

export const CALENDAR_FEED_SETTINGS = new Setting<CalendarFeedSettings>('calendarFeeds');

export const calendarFeedSettings = (config: Config): CalendarFeedSettings => ({
  days: config.calendarFeeds.days,
  readsPerHour: config.calendarFeeds.readsPerHour,
  baseUrl: config.baseUrl,
});

/**
 * Calendar feeds: a user's subscription URLs (created, listed, revoked: only ever their own) and
 * the iCalendar document a URL answers, read in the feed's company as its owner.
 */
class CalendarFeedService {

  /** A new feed; its URL (with the secret) is in this answer only. */
  async create(input: CreateCalendarFeed, scope: TenantScope, caller: Caller): Promise<CalendarFeed> {
    const missing = input.include.map((content) => NEEDS[content]).filter((p) => !caller.can(p));
    if (missing.length) throw new ForbiddenError(`Missing permission ${missing.join(', ')}`);
    const scopeId = input.scopeId ?? null;
    if (input.scope === 'company' && scopeId !== null) throw ValidationError.field('scopeId', 'must not be given for the company scope');
    if (input.scope !== 'company') {
      if (scopeId === null) throw ValidationError.field('scopeId', `is required for the ${input.scope} scope: the ${input.scope}'s id`);
      const covered = await scope.repo(input.scope === 'venue' ? Venue : Artist).findById(scopeId);
      if (!covered) throw new NotFoundError(input.scope === 'venue' ? 'Venue' : 'Artist');
    }
    const settings = CALENDAR_FEED_SETTINGS.of(scope);
    const secret = newLinkSecret();
    const feed = await scope.repo(CalendarFeedRow).insert({
      secretHash: linkSecretHash(secret)!,
      scope: input.scope,
      scopeId,
      include: input.include,
      expiresAt: new Date(scope.now().getTime() + settings.days * DAY_MS),
      revokedAt: null,
    });
    return CalendarFeed.of(feed, `${settings.baseUrl}/calendar/${secret}.ics`);
  }

  /** The caller's feeds (revoked and expired ones too, until removed), newest first. */
  async list(scope: TenantScope, paging: PageRequest): Promise<Page<CalendarFeed>> {
    const page = await scope.repo(CalendarFeedRow).page(paging, (qb, a) => qb.orderBy(`${a}.createdAt`, 'DESC').addOrderBy(`${a}.id`, 'DESC'));
    return { ...page, items: page.items.map((row) => CalendarFeed.of(row)) };
  }

  /** Its URL answers 404 from now on; a feed already revoked, or another user's, is 404. */
  async revoke(id: string, scope: TenantScope): Promise<void> {
    await scope.transaction(async (tx) => {
      const feed = await tx.repo(CalendarFeedRow).lock(id, 'Calendar feed');
      if (feed.revokedAt) throw new NotFoundError('Calendar feed');
      await tx.repo(CalendarFeedRow).update(feed.id, { revokedAt: tx.now() });
    });
  }

  /**
   * The iCalendar document of the feed whose secret hashes to `secretHash`, in its company, as its
   * owner. Revoked or expired is 404; past its reads of the hour, 429.
   */
  async calendar(secretHash: Buffer, scope: TenantScope): Promise<OutgoingContent> {
    const [feed] = await scope.repo(CalendarFeedRow).find((qb, a) => void qb.andWhere(`${a}.secretHash = :secretHash`, { secretHash }));
    const now = scope.now();
    if (!feed || feed.revokedAt || feed.expiresAt <= now) throw new NotFoundError('Calendar feed');
    const { readsPerHour } = CALENDAR_FEED_SETTINGS.of(scope);
    const { count, resetsAt } = await scope.countCall(`calendar-feed:${feed.id}`, HOUR_SECONDS);
    if (count > readsPerHour) {
      const retryAfter = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
      throw new RateLimitedError(`This feed was read ${readsPerHour} times this hour; try again in ${retryAfter} s`, retryAfter);
    }
    const from = new Date(now.getTime() - WINDOW_PAST_DAYS * DAY_MS);
    const to = new Date(now.getTime() + WINDOW_AHEAD_DAYS * DAY_MS);
    const company = await companyService.current(scope);
    const calendar = ical({ name: company.displayName ?? company.legalName ?? 'Kisum', prodId: { company: 'Kisum', product: 'Base', language: 'EN' } });
    if (feed.include.includes('events')) await this.addEvents(calendar, feed, scope, from, to, company.timezone);
    if (feed.include.includes('holds')) await this.addHolds(calendar, feed, scope, from, to);
    const bytes = Buffer.from(calendar.toString(), 'utf8');
    return {
      name: 'calendar.ics',
      contentType: 'text/calendar; charset=utf-8',
      size: bytes.length,
      etag: sha256(bytes),
      async *read(start: number, end: number) {
        yield bytes.subarray(start, end + 1);
      },
    };
  }

  /** Events starting in the window (by `(company_id, starts_at)`, or the venue's or lineup's index), at their venue's time. */
  private async addEvents(calendar: ReturnType<typeof ical>, feed: CalendarFeedRow, scope: TenantScope, from: Date, to: Date, companyZone: string) {
    const events = await scope.repo(Event).find((qb, a) => {
      qb.andWhere(`${a}.startsAt >= :from AND ${a}.startsAt < :to`, { from, to });
      if (feed.scope === 'venue') qb.andWhere(`${a}.venueId = :scopeId`, { scopeId: feed.scopeId });
      if (feed.scope === 'artist') qb.andWhere(`${a}.lineup @> ARRAY[:scopeId]::uuid[]`, { scopeId: feed.scopeId });
      qb.orderBy(`${a}.startsAt`, 'ASC').addOrderBy(`${a}.id`, 'ASC').limit(MAX_ENTRIES);
    });
    const venueIds = [...new Set(events.flatMap((e) => (e.venueId ? [e.venueId] : [])))];
    const venues = new Map((await scope.byId(Venue).loadMany(venueIds)).flatMap((v) => (v && !(v instanceof Error) ? [[v.id, v] as const] : [])));
    for (const event of events) {
      const venue = event.venueId ? venues.get(event.venueId) : undefined;
      const zone = venue?.timezone ?? companyZone;
      calendar.createEvent({
        id: `event-${event.id}@kisum-base`,
        summary: event.name,
        location: venue?.name ?? null,
        start: wallClock(event.startsAt, zone),
        end: wallClock(event.endsAt ?? event.startsAt, zone),
        timezone: zone,
        status: event.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
        // The record's last change: a calendar app replaces the entry of this UID when it moves on.
        stamp: event.updatedAt,
        lastModified: event.updatedAt,
        created: event.createdAt,
        sequence: event.version - 1,
      });
    }
  }

  /** Holds standing now on days of the window (by `(company_id, date)` or the venue's or artist's slot index), as all-day entries. */
  private async addHolds(calendar: ReturnType<typeof ical>, feed: CalendarFeedRow, scope: TenantScope, from: Date, to: Date) {
    const holds = await scope.repo(Avail).find((qb, a) => {
      qb.andWhere(`${a}.date >= :fromDay AND ${a}.date < :toDay`, { fromDay: day(from), toDay: day(to) });
      qb.andWhere(standingSql(a));
      if (feed.scope === 'venue') qb.andWhere(`${a}.venueId = :scopeId`, { scopeId: feed.scopeId });
      if (feed.scope === 'artist') qb.andWhere(`${a}.artistId = :scopeId`, { scopeId: feed.scopeId });
      qb.orderBy(`${a}.date`, 'ASC').addOrderBy(`${a}.holdLevel`, 'ASC').addOrderBy(`${a}.id`, 'ASC').limit(MAX_ENTRIES);
    });
    const artistIds = [...new Set(holds.flatMap((h) => (h.artistId ? [h.artistId] : [])))];
    const venueIds = [...new Set(holds.flatMap((h) => (h.venueId ? [h.venueId] : [])))];
    const [artists, venues] = await scope.all([() => scope.byId(Artist).loadMany(artistIds), () => scope.byId(Venue).loadMany(venueIds)] as const);
    const names = new Map<string, string>([...artists, ...venues].flatMap((r) => (r && !(r instanceof Error) ? [[r.id, r.name] as [string, string]] : [])));
    for (const hold of holds) {
      const what = [hold.artistId && names.get(hold.artistId), hold.venueId && names.get(hold.venueId)].filter(Boolean).join(' @ ');
      calendar.createEvent({
        id: `hold-${hold.id}@kisum-base`,
        summary: `Hold ${hold.holdLevel}${hold.status === 'challenged' ? ' (challenged)' : ''}: ${what || 'date hold'}`,
        location: hold.stage ?? null,
        start: new Date(`${hold.date}T00:00:00Z`),
        allDay: true,
        status: ICalEventStatus.TENTATIVE,
        stamp: hold.updatedAt,
        lastModified: hold.updatedAt,
        created: hold.createdAt,
        sequence: hold.version - 1,
      });
    }
  }
}

const day = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * `at` as the wall-clock time of `zone`, carried in a Date's UTC fields: ical-generator writes a
 * plain Date's UTC fields after `TZID=<zone>` (it converts only zone-aware date objects, which
 * would need a date library), so this is the time it must write.
 */
function wallClock(at: Date, zone: string): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  );
  return new Date(Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second));
}

export const calendarFeeds = new CalendarFeedService();
