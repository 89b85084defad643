import { Caller, useTestBase } from '../support/harness';
import { createVia } from '../support/fixtures';
import { CHANGE_MAX_BYTES, changePayload } from '../../src/db/change-feed';
import { listenToChanges, live, Message, openSocket, Socket, subscriptionErrors, WAIT_MS } from './support';

/**
 * GraphQL subscriptions over a real WebSocket (graphql-ws) against real PostgreSQL: the socket is
 * authenticated like a request, each subscription is held to its permission and its company, each
 * value is read again under shield, and the socket closes when the token expires or access is lost.
 */
const base = useTestBase();
let admin: Caller;
const sockets: Socket[] = [];
const open = (...args: Parameters<typeof openSocket> extends [unknown, ...infer R] ? R : never) => {
  const socket = openSocket(base, ...args);
  sockets.push(socket);
  return socket;
};
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});

beforeAll(async () => {
  admin = await base.caller();
});

let day = 0;
const freshDate = () => `2032-03-${String((day++ % 28) + 1).padStart(2, '0')}`;
const event = (name = 'Spring Gala', as = admin) => createVia(base, as, '/api/events', { name, startsAt: '2032-05-01T20:00:00Z' });
const venue = (as = admin) => createVia(base, as, '/api/venues', { name: 'Hall' });
const hold = (body: Record<string, unknown>, as = admin) => createVia(base, as, '/api/avails', body);
const act = async (id: string, action: string, as = admin) => {
  const res = await base.rest('POST', `/api/avails/${id}/${action}`, { as, body: {} });
  if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
};
const rename = async (id: string, name: string, as = admin) => {
  const res = await base.rest('PUT', `/api/events/${id}`, { as, body: { name } });
  if (res.status !== 200) throw new Error(`rename: ${res.status} ${JSON.stringify(res.body)}`);
};

const named = (name: string) => (m: Message) => m.data?.eventChanged?.name === name;

const EVENT_CHANGED = 'subscription($id: ID!) { eventChanged(id: $id) { id name version } }';
const NOTIFICATION_ADDED = 'subscription { notificationAdded { kind title entityId recipientId } }';
const LADDER_CHANGED = 'subscription($v: ID, $d: LocalDate!) { ladderChanged(venueId: $v, date: $d) { id holdLevel status } }';

describe('the connection is authenticated like a request', () => {
  test('no token → closed 4401; a token Auth did not sign → 4401', async () => {
    const none = open(null, { params: { 'x-org': admin.companyId } });
    expect((await none.closed.next()).code).toBe(4401);
    const forged = open(null, { params: { authorization: 'Bearer not.a.token', 'x-org': admin.companyId } });
    expect((await forged.closed.next()).code).toBe(4401);
  });

  test('not a member of the x-org company → closed 4403; no x-org → 4400', async () => {
    const stranger = open(admin, { params: { authorization: admin.headers.authorization, 'x-org': base.companyB } });
    expect((await stranger.closed.next()).code).toBe(4403);
    const noOrg = open(admin, { params: { authorization: admin.headers.authorization } });
    expect((await noOrg.closed.next()).code).toBe(4400);
  });

  test('Auth unreachable → closed 4503: the socket fails closed', async () => {
    const member = await base.caller(['basic.event.view']);
    base.auth.fault = { kind: 'status', status: 500 };
    try {
      const socket = open(member);
      expect((await socket.closed.next()).code).toBe(4503);
    } finally {
      base.auth.reset();
    }
  });

  test('the same headers on the upgrade request are enough', async () => {
    const socket = open(null, { params: {}, headers: admin.headers });
    await socket.acknowledged();
    const created = await event('By headers');
    const changes = socket.subscribe(EVENT_CHANGED, { id: created.id });
    await live(base, 1);
    await rename(created.id, 'By headers, renamed');
    expect((await changes.until(named('By headers, renamed'))).data.eventChanged).toMatchObject({ id: created.id });
  });

  test('the socket closes (4401) when the token expires, by the clock', async () => {
    const userId = `short-${Date.now()}`;
    base.auth.grant(userId, base.companyA, ['basic.event.view']);
    const token = await base.auth.token(userId, { expiresIn: 120 });
    const socket = open(null, { params: { authorization: `Bearer ${token}`, 'x-org': base.companyA } });
    await socket.acknowledged();
    base.clock.advance(121_000);
    await base.server.subscriptions.check();
    expect(await socket.closed.next()).toMatchObject({ code: 4401 });
  });

  test('a member who loses access stops receiving: closed 4403 once the access cache lets go', async () => {
    const member = await base.caller(['basic.event.view']);
    const created = await event('Watched');
    const socket = open(member);
    const changes = socket.subscribe(EVENT_CHANGED, { id: created.id });
    await live(base, 1);
    await rename(created.id, 'Watched once');
    await changes.until(named('Watched once'));
    base.auth.grant(member.userId, member.companyId, ['basic.event.view'], { membership: 'suspended' });
    base.clock.advance(10_001); // past AUTH_ACCESS_CACHE_TTL_MS: the next look asks Auth again
    await rename(created.id, 'Watched twice');
    expect(await socket.closed.next()).toMatchObject({ code: 4403 });
    expect(changes.messages.pending.filter((m) => 'data' in m)).toEqual([]);
  });
});

