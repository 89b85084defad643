import { createVia } from '../support/fixtures';
import type { Caller } from '../support/harness';
import { useTestBase } from '../support/harness';
import { readEvents } from '../support/ical';

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Calendar feeds through the public surfaces: made, listed and revoked on REST and GraphQL, and the
 * `.ics` URL read without a token and parsed back (RFC 5545, test/support/ical.ts).
 */
const base = useTestBase({ CALENDAR_FEED_RATE_LIMIT: '6', PUBLIC_BASE_URL: 'https://base.example.com/' });

let admin: Caller;
let other: Caller;
let venueId: string;
let artistId: string;
beforeAll(async () => {
  admin = await base.caller();
  other = await base.caller(undefined, { company: base.companyB });
  venueId = (await createVia(base, admin, '/api/venues', { name: 'Hall', timezone: 'America/New_York' })).id;
  artistId = (await createVia(base, admin, '/api/artists', { name: 'Band' })).id;
});

const inDays = (days: number) => new Date(base.clock.now().getTime() + days * 86_400_000);
const dayIn = (days: number) => inDays(days).toISOString().slice(0, 10);

const createFeed = async (body: Record<string, unknown>, as = admin) => {
  const res = await base.rest('POST', '/api/calendar-feeds', { as, body });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: string; url: string };
};
/** The feed's URL below the server (PUBLIC_BASE_URL names where it is reached from outside). */
const pathOf = (url: string) => {
  expect(url).toMatch(/^https:\/\/base\.example\.com\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  return new URL(url).pathname;
};
const read = (path: string, headers: Record<string, string> = {}) => base.rest('GET', path, { headers });
const entries = async (path: string) => {
  const res = await read(path);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
  return readEvents(res.body as string);
};

test('a feed made over REST answers its URL once; the calendar has the company’s events at the venue’s time zone', async () => {
  const event = await createVia(base, admin, '/api/events', { name: 'Spring show', venueId, startsAt: inDays(10).toISOString() });
  await createVia(base, other, '/api/events', { name: 'Not ours', startsAt: inDays(10).toISOString() });
  const feed = await createFeed({ scope: 'company', include: ['events'] });
  const listed = await base.rest('GET', '/api/calendar-feeds', { as: admin });
  expect(listed.status).toBe(200);
  expect(listed.body.data.map((f: any) => [f.id, f.url, f.secretHash])).toEqual([[feed.id, null, undefined]]);

  const vevents = await entries(pathOf(feed.url));
  expect(vevents.map((e) => e.SUMMARY.value)).toEqual(['Spring show']);
  const [show] = vevents;
  expect(show.UID.value).toBe(`event-${event.id}@kisum-base`);
  expect(show.DTSTART.params.TZID).toBe('America/New_York');
  // The wall-clock time in New York of the stored instant.
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/New_York', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(event.startsAt));
  expect(show.DTSTART.value).toBe(local.replace(/[-:]/g, '').replace(' ', 'T'));
});

test('createCalendarFeed over GraphQL answers the URL; calendarFeeds pages them without it; another member’s feed is 404', async () => {
  const made = await base.gql(
    'mutation($input: CreateCalendarFeedInput!) { createCalendarFeed(input: $input) { id url scope include createdAt expiresAt } }',
    { input: { scope: 'VENUE', scopeId: venueId, include: ['EVENTS', 'HOLDS'] } },
    { as: admin },
  );
  expect(made.body.errors).toBeUndefined();
  const feed = made.body.data.createCalendarFeed;
  expect(feed).toMatchObject({ scope: 'VENUE', include: ['EVENTS', 'HOLDS'] });
  // createdAt is the database's stamp, expiresAt the Base's clock: the same moment within a second.
  expect(Math.abs(Date.parse(feed.expiresAt) - Date.parse(feed.createdAt) - 365 * 86_400_000)).toBeLessThan(1000);
  pathOf(feed.url);
  const page = await base.gql('{ calendarFeeds(limit: 50) { total items { id url } } }', {}, { as: admin });
  expect(page.body.data.calendarFeeds.items).toContainEqual({ id: feed.id, url: null });

  const colleague = await base.caller();
  expect((await base.gql('{ calendarFeeds { total } }', {}, { as: colleague })).body.data.calendarFeeds.total).toBe(0);
  expect((await base.rest('DELETE', `/api/calendar-feeds/${feed.id}`, { as: colleague })).status).toBe(404);
  const revoked = await base.gql('mutation($id: ID!) { revokeCalendarFeed(id: $id) { id } }', { id: feed.id }, { as: colleague });
  expect(revoked.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
});

test('revoking answers 204 and the URL answers 404 at once; revoking again is 404', async () => {
  const feed = await createFeed({ scope: 'company', include: ['holds'] });
  expect((await read(pathOf(feed.url))).status).toBe(200);
  expect((await base.rest('DELETE', `/api/calendar-feeds/${feed.id}`, { as: admin })).status).toBe(204);
  expect((await read(pathOf(feed.url))).status).toBe(404);
  expect((await base.rest('DELETE', `/api/calendar-feeds/${feed.id}`, { as: admin })).status).toBe(404);
  expect((await read('/calendar/not-a-secret.ics')).status).toBe(404);
  expect((await read(`/calendar/${'A'.repeat(43)}.ics`)).status).toBe(404);
});

test('holds: each standing hold of the scope, its level in the summary; scope and include narrow what is shown', async () => {
  const date = dayIn(40);
  const otherVenue = (await createVia(base, admin, '/api/venues', { name: 'Club' })).id;
  const first = await createVia(base, admin, '/api/avails', { venueId: otherVenue, artistId, date });
  const second = await createVia(base, admin, '/api/avails', { venueId: otherVenue, date });
  await createVia(base, admin, '/api/events', { name: 'Elsewhere', venueId: otherVenue, startsAt: inDays(41).toISOString(), lineup: [artistId] });

  const holdsOnly = await createFeed({ scope: 'venue', scopeId: otherVenue, include: ['holds'] });
  const shown = await entries(pathOf(holdsOnly.url));
  expect(shown.map((e) => [e.UID.value, e.SUMMARY.value, e.DTSTART.value, e.DTSTART.params.VALUE])).toEqual([
    [`hold-${first.id}@kisum-base`, 'Hold 1: Band @ Club', date.replace(/-/g, ''), 'DATE'],
    [`hold-${second.id}@kisum-base`, 'Hold 2: Club', date.replace(/-/g, ''), 'DATE'],
  ]);

  const artistFeed = await createFeed({ scope: 'artist', scopeId: artistId, include: ['events', 'holds'] });
  expect((await entries(pathOf(artistFeed.url))).map((e) => e.SUMMARY.value).sort()).toEqual(['Elsewhere', 'Hold 1: Band @ Club']);

  // The first venue's feed shows nothing of the other venue.
  const venueFeed = await createFeed({ scope: 'venue', scopeId: venueId, include: ['events', 'holds'] });
  expect((await entries(pathOf(venueFeed.url))).map((e) => e.SUMMARY.value)).not.toContain('Elsewhere');
});

test('UIDs stay across an update, LAST-MODIFIED moves; If-None-Match answers 304 until something changes', async () => {
  const event = await createVia(base, admin, '/api/events', { name: 'Moving show', venueId, startsAt: inDays(20).toISOString() });
  // updated_at is the database's stamp of a write (whole seconds in iCalendar): made an hour older,
  // so the update's stamp differs.
  await base.sql(`UPDATE events SET updated_at = updated_at - interval '1 hour' WHERE id = $1`, [event.id]);
  const feed = await createFeed({ scope: 'venue', scopeId: venueId, include: ['events'] });
  const path = pathOf(feed.url);
  const before = await read(path);
  const etag = before.headers.get('etag')!;
  expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
  expect((await read(path, { 'if-none-match': etag })).status).toBe(304);
  const entryOf = (text: string) => readEvents(text).find((e) => e.UID.value === `event-${event.id}@kisum-base`)!;
  const was = entryOf(before.body);

  base.clock.advance(60_000);
  const updated = await base.rest('PUT', `/api/events/${event.id}`, { as: admin, body: { name: 'Moved show', version: event.version } });
  expect(updated.status).toBe(200);
  const after = await read(path, { 'if-none-match': etag });
  expect(after.status).toBe(200);
  const now = entryOf(after.body);
  expect(now.SUMMARY.value).toBe('Moved show');
  expect(now['LAST-MODIFIED'].value > was['LAST-MODIFIED'].value).toBe(true);
  expect(Number(now.SEQUENCE.value)).toBe(Number(was.SEQUENCE.value) + 1);
});

test('past CALENDAR_FEED_RATE_LIMIT reads of one feed in the hour: 429 with Retry-After; another feed still answers', async () => {
  const feed = await createFeed({ scope: 'company', include: ['events'] });
  const path = pathOf(feed.url);
  const answers = await Promise.all(Array.from({ length: 8 }, () => read(path)));
  expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  const limited = answers.find((a) => a.status === 429)!;
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  const fresh = await createFeed({ scope: 'company', include: ['events'] });
  expect((await read(pathOf(fresh.url))).status).toBe(200);
  base.clock.advance(3600_000);
  expect((await read(path)).status).toBe(200);
});

test('a feed expires CALENDAR_FEED_DAYS after it was made', async () => {
  const feed = await createFeed({ scope: 'company', include: ['events'] });
  base.clock.advance(364 * 86_400_000);
  expect((await read(pathOf(feed.url))).status).toBe(200);
  base.clock.advance(86_400_000);
  expect((await read(pathOf(feed.url))).status).toBe(404);
});

test('making a feed needs the view permission of what it includes; a venue of another company is 404', async () => {
  const eventsOnly = await base.caller(['basic.event.view']);
  expect((await base.rest('POST', '/api/calendar-feeds', { as: eventsOnly, body: { scope: 'company', include: ['holds'] } })).status).toBe(403);
  expect((await base.rest('POST', '/api/calendar-feeds', { as: eventsOnly, body: { scope: 'company', include: ['events'] } })).status).toBe(201);
  const gql = await base.gql('mutation { createCalendarFeed(input: { scope: COMPANY, include: [HOLDS] }) { id } }', {}, { as: eventsOnly });
  expect(gql.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const foreign = await base.rest('POST', '/api/calendar-feeds', { as: other, body: { scope: 'venue', scopeId: venueId, include: ['events'] } });
  expect(foreign.status).toBe(404);
});

test('bad input is 400 with one detail per field, and makes nothing', async () => {
  const before = (await base.rest('GET', '/api/calendar-feeds', { as: admin })).body.meta.total;
  const bad = await base.rest('POST', '/api/calendar-feeds', { as: admin, body: { scope: 'planet', include: ['events', 'gigs'] } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: any) => d.field).sort()).toEqual(['include.1', 'scope']);
  const noId = await base.rest('POST', '/api/calendar-feeds', { as: admin, body: { scope: 'artist', include: ['events'] } });
  expect(noId.status).toBe(400);
  expect(noId.body.error.details).toEqual([{ field: 'scopeId', message: expect.stringContaining('required') }]);
  const empty = await base.rest('POST', '/api/calendar-feeds', { as: admin, body: { scope: 'company', include: [] } });
  expect(empty.body.error.details.map((d: any) => d.field)).toEqual(['include']);
  expect((await base.rest('GET', '/api/calendar-feeds', { as: admin })).body.meta.total).toBe(before);
});

test('revoked and expired feeds are removed after the grace period by the retention jobs', async () => {
  const feed = await createFeed({ scope: 'company', include: ['events'] });
  await base.rest('DELETE', `/api/calendar-feeds/${feed.id}`, { as: admin });
  base.clock.advance(31 * 86_400_000);
  await base.server.jobs.triggerPeriodic('calendarFeeds.remove-revoked', 'calendarFeeds.remove-expired');
  await base.server.jobs.runOnce();
  expect(await base.sql(`SELECT id FROM calendar_feeds WHERE id = $1`, [feed.id])).toEqual([]);
});
