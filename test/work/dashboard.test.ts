import { expectGqlError, expectGqlValidation, expectRestError, expectRestValidation, gqlData, show } from '../support/assertions';
import { createVia, freshCaller } from '../support/fixtures';
import { Caller, useTestBase } from '../support/harness';
import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import { createEvent, createTier } from '../events/support';

/**
 * The dashboard (`GET /api/dashboard`, the `dashboard` query, `basic.dashboard.view`): its figures
 * against a company seeded over REST whose numbers are worked out by hand below, its period read in
 * the company's time zone, a constant number of statements however much data there is, and each
 * part under its own view permission (left out on REST, null with FORBIDDEN on GraphQL, never computed).
 */
const base = useTestBase();

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Every part and the permissions it needs besides basic.dashboard.view. */
const PARTS: Record<string, string[]> = {
  upcomingEvents: ['basic.event.view'],
  activeHolds: ['basic.avail.view'],
  offersByStatus: ['basic.offer.view'],
  pendingApprovals: ['basic.approval.view'],
  income: ['basic.income.view'],
  approvedExpenses: ['basic.expense.view'],
  sellThrough: ['basic.ticket.view', 'basic.event.view'],
  myTasks: ['basic.task.view'],
  paymentsDue: ['basic.agreement.view'],
};
const EVERY_PART = ['basic.dashboard.view', ...new Set(Object.values(PARTS).flat())];

const QUERY = `query Dashboard($from: String, $to: String) {
  dashboard(from: $from, to: $to) {
    from to timezone
    upcomingEvents { count next { id name startsAt } }
    activeHolds { total held challenged firstHolds }
    offersByStatus { status count }
    pendingApprovals { count oldestSubmittedAt amounts { currency amount count } }
    income { currency amount }
    approvedExpenses { currency amount }
    sellThrough { events sold comps allocation sellThrough next { event { id name } sold comps allocation sellThrough } }
    myTasks { open overdue dueInPeriod }
    paymentsDue { count amounts { currency amount } overdueCount overdueAmounts { currency amount } }
  }
}`;

const dashboard = (actor: Caller, query = '') => base.rest('GET', `/api/dashboard${query}`, { as: actor });
const dashboardOk = async (actor: Caller, query = '') => {
  const res = await dashboard(actor, query);
  if (res.status !== 200) throw new Error(`dashboard failed: ${show(res)}`);
  return res.body.data;
};
const act = async (actor: Caller, path: string, body: Record<string, unknown> = {}) => {
  const res = await base.rest('POST', path, { as: actor, body });
  if (res.status !== 200) throw new Error(`${path} failed: ${show(res)}`);
  return res.body.data;
};
const setTimezone = async (actor: Caller, timezone: string) => {
  const res = await base.rest('PUT', '/api/companies/current', { as: actor, body: { timezone } });
  if (res.status !== 200) throw new Error(`timezone: ${show(res)}`);
};

/**
 * June 2031 in New York (UTC−4 all month): the period 2031-06-01 … 2031-06-30 is
 * [2031-06-01T04:00Z, 2031-07-01T04:00Z).
 */
const JUNE = '?from=2031-06-01&to=2031-06-30';