describe('eventChanged', () => {
  test('the event after each of its changes', async () => {
    const created = await event('Opening night');
    const socket = open(admin);
    const changes = socket.subscribe(EVENT_CHANGED, { id: created.id });
    await live(base, 1);
    await rename(created.id, 'Opening night (moved)');
    expect((await changes.until(named('Opening night (moved)'))).data.eventChanged).toEqual({ id: created.id, name: 'Opening night (moved)', version: created.version + 1 });
    // A change told again (or two read at the same version) is not sent twice: the next value is the next version.
    await base.sql('SELECT pg_notify($1, $2)', ['base_changes', JSON.stringify({ companyId: admin.companyId, type: 'event.updated', entityType: 'Event', entityId: created.id, eventId: created.id, recipients: [] })]);
    await rename(created.id, 'Opening night (final)');
    expect((await changes.next()).data.eventChanged).toMatchObject({ name: 'Opening night (final)', version: created.version + 2 });
  });

  test("another company's event → NOT_FOUND at the start; without basic.event.view → FORBIDDEN", async () => {
    const other = await base.caller(undefined, { company: base.companyB });
    const theirs = await event('Theirs', other);
    const socket = open(admin);
    const [notFound] = await subscriptionErrors(socket.subscribe(EVENT_CHANGED, { id: theirs.id }));
    expect(notFound.extensions?.code).toBe('NOT_FOUND');
    const ours = await event('Ours');
    const blind = open(await base.caller(['basic.venue.view']));
    const [forbidden] = await subscriptionErrors(blind.subscribe(EVENT_CHANGED, { id: ours.id }));
    expect(forbidden.extensions?.code).toBe('FORBIDDEN');
  });

  test('queries and mutations are not served over the socket', async () => {
    const socket = open(admin);
    const [refused] = await subscriptionErrors(socket.subscribe('{ events { total } }'));
    expect(refused.extensions?.code).toBe('BAD_REQUEST');
  });
});

describe('notificationAdded', () => {
  test("only the caller's own: each sees the notification of their own hold moving up", async () => {
    const holders = [await base.caller(), await base.caller()];
    const [first, second] = holders.map((h) => open(h).subscribe(NOTIFICATION_ADDED));
    await live(base, 2);
    const venueId = (await venue()).id;
    const date = freshDate();
    const top = await hold({ venueId, date });
    const mine = await hold({ venueId, date }, holders[0]);
    const theirs = await hold({ venueId, date }, holders[1]);
    // The top hold leaves: the first holder's moves up (and the second's): each told only of their own.
    await act(top.id, 'release');
    const toFirst = (await first.next()).data.notificationAdded;
    const toSecond = (await second.next()).data.notificationAdded;
    expect(toFirst).toMatchObject({ kind: 'avail.moved-up', entityId: mine.id, recipientId: holders[0].userId });
    expect(toSecond).toMatchObject({ kind: 'avail.moved-up', entityId: theirs.id, recipientId: holders[1].userId });
  });
});

