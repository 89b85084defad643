import { defineProcedure } from '../../core/procedure';
import { f } from '../../core/fields';
import type { ServiceModule } from '../../core/module';
import {
  CALENDAR_FEED_CONTENTS,
  CALENDAR_FEED_SCOPES,
  CalendarFeed,
  CalendarFeedContentEnum,
  CalendarFeedRow,
  CalendarFeedScopeEnum,
} from './calendar-feed.entity';
import { CALENDAR_FEED_SETTINGS, calendarFeedSettings, calendarFeeds, CreateCalendarFeed, MAX_ENTRIES, REMOVAL_GRACE_DAYS, WINDOW_AHEAD_DAYS, WINDOW_PAST_DAYS } from './calendar-feed.service';

const DAY_MS = 86_400_000;
const WINDOW = `events starting, and holds standing now on days, from ${WINDOW_PAST_DAYS} days back to ${WINDOW_AHEAD_DAYS} days ahead, at most ${MAX_ENTRIES} of each (the soonest)`;

/**
 * Calendar feeds (iCalendar, RFC 5545) for the calendar apps people already use: a user makes a
 * subscription URL for the company, a venue or an artist, with events, holds or both; the URL
 * answers without a token, and only its creator lists or revokes it. No permission of its own:
 * making one needs the view permission of what it includes.
 */
export const calendarFeedModule: ServiceModule = {
  name: 'calendarFeeds',
  entities: [CalendarFeedRow],
  configure: (config) => CALENDAR_FEED_SETTINGS.is(calendarFeedSettings(config)),
  procedures: [
    defineProcedure<CalendarFeed>({
      name: 'calendarFeeds',
      kind: 'query',
      description: 'Your calendar feeds, newest first (revoked and expired ones too, until they are removed); never their URLs, which are shown once.',
      permission: 'member',
      rest: { method: 'GET', path: '/calendar-feeds' },
      returns: () => CalendarFeed,
      page: (_input, scope, paging) => calendarFeeds.list(scope, paging),
    }),
    defineProcedure<CalendarFeed>({
      name: 'createCalendarFeed',
      kind: 'mutation',
      description:
        `Make a calendar feed: an iCalendar URL (\`GET /calendar/<secret>.ics\`, no token) of ${WINDOW}. ` +
        'The URL is in this answer only (its secret is kept hashed); it answers for CALENDAR_FEED_DAYS days. ' +
        'Needs the view permission of what it includes (events: basic.event.view; holds: basic.avail.view), and a venue or artist of the company for those scopes.',
      permission: 'member',
      rest: { method: 'POST', path: '/calendar-feeds', status: 201 },
      input: {
        scope: f.enumOf(CALENDAR_FEED_SCOPES, CalendarFeedScopeEnum).required().describe('What it covers: company, venue or artist.'),
        scopeId: f.id().nullable().describe('The venue or artist it covers (required for those scopes; not given for the company).'),
        include: f.enumList(CALENDAR_FEED_CONTENTS, CalendarFeedContentEnum).required().describe('What it includes: events, holds, or both.'),
      },
      errors: ['NOT_FOUND'],
      returns: () => CalendarFeed,
      run: (input, scope, access) => calendarFeeds.create(input as unknown as CreateCalendarFeed, scope, access),
    }),
    defineProcedure<CalendarFeed>({
      name: 'revokeCalendarFeed',
      kind: 'mutation',
      description: 'Revoke one of your calendar feeds: its URL answers 404 from now on.',
      permission: 'member',
      rest: { method: 'DELETE', path: '/calendar-feeds/:id' },
      input: { id: f.id().required().describe("The feed's id.") },
      returns: () => CalendarFeed,
      run: async (input, scope) => {
        await calendarFeeds.revoke(String(input.id), scope);
        return null;
      },
    }),
  ],
  links: [
    {
      kind: 'calendarFeed',
      path: '/calendar/:secret.ics',
      operationId: 'getCalendarFeedIcs',
      description:
        `A calendar feed as iCalendar (RFC 5545), for a calendar app to subscribe to: ${WINDOW}, of the feed's company only, narrowed to its scope and what it includes. ` +
        "One VEVENT per event (at its venue's time zone, else the company's) and per standing hold (all day, its level in the summary); each UID stays the same across changes, LAST-MODIFIED tells them. " +
        'Needs no token: the secret in the path is the key. A revoked, expired or unknown feed is 404; past CALENDAR_FEED_RATE_LIMIT reads of one feed in the hour, 429.',
      mediaType: 'text/calendar',
      errors: ['RATE_LIMITED'],
      serve: (secretHash, scope) => calendarFeeds.calendar(secretHash, scope),
    },
  ],
  retention: [
    { entity: CalendarFeedRow, name: 'remove-revoked', column: 'revoked_at', maxAgeMs: () => REMOVAL_GRACE_DAYS * DAY_MS },
    { entity: CalendarFeedRow, name: 'remove-expired', column: 'expires_at', maxAgeMs: () => REMOVAL_GRACE_DAYS * DAY_MS },
  ],
};