describe('the figures of a seeded company, worked out by hand', () => {
  let owner: Caller;
  let approver: Caller;
  const ids: Record<string, string> = {};
  let firstSubmission: string;

  beforeAll(async () => {
    owner = await freshCaller(base);
    approver = await base.caller(ALL_PERMISSIONS, { company: owner.companyId });
    await setTimezone(owner, 'America/New_York');
    const event = async (key: string, name: string, startsAt: string, currency = 'EUR') =>
      (ids[key] = (await createEvent(base, owner, { name, startsAt, currency })).id);

    // Events: the period's edges are New York midnights.
    await event('alpha', 'Alpha', '2031-06-05T19:00:00.000Z'); // in
    await event('bravo', 'Bravo', '2031-06-01T03:59:00.000Z'); // May 31, 23:59 in New York: out
    await event('charlie', 'Charlie', '2031-06-01T04:00:00.000Z'); // June 1, 00:00: in (first)
    await event('delta', 'Delta', '2031-07-01T03:59:00.000Z'); // June 30, 23:59: in (last)
    await event('echo', 'Echo', '2031-07-01T04:00:00.000Z'); // July 1: out
    await event('foxtrot', 'Foxtrot', '2031-06-10T19:00:00.000Z'); // in, but cancelled below

    // Tickets: Alpha sells 40 + 50 of (100 − 10 kills) + 50 = 140 → 6429 bp; Charlie 150 of 200 → 7500 bp;
    // Delta has no tiers (no allocation: null). Echo's tier is outside the period.
    await createTier(base, owner, ids.alpha, { name: 'GA', quantity: 100, sold: 40, comps: 5, kills: 10 });
    await createTier(base, owner, ids.alpha, { name: 'VIP', price: 9000, quantity: 50, sold: 50 });
    await createTier(base, owner, ids.charlie, { quantity: 200, sold: 150 });
    await createTier(base, owner, ids.echo, { quantity: 1000, sold: 999 });
    await createTier(base, owner, ids.foxtrot, { quantity: 10, sold: 10 });

    // Income by the event's start: Alpha EUR 125000 + GBP 5000, cancelled Foxtrot EUR 30000 (its money
    // was real); Bravo and Echo are outside the period.
    const income = (eventKey: string, amount: number, currency?: string) =>
      createVia(base, owner, `/api/events/${ids[eventKey]}/incomes`, { category: 'bar', description: 'Bar', amount, ...(currency ? { currency } : {}) });
    await income('alpha', 125000);
    await income('alpha', 5000, 'GBP');
    await income('foxtrot', 30000);
    await income('bravo', 99999);
    await income('echo', 88888);

    // Expenses: approved Alpha EUR 40000, Foxtrot EUR 1000, Charlie USD 1234 → EUR 41000, USD 1234.
    // Not counted as approved: Alpha's draft (500) and submitted (7000), Bravo's approved (777, outside).
    const expense = async (eventKey: string, amount: number, state: 'draft' | 'submitted' | 'approved', currency?: string) => {
      const path = `/api/events/${ids[eventKey]}/expenses`;
      const created = await createVia(base, owner, path, { category: 'production', description: 'Cost', amount, ...(currency ? { currency } : {}) });
      if (state === 'draft') return created;
      const submitted = await act(owner, `${path}/${created.id}/submit`);
      if (state === 'approved') await act(approver, `${path}/${created.id}/approve`);
      return submitted;
    };
    await expense('alpha', 40000, 'approved');
    await expense('foxtrot', 1000, 'approved');
    await expense('charlie', 1234, 'approved', 'USD');
    await expense('alpha', 500, 'draft');
    firstSubmission = (await expense('alpha', 7000, 'submitted')).submittedAt;
    await expense('bravo', 777, 'approved');
    // The approval queue is the whole queue, whatever the event's date: Alpha EUR 7000 + Bravo GBP 300.
    await expense('bravo', 300, 'submitted', 'GBP');

    await act(owner, `/api/events/${ids.foxtrot}/cancel`);

    // Holds: days of the period in New York. June 1 has two (the second challenges the first), June 30
    // one; May 31 and July 1 are outside; released, confirmed and past-expiry holds do not stand.
    const venue = (await createVia(base, owner, '/api/venues', { name: 'Hall' })).id;
    const hold = (date: string, body: Record<string, unknown> = {}) => createVia(base, owner, '/api/avails', { venueId: venue, date, ...body });
    await hold('2031-06-01'); // level 1 → challenged
    const second = await hold('2031-06-01'); // level 2, held
    await act(owner, `/api/avails/${second.id}/challenge`);
    await hold('2031-06-30'); // level 1, held
    await hold('2031-05-31');
    await hold('2031-07-01');
    await act(owner, `/api/avails/${(await hold('2031-06-15')).id}/release`);
    await act(owner, `/api/avails/${(await hold('2031-06-20')).id}/confirm`);
    const lapsed = await hold('2031-06-16');
    await base.sql(`UPDATE "${base.schema}".avails SET expires_at = now() - interval '1 minute' WHERE id = $1`, [lapsed.id]);
    // The ladder as of now: below an expired first hold (June 17) and a first hold whose challenge went
    // unanswered (June 18), the next hold is first at once, before any sweep.
    const expiredFirst = await hold('2031-06-17');
    await hold('2031-06-17'); // level 2 → first
    await base.sql(`UPDATE "${base.schema}".avails SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expiredFirst.id]);
    const unanswered = await hold('2031-06-18');
    await act(owner, `/api/avails/${(await hold('2031-06-18')).id}/challenge`); // level 2 → first
    await base.sql(`UPDATE "${base.schema}".avails SET respond_by = now() - interval '1 minute' WHERE id = $1`, [unanswered.id]);

    // Offers by the show's day (the offer's date, else its event's start): draft, sent, expired (a sent
    // offer past its expiry), declined (for Alpha, no date of its own), withdrawn; one outside each edge.
    const artist = (await createVia(base, owner, '/api/artists', { name: 'Band' })).id;
    const offer = (body: Record<string, unknown>) =>
      createVia(base, owner, '/api/offers', { artistId: artist, dealType: 'flat', guarantee: 100000, ...body });
    const sent = async (body: Record<string, unknown>) => {
      const o = await offer({ expiresAt: '2099-01-01T00:00:00.000Z', ...body });
      await act(owner, `/api/offers/${o.id}/send`);
      return o;
    };
    await offer({ venueId: venue, date: '2031-06-10' });
    await sent({ venueId: venue, date: '2031-06-11' });
    const expired = await sent({ venueId: venue, date: '2031-06-12' });
    await base.sql(`UPDATE "${base.schema}".offers SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
    await act(owner, `/api/offers/${(await sent({ eventId: ids.alpha })).id}/decline`);
    await act(owner, `/api/offers/${(await offer({ venueId: venue, date: '2031-06-30' })).id}/withdraw`);
    await offer({ eventId: ids.echo });
    await act(owner, `/api/offers/${(await offer({ venueId: venue, date: '2031-05-31' })).id}/withdraw`);

    // The caller's tasks: open are to do or in progress and assigned to them (4); overdue is open and
    // past its due time (1, from 2020); due in the period: June 10 only (July 1, 00:00 in New York is out).
    const task = async (title: string, body: Record<string, unknown>, action?: string) => {
      const created = await createVia(base, owner, '/api/tasks', { title, ...body });
      if (action) await act(owner, `/api/tasks/${created.id}/${action}`);
    };
    await task('Book the PA', { assigneeId: owner.userId, dueAt: '2031-06-10T16:00:00.000Z' });
    await task('Chase the contract', { assigneeId: owner.userId, dueAt: '2020-01-01T09:00:00.000Z' }, 'start');
    await task('Order merch', { assigneeId: owner.userId, dueAt: '2031-07-01T04:00:00.000Z' });
    await task('Think about next year', { assigneeId: owner.userId });
    await task('Done already', { assigneeId: owner.userId, dueAt: '2031-06-11T16:00:00.000Z' }, 'complete');
    await task('Dropped', { assigneeId: owner.userId, dueAt: '2020-01-01T09:00:00.000Z' }, 'cancel');
    await task("Someone else's", { assigneeId: approver.userId, dueAt: '2020-01-01T09:00:00.000Z' });
    await task('Nobody yet', { dueAt: '2031-06-12T16:00:00.000Z' });

    // Another company's records in the same period are never counted.
    const other = await freshCaller(base);
    const theirs = await createEvent(base, other, { startsAt: '2031-06-05T19:00:00.000Z' });
    await createTier(base, other, theirs.id, { quantity: 10, sold: 10 });
    await createVia(base, other, `/api/events/${theirs.id}/incomes`, { category: 'bar', description: 'Bar', amount: 1 });
  });

  test('REST answers every part with the numbers worked out above', async () => {
    const data = await dashboardOk(owner, JUNE);
    expect(data.from).toBe('2031-06-01T04:00:00.000Z');
    expect(data.to).toBe('2031-07-01T04:00:00.000Z');
    expect(data.timezone).toBe('America/New_York');
    expect(data.upcomingEvents.count).toBe(3);
    expect(data.upcomingEvents.next.map((e: any) => e.name)).toEqual(['Charlie', 'Alpha', 'Delta']);
    expect(data.upcomingEvents.next[0]).toMatchObject({ id: ids.charlie, startsAt: '2031-06-01T04:00:00.000Z', status: 'draft', currency: 'EUR' });
    expect(data.activeHolds).toEqual({ total: 5, held: 4, challenged: 1, firstHolds: 4 });
    expect(data.offersByStatus).toEqual([
      { status: 'draft', count: 1 },
      { status: 'sent', count: 1 },
      { status: 'accepted', count: 0 },
      { status: 'declined', count: 1 },
      { status: 'withdrawn', count: 1 },
      { status: 'expired', count: 1 },
    ]);
    expect(data.pendingApprovals).toEqual({
      count: 2,
      oldestSubmittedAt: firstSubmission,
      amounts: [
        { currency: 'EUR', amount: 7000, count: 1 },
        { currency: 'GBP', amount: 300, count: 1 },
      ],
    });
    expect(data.income).toEqual([
      { currency: 'EUR', amount: 155000 },
      { currency: 'GBP', amount: 5000 },
    ]);
    expect(data.approvedExpenses).toEqual([
      { currency: 'EUR', amount: 41000 },
      { currency: 'USD', amount: 1234 },
    ]);
    const { next, ...totals } = data.sellThrough;
    expect(totals).toEqual({ events: 3, sold: 240, comps: 5, allocation: 340, sellThrough: 7059 });
    expect(next.map((s: any) => [s.event.name, s.sold, s.comps, s.allocation, s.sellThrough])).toEqual([
      ['Charlie', 150, 0, 200, 7500],
      ['Alpha', 90, 5, 140, 6429],
      ['Delta', 0, 0, 0, null],
    ]);
    expect(data.myTasks).toEqual({ open: 4, overdue: 1, dueInPeriod: 1 });
  });

  test('GraphQL answers the same figures', async () => {
    const rest = await dashboardOk(owner, JUNE);
    const { dashboard: data } = gqlData(await base.gql(QUERY, { from: '2031-06-01', to: '2031-06-30' }, { as: owner }));
    expect(data.offersByStatus.map((o: any) => [o.status.toLowerCase(), o.count])).toEqual(rest.offersByStatus.map((o: any) => [o.status, o.count]));
    expect({ ...data, offersByStatus: null }).toEqual({
      ...rest,
      offersByStatus: null,
      upcomingEvents: { count: 3, next: rest.upcomingEvents.next.map((e: any) => ({ id: e.id, name: e.name, startsAt: e.startsAt })) },
      sellThrough: { ...rest.sellThrough, next: rest.sellThrough.next.map((s: any) => ({ ...s, event: { id: s.event.id, name: s.event.name } })) },
    });
  });

  test('date-times bound the period exactly; a to day counts whole', async () => {
    // [June 1 04:00Z, June 5 19:00Z) holds Charlie but not Alpha, which starts at the end.
    const exact = await dashboardOk(owner, '?from=2031-06-01T04:00:00Z&to=2031-06-05T19:00:00Z');
    expect(exact.upcomingEvents.next.map((e: any) => e.name)).toEqual(['Charlie']);
    expect(exact.income).toEqual([]);
    // One day, June 5 in New York, and money of no event outside it.
    const day = await dashboardOk(owner, '?from=2031-06-05&to=2031-06-05');
    expect(day.upcomingEvents.count).toBe(1);
    expect(day.to).toBe('2031-06-06T04:00:00.000Z');
    expect(day.approvedExpenses).toEqual([{ currency: 'EUR', amount: 40000 }]);
    // Only `from`: 30 days from then, in the company's days (Bravo is May 31 in New York).
    const from = await dashboardOk(owner, '?from=2031-05-31');
    expect(from.from).toBe('2031-05-31T04:00:00.000Z');
    expect(from.to).toBe('2031-06-30T04:00:00.000Z');
    expect(from.upcomingEvents.next.map((e: any) => e.name)).toEqual(['Bravo', 'Charlie', 'Alpha']);
  });

  test('the company time zone moves the days: in UTC, Bravo is June 1 and Delta July 1', async () => {
    const utc = await freshCaller(base);
    await createEvent(base, utc, { name: 'Bravo', startsAt: '2031-06-01T03:59:00.000Z' });
    await createEvent(base, utc, { name: 'Delta', startsAt: '2031-07-01T03:59:00.000Z' });
    const data = await dashboardOk(utc, JUNE);
    expect(data).toMatchObject({ from: '2031-06-01T00:00:00.000Z', to: '2031-07-01T00:00:00.000Z', timezone: 'UTC' });
    expect(data.upcomingEvents.next.map((e: any) => e.name)).toEqual(['Bravo']);
  });
});

describe('the default period: today and the next 30 days in the company’s time zone', () => {
  test('Kiritimati (UTC+14, no daylight saving): from its midnight today to the same time 30 days on; today is the clock\'s', async () => {
    const actor = await freshCaller(base);
    await setTimezone(actor, 'Pacific/Kiritimati');
    const DAY = 86_400_000;
    const now = base.clock.now().getTime();
    await createEvent(base, actor, { name: 'Soon', startsAt: new Date(now + 2 * DAY).toISOString() });
    await createEvent(base, actor, { name: 'Later', startsAt: new Date(now + 45 * DAY).toISOString() });
    const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(base.clock.now());
    const midnight = (day: string) => new Date(`${day}T00:00:00+14:00`).toISOString();
    /** The default dashboard, with the midnights of the days it may have been asked on. */
    const asked = async () => {
      const before = today();
      const data = await dashboardOk(actor);
      return { data, midnights: [midnight(before), midnight(today())] };
    };
    const { data, midnights } = await asked();
    expect(midnights).toContain(data.from);
    expect(Date.parse(data.to) - Date.parse(data.from)).toBe(30 * DAY);
    expect(data.timezone).toBe('Pacific/Kiritimati');
    expect(data.upcomingEvents.next.map((e: any) => e.name)).toEqual(['Soon']);

    base.clock.advance(20 * DAY);
    const moved = await asked();
    expect(moved.midnights).toContain(moved.data.from);
    expect(moved.data.upcomingEvents.next.map((e: any) => e.name)).toEqual(['Later']);
  });
});

describe('bad periods are 400 with the field named, on both surfaces', () => {
  let actor: Caller;
  beforeAll(async () => {
    actor = await freshCaller(base);
  });

  test.each([
    ['?from=2031-06-10&to=2031-06-09', ['to']],
    ['?from=2031-06-10T00:00:00Z&to=2031-06-10T00:00:00Z', ['to']],
    ['?from=2031-01-01&to=2032-01-02', ['to']],
    ['?from=2031-02-30', ['from']],
    ['?from=tomorrow&to=2031-13-01', ['from', 'to']],
    ['?to=2031-06-10T00:00:00', ['to']],
    ['?since=2031-06-01', ['since']],
  ])('GET /api/dashboard%s → 400', async (query, fields) => {
    expectRestValidation(await dashboard(actor, query), fields);
  });

  test('a leap year is 366 days: the whole of 2032 is one period', async () => {
    const data = await dashboardOk(actor, '?from=2032-01-01&to=2032-12-31');
    expect(data.to).toBe('2033-01-01T00:00:00.000Z');
  });

  test('GraphQL names the argument too', async () => {
    expectGqlValidation(await base.gql(QUERY, { from: '2031-06-10', to: '2031-06-01' }, { as: actor }), ['dashboard'], ['to']);
    expectGqlValidation(await base.gql(QUERY, { from: 'soon' }, { as: actor }), ['dashboard'], ['from']);
  });
});

describe('a constant number of statements as the data grows', () => {
  /** One of everything the dashboard counts, on a day of June 2031. */
  async function seed(actor: Caller, other: Caller, venue: string, artist: string, i: number) {
    const day = `2031-06-${String((i % 28) + 1).padStart(2, '0')}`;
    const event = await createEvent(base, actor, { name: `Show ${i}`, startsAt: `${day}T20:00:00.000Z` });
    await createTier(base, actor, event.id, { quantity: 100, sold: i });
    await createVia(base, actor, `/api/events/${event.id}/incomes`, { category: 'bar', description: 'Bar', amount: 100 });
    const cost = await createVia(base, actor, `/api/events/${event.id}/expenses`, { category: 'staff', description: 'Crew', amount: 50 });
    await act(actor, `/api/events/${event.id}/expenses/${cost.id}/submit`);
    if (i % 2) await act(other, `/api/events/${event.id}/expenses/${cost.id}/approve`);
    await createVia(base, actor, '/api/avails', { venueId: venue, date: day, stage: `Room ${i}` });
    await createVia(base, actor, '/api/offers', { artistId: artist, venueId: venue, date: day, dealType: 'flat', guarantee: 1000 });
  }

  test('N and 5N records of every kind cost the same statements, one per part plus a fixed few', async () => {
    const actor = await freshCaller(base);
    const other = await base.caller(ALL_PERMISSIONS, { company: actor.companyId });
    const venue = (await createVia(base, actor, '/api/venues', { name: 'Hall' })).id;
    const artist = (await createVia(base, actor, '/api/artists', { name: 'Band' })).id;
    const N = 2;
    const cost = async () => {
      await dashboardOk(actor, JUNE); // warm: Auth's answer cached, the company row made
      const before = base.statements();
      const data = await dashboardOk(actor, JUNE);
      return { statements: base.statements() - before, data };
    };
    for (let i = 0; i < N; i++) await seed(actor, other, venue, artist, i);
    const small = await cost();
    expect(small.data.upcomingEvents.count).toBe(N);
    for (let i = N; i < 5 * N; i++) await seed(actor, other, venue, artist, i);
    const large = await cost();
    expect(large.data.upcomingEvents.count).toBe(5 * N);
    expect(large.data.upcomingEvents.next).toHaveLength(5);
    expect(large.data.sellThrough.next).toHaveLength(5 * N);
    expect(large.data.activeHolds.total).toBe(5 * N);
    expect(large.data.pendingApprovals.count).toBe(5 * N / 2);
    expect(large.data.income).toEqual([{ currency: 'EUR', amount: 100 * 5 * N }]);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(Object.keys(PARTS).length + 5);
  });
});

describe('each part needs its own view permission', () => {
  let owner: Caller;
  beforeAll(async () => {
    owner = await freshCaller(base);
    await createEvent(base, owner, { name: 'Show', startsAt: '2031-06-05T20:00:00.000Z' });
  });
  const member = (permissions: string[]) => base.caller(permissions, { company: owner.companyId });

  test('without basic.dashboard.view: 403 on REST, FORBIDDEN on the query', async () => {
    const actor = await member(EVERY_PART.filter((p) => p !== 'basic.dashboard.view'));
    expectRestError(await dashboard(actor, JUNE), 403, 'FORBIDDEN');
    const res = await base.gql(QUERY, {}, { as: actor });
    expectGqlError(res, 'FORBIDDEN', ['dashboard']);
    expect(res.body.data?.dashboard ?? null).toBeNull();
  });

  test.each(Object.entries(PARTS).flatMap(([part, needs]) => needs.map((permission) => [part, permission])))(
    '%s without %s: left out of REST, null with FORBIDDEN on GraphQL, the rest arrives',
    async (part, permission) => {
      const actor = await member(EVERY_PART.filter((p) => p !== permission));
      const hidden = Object.entries(PARTS).filter(([, needs]) => needs.includes(permission)).map(([name]) => name);
      expect(hidden).toContain(part);
      const rest = await dashboardOk(actor, JUNE);
      expect(Object.keys(rest).sort()).toEqual(['from', 'timezone', 'to', ...Object.keys(PARTS).filter((p) => !hidden.includes(p))].sort());
      const res = await base.gql(QUERY, { from: '2031-06-01', to: '2031-06-30' }, { as: actor });
      expect(res.status).toBe(200);
      expect((res.body.errors ?? []).map((e) => [e.path, e.extensions?.code]).sort()).toEqual(hidden.map((h) => [['dashboard', h], 'FORBIDDEN']).sort());
      const data = res.body.data!.dashboard;
      for (const name of Object.keys(PARTS)) expect([name, data[name] === null]).toEqual([name, hidden.includes(name)]);
      expect(data.timezone).toBe('UTC');
    },
  );

  test('with basic.dashboard.view alone: the period only, and no part is computed', async () => {
    const bare = await member(['basic.dashboard.view']);
    const full = await member(EVERY_PART);
    const cost = async (actor: Caller) => {
      await dashboardOk(actor, JUNE);
      const before = base.statements();
      const data = await dashboardOk(actor, JUNE);
      return { statements: base.statements() - before, data };
    };
    const none = await cost(bare);
    expect(Object.keys(none.data).sort()).toEqual(['from', 'timezone', 'to']);
    const all = await cost(full);
    expect(all.statements - none.statements).toBe(Object.keys(PARTS).length);
  });

  test('on GraphQL only the parts selected are computed: one statement per selected part', async () => {
    const full = await member(EVERY_PART);
    const june = { from: '2031-06-01', to: '2031-06-30' };
    const cost = async (query: string) => {
      await base.gql(query, june, { as: full });
      const before = base.statements();
      const res = await base.gql(query, june, { as: full });
      expect(res.body.errors).toBeUndefined();
      return { statements: base.statements() - before, data: res.body.data!.dashboard };
    };
    const period = await cost('query ($from: String, $to: String) { dashboard(from: $from, to: $to) { from to } }');
    const two = await cost(
      'query ($from: String, $to: String) { dashboard(from: $from, to: $to) { ...Parts } } fragment Parts on Dashboard { upcomingEvents { count } income { currency amount } }',
    );
    expect(two.statements - period.statements).toBe(2);
    expect(two.data.upcomingEvents.count).toBe(1);
    expect(Object.keys(two.data).sort()).toEqual(['income', 'upcomingEvents']);
    const all = await cost(QUERY);
    expect(all.statements - period.statements).toBe(Object.keys(PARTS).length);
  });

  test('a company without records sees zeros and empty lists, never another company’s', async () => {
    const stranger = await freshCaller(base);
    const data = await dashboardOk(stranger, JUNE);
    expect(data.upcomingEvents).toEqual({ count: 0, next: [] });
    expect(data.sellThrough).toEqual({ events: 0, sold: 0, comps: 0, allocation: 0, sellThrough: null, next: [] });
    expect(data.income).toEqual([]);
    expect(data.offersByStatus.every((o: any) => o.count === 0)).toBe(true);
  });
});