describe('ladderChanged and shield', () => {
  test('the ladder after a release; a field the caller may not see is null with FORBIDDEN', async () => {
    const venueId = (await venue()).id;
    const date = freshDate();
    const holds = [await hold({ venueId, date }), await hold({ venueId, date })];
    const availsOnly = await base.caller(['basic.avail.view']);
    const socket = open(availsOnly);
    const ladder = socket.subscribe('subscription($v: ID, $d: LocalDate!) { ladderChanged(venueId: $v, date: $d) { id holdLevel venue { name } } }', { v: venueId, d: date });
    await live(base, 1);
    await act(holds[0].id, 'release');
    const message = await ladder.until((m) => m.data?.ladderChanged?.length === 1);
    expect(message.data.ladderChanged).toEqual([{ id: holds[1].id, holdLevel: 1, venue: null }]);
    expect(message.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['ladderChanged', 0, 'venue']]]);
  });

  test("another company's change is never delivered: the subscriber's next value is its own company's", async () => {
    const other = await base.caller(undefined, { company: base.companyB });
    const date = freshDate();
    const theirVenue = (await venue(other)).id;
    const ourVenue = (await venue()).id;
    const socket = open(admin);
    // Following the other company's venue id (ids are not secrets): nothing of it ever arrives.
    const theirs = socket.subscribe(LADDER_CHANGED, { v: theirVenue, d: date });
    const ours = socket.subscribe(LADDER_CHANGED, { v: ourVenue, d: date });
    await live(base, 2);
    await hold({ venueId: theirVenue, date }, other);
    const ourHold = await hold({ venueId: ourVenue, date });
    // Changes are handed on in commit order: by the time ours arrives, theirs was seen and dropped.
    expect((await ours.next()).data.ladderChanged).toEqual([{ id: ourHold.id, holdLevel: 1, status: 'HELD' }]);
    expect(theirs.messages.pending).toEqual([]);
  });
});

describe('fan-out through LISTEN/NOTIFY', () => {
  test('a change is told by ids only: no customer data in the notification', async () => {
    const listener = await listenToChanges();
    try {
      const created = await event('Confidential Gala');
      await rename(created.id, 'Confidential Gala 2');
      const ours: Record<string, unknown>[] = [];
      while (ours.length < 2) {
        const payload = JSON.parse(await listener.payloads.next(WAIT_MS, 'change notification'));
        if (payload.companyId === admin.companyId && payload.entityId === created.id) ours.push(payload);
      }
      expect(ours.map((p) => p.type)).toEqual(['event.created', 'event.updated']);
      for (const payload of ours) {
        expect(Object.keys(payload).sort()).toEqual(['companyId', 'entityId', 'entityType', 'eventId', 'recipients', 'type']);
        expect(JSON.stringify(payload)).not.toMatch(/Confidential/);
      }
    } finally {
      await listener.close();
    }
  });

  test('a change that would not fit a NOTIFY (8000 bytes) leaves its recipients out: every subscriber of the company looks', () => {
    const recipients = Array.from({ length: 400 }, (_, i) => `user-${i}-${'x'.repeat(20)}`);
    const change = { companyId: admin.companyId, type: 'task.assigned', entityType: 'Task', entityId: admin.companyId, eventId: admin.companyId, recipients };
    const payload = changePayload(change);
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(CHANGE_MAX_BYTES);
    expect(JSON.parse(payload)).toEqual({ ...change, recipients: null });
    expect(JSON.parse(changePayload({ ...change, recipients: ['one'] })).recipients).toEqual(['one']);
  });
});
