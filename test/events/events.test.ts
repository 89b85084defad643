import { randomUUID } from 'node:crypto';
import { Caller, useTestBase } from '../support/harness';
import { expectGqlError, expectGqlRequestError, expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { familySuite } from '../support/family-suite';
import { freshCaller, rows } from '../support/fixtures';
import { stateMachineSuite } from '../support/state-machine-suite';
import { eventFamily } from '../../src/modules/events';
import { createArtist, createEvent, createTier, createVenue, STARTS } from './support';

/**
 * Events (`/api/events`, `basic.event.*`): the family contract on both surfaces, the list filters
 * (type, status, venue, artist, from/to, q), times in order, a lineup of the company's own artists,
 * the nested fields (venue, lineup, tickets) each under its own permission and in a constant number
 * of statements, and the state machine.
 */
const base = useTestBase();

const SELECTION = 'id createdAt updatedAt createdBy version name venueId startsAt endsAt doorsAt status capacity currency taxRate lineup { id } notes';
const toGraphql = (rest: Record<string, unknown>) => ({
  ...rest,
  ...(typeof rest.status === 'string' ? { status: rest.status.toUpperCase() } : {}),
  ...(Array.isArray(rest.lineup) ? { lineup: (rest.lineup as string[]).map((id) => ({ id })) } : {}),
});

familySuite(base, {
  resource: 'event',
  typeName: 'Event',
  singular: 'event',
  plural: 'events',
  path: '/api/events',
  table: 'events',
  label: 'name',
  search: true,
  fullBody: async (b, actor) => {
    const venue = await createVenue(b, actor);
    const headliner = await createArtist(b, actor, 'Headliner');
    const support = await createArtist(b, actor, 'Support');
    return {
      name: 'Summer Night',
      venueId: venue.id,
      startsAt: STARTS,
      endsAt: '2031-06-01T23:30:00.000Z',
      doorsAt: '2031-06-01T19:00:00.000Z',
      status: 'draft',
      capacity: 800,
      currency: 'GBP',
      taxRate: 2000,
      lineup: [support.id, headliner.id],
      notes: 'Curfew 23:30.',
    };
  },
  minimalBody: (name) => ({ name, startsAt: STARTS }),
  minimalDefaults: { venueId: null, endsAt: null, doorsAt: null, status: 'draft', capacity: null, currency: 'EUR', taxRate: null, lineup: [], notes: null },
  toGraphql,
  graphqlInput: ({ status: _status, ...rest }) => rest,
  selection: SELECTION,
  clearable: 'notes',
});

test("the integration guide's example: GET /api/events?type=all&page=1&limit=20", async () => {
  const actor = await freshCaller(base);
  const event = await createEvent(base, actor, { name: 'Guide' });
  const res = await base.rest('GET', '/api/events?type=all&page=1&limit=20', { as: actor });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ data: [event], meta: { page: 1, limit: 20, total: 1, totalIsEstimate: false, nextCursor: null } });
});

describe('Event: filters', () => {
  let actor: Caller;
  let hall: { id: string };
  let club: { id: string };
  let ada: { id: string };
  let bo: { id: string };
  const hour = 3_600_000;
  /** `ms` from the Base's clock (set once: the tests read the list as of then, or move the clock on purpose). */
  let now: number;
  const at = (ms: number) => new Date(now + ms).toISOString();

  beforeAll(async () => {
    now = base.clock.now().getTime();
    actor = await freshCaller(base);
    hall = await createVenue(base, actor, 'Hall');
    club = await createVenue(base, actor, 'Club');
    ada = await createArtist(base, actor, 'Ada');
    bo = await createArtist(base, actor, 'Bo');
    await createEvent(base, actor, { name: 'Long Ago', startsAt: '2020-03-01T20:00:00.000Z', venueId: hall.id, lineup: [ada.id] });
    await createEvent(base, actor, { name: 'Last Night', startsAt: at(-20 * hour), venueId: club.id, lineup: [bo.id, ada.id] });
    await createEvent(base, actor, { name: 'Tomorrow Jazz', startsAt: at(24 * hour), venueId: hall.id, lineup: [bo.id] });
    const announced = await createEvent(base, actor, { name: 'Far Future', startsAt: '2040-01-01T20:00:00.000Z' });
    expect((await base.rest('POST', `/api/events/${announced.id}/announce`, { as: actor, body: {} })).status).toBe(200);
  });

  const list = async (query: string): Promise<string[]> => {
    const res = await base.rest('GET', `/api/events${query}`, { as: actor });
    expect(res.status).toBe(200);
    expect(res.body.meta.total).toBe(res.body.data.length);
    return res.body.data.map((e: { name: string }) => e.name);
  };
  const gqlList = async (filter: Record<string, unknown>): Promise<string[]> => {
    const data = gqlData(await base.gql('query($f: EventFilter) { events(filter: $f) { total items { name } } }', { f: filter }, { as: actor }));
    expect(data.events.total).toBe(data.events.items.length);
    return data.events.items.map((e: { name: string }) => e.name);
  };

  test('no filter and type=all list every event by start', async () => {
    const all = ['Long Ago', 'Last Night', 'Tomorrow Jazz', 'Far Future'];
    expect(await list('')).toEqual(all);
    expect(await list('?type=all')).toEqual(all);
    expect(await gqlList({ type: 'ALL' })).toEqual(all);
  });

  test('type=upcoming: starting now or later; type=past: started before now', async () => {
    expect(await list('?type=upcoming')).toEqual(['Tomorrow Jazz', 'Far Future']);
    expect(await list('?type=past')).toEqual(['Long Ago', 'Last Night']);
    expect(await gqlList({ type: 'UPCOMING' })).toEqual(['Tomorrow Jazz', 'Far Future']);
    expect(await gqlList({ type: 'PAST' })).toEqual(['Long Ago', 'Last Night']);
  });

  test('an unknown type is 400 naming type (REST) and a request error (GraphQL)', async () => {
    expectRestValidation(await base.rest('GET', '/api/events?type=soon', { as: actor }), ['type']);
    expectRestValidation(await base.rest('GET', '/api/events?type=ALL', { as: actor }), ['type']);
    expectGqlRequestError(await base.gql('{ events(filter: { type: SOON }) { total } }', {}, { as: actor }), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  test('status', async () => {
    expect(await list('?status=announced')).toEqual(['Far Future']);
    expect(await list('?status=draft')).toEqual(['Long Ago', 'Last Night', 'Tomorrow Jazz']);
    expect(await gqlList({ status: 'ANNOUNCED' })).toEqual(['Far Future']);
    expectRestValidation(await base.rest('GET', '/api/events?status=postponed', { as: actor }), ['status']);
  });

  test('venueId and artistId (in the lineup)', async () => {
    expect(await list(`?venueId=${hall.id}`)).toEqual(['Long Ago', 'Tomorrow Jazz']);
    expect(await list(`?artistId=${ada.id}`)).toEqual(['Long Ago', 'Last Night']);
    expect(await list(`?artistId=${bo.id}&venueId=${hall.id}`)).toEqual(['Tomorrow Jazz']);
    expect(await gqlList({ artistId: bo.id })).toEqual(['Last Night', 'Tomorrow Jazz']);
    expect(await list(`?artistId=${randomUUID()}`)).toEqual([]);
    expectRestValidation(await base.rest('GET', '/api/events?artistId=ada', { as: actor }), ['artistId']);
    expectRestValidation(await base.rest('GET', '/api/events?venueId=1', { as: actor }), ['venueId']);
  });

  test('from and to bound the start (a date-time, or a whole day)', async () => {
    expect(await list('?from=2021-01-01T00:00:00Z&to=2039-12-31T00:00:00Z')).toEqual(['Last Night', 'Tomorrow Jazz']);
    expect(await list('?to=2020-03-01')).toEqual(['Long Ago']);
    expect(await list('?from=2020-03-02')).toEqual(['Last Night', 'Tomorrow Jazz', 'Far Future']);
    expect(await gqlList({ from: '2039-01-01T00:00:00Z' })).toEqual(['Far Future']);
    expectRestValidation(await base.rest('GET', '/api/events?from=yesterday', { as: actor }), ['from']);
    expectRestValidation(await base.rest('GET', '/api/events?to=2020-02-30', { as: actor }), ['to']);
  });

  test('a day in from/to is a day in the company’s time zone (UTC until the company sets one)', async () => {
    const west = await freshCaller(base);
    // 22:00 on 1 June in Los Angeles is already 2 June in UTC.
    await createEvent(base, west, { name: 'Late Show', startsAt: '2031-06-02T05:00:00.000Z' });
    const names = async (query: string) => {
      const res = await base.rest('GET', `/api/events${query}`, { as: west });
      expect(res.status).toBe(200);
      return res.body.data.map((e: { name: string }) => e.name);
    };
    expect(await names('?from=2031-06-02&to=2031-06-02')).toEqual(['Late Show']);
    expect(await names('?to=2031-06-01')).toEqual([]);
    const tz = await base.rest('PUT', '/api/companies/current', { as: west, body: { timezone: 'America/Los_Angeles' } });
    expect(tz.status).toBe(200);
    expect(await names('?from=2031-06-01&to=2031-06-01')).toEqual(['Late Show']);
    expect(await names('?to=2031-06-01')).toEqual(['Late Show']);
    expect(await names('?from=2031-06-02')).toEqual([]);
    // A date-time is an instant whatever the zone.
    expect(await names('?from=2031-06-02T00:00:00Z')).toEqual(['Late Show']);
  });

  test('q: name contains, with type', async () => {
    expect(await list('?q=night')).toEqual(['Last Night']);
    expect(await list('?q=JAZZ&type=upcoming')).toEqual(['Tomorrow Jazz']);
    expect(await list('?q=jazz&type=past')).toEqual([]);
  });

  // Last in its group: it moves the clock past "Tomorrow Jazz".
  test('upcoming and past are read against the clock: an event is upcoming until it starts', async () => {
    const { startsAt } = (await base.rest('GET', '/api/events?q=Tomorrow', { as: actor })).body.data[0];
    base.clock.advanceTo(new Date(Date.parse(startsAt) - 60_000));
    expect(await list('?type=upcoming')).toEqual(['Tomorrow Jazz', 'Far Future']);
    base.clock.advanceTo(new Date(Date.parse(startsAt) + 1));
    expect(await list('?type=upcoming')).toEqual(['Far Future']);
    expect(await gqlList({ type: 'PAST' })).toEqual(['Long Ago', 'Last Night', 'Tomorrow Jazz']);
  });
});

describe('Event: fields', () => {
  test('doors, start and end out of order are 400 naming the field; nothing written or changed', async () => {
    const actor = await freshCaller(base);
    const body = { name: 'Times', startsAt: STARTS };
    expectRestValidation(await base.rest('POST', '/api/events', { as: actor, body: { ...body, doorsAt: '2031-06-01T21:00:00Z' } }), ['doorsAt']);
    expectRestValidation(await base.rest('POST', '/api/events', { as: actor, body: { ...body, endsAt: '2031-06-01T19:00:00Z' } }), ['endsAt']);
    expect(await rows(base, 'events', actor.companyId)).toBe(0);
    const event = await createEvent(base, actor, { ...body, doorsAt: '2031-06-01T19:00:00.000Z' });
    // Moving the start before the doors names the start.
    expectRestValidation(await base.rest('PUT', `/api/events/${event.id}`, { as: actor, body: { startsAt: '2031-06-01T18:00:00Z' } }), ['startsAt']);
    expect((await base.rest('GET', `/api/events/${event.id}`, { as: actor })).body.data).toEqual(event);
  });

  test('capacity above 0, taxRate within 0..10000 bp, a known currency; else 400 naming each', async () => {
    const actor = await freshCaller(base);
    const res = await base.rest('POST', '/api/events', { as: actor, body: { name: 'Bad', startsAt: STARTS, capacity: 0, taxRate: 10_001, currency: 'XYZ' } });
    expectRestValidation(res, ['capacity', 'taxRate', 'currency']);
  });

  test("the lineup: the company's artists in order, each once; another company's artist or an unknown id is 400 naming lineup", async () => {
    const actor = await freshCaller(base);
    const outsider = await freshCaller(base);
    const mine = [await createArtist(base, actor, 'Zed'), await createArtist(base, actor, 'Amy'), await createArtist(base, actor, 'Kai')];
    const theirs = await createArtist(base, outsider, 'Theirs');
    const event = await createEvent(base, actor, { lineup: mine.map((a) => a.id) });
    expect(event.lineup).toEqual(mine.map((a) => a.id));
    const data = gqlData(await base.gql(`{ event(id: "${event.id}") { lineup { id name } } }`, {}, { as: actor }));
    expect(data.event.lineup).toEqual(mine.map((a) => ({ id: a.id, name: a.name })));

    for (const lineup of [[mine[0].id, theirs.id], [randomUUID()], [mine[0].id, mine[0].id], ['not-an-id']]) {
      expectRestValidation(await base.rest('POST', '/api/events', { as: actor, body: { name: 'X', startsAt: STARTS, lineup } }), ['lineup']);
      expectRestValidation(await base.rest('PUT', `/api/events/${event.id}`, { as: actor, body: { lineup } }), ['lineup']);
    }
    expect(await rows(base, 'events', actor.companyId)).toBe(1);
    const reordered = await base.rest('PUT', `/api/events/${event.id}`, { as: actor, body: { lineup: [mine[2].id, mine[0].id] } });
    expect(reordered.body.data.lineup).toEqual([mine[2].id, mine[0].id]);
  });

  test('an artist still in a lineup cannot be deleted (409 naming events); out of it, it can', async () => {
    const actor = await freshCaller(base);
    const artist = await createArtist(base, actor, 'Booked');
    const event = await createEvent(base, actor, { lineup: [artist.id] });
    const refused = expectRestError(await base.rest('DELETE', `/api/artists/${artist.id}`, { as: actor }), 409, 'CONFLICT');
    expect(refused.details).toEqual([{ referencedBy: 'events', field: 'lineup', count: 1 }]);
    expect(await rows(base, 'artists', actor.companyId)).toBe(1);
    await base.rest('PUT', `/api/events/${event.id}`, { as: actor, body: { lineup: [] } });
    expect((await base.rest('DELETE', `/api/artists/${artist.id}`, { as: actor })).status).toBe(204);
  });

  test("another company's venue is 400 naming venueId", async () => {
    const actor = await freshCaller(base);
    const theirs = await createVenue(base, await freshCaller(base));
    const res = await base.rest('POST', '/api/events', { as: actor, body: { name: 'X', startsAt: STARTS, venueId: theirs.id } });
    expect(expectRestValidation(res, ['venueId'])[0].message).toContain('no such venue');
  });

  test('an event with ticket tiers cannot be deleted (409 naming tickets)', async () => {
    const actor = await freshCaller(base);
    const event = await createEvent(base, actor);
    await createTier(base, actor, event.id);
    const refused = expectRestError(await base.rest('DELETE', `/api/events/${event.id}`, { as: actor }), 409, 'CONFLICT');
    expect(refused.details).toEqual([{ referencedBy: 'tickets', field: 'eventId', count: 1 }]);
    expect(await rows(base, 'events', actor.companyId)).toBe(1);
  });
});

describe('Event.venue, Event.lineup, Event.tickets', () => {
  let actor: Caller;
  let event: { id: string };

  beforeAll(async () => {
    actor = await freshCaller(base);
    const venue = await createVenue(base, actor, 'Arena');
    const a = await createArtist(base, actor, 'Top');
    const b = await createArtist(base, actor, 'Opener');
    event = await createEvent(base, actor, { name: 'Big Show', venueId: venue.id, lineup: [a.id, b.id] });
    await createTier(base, actor, event.id, { name: 'Standing' });
    await createTier(base, actor, event.id, { name: 'Balcony' });
  });

  const QUERY = '{ events { items { name venue { name } lineup { name } tickets { total items { name } } } } }';

  test('with every view permission: the venue, the artists in order, the tiers by name', async () => {
    expect(gqlData(await base.gql(QUERY, {}, { as: actor })).events.items).toEqual([
      {
        name: 'Big Show',
        venue: { name: 'Arena' },
        lineup: [{ name: 'Top' }, { name: 'Opener' }],
        tickets: { total: 2, items: [{ name: 'Balcony' }, { name: 'Standing' }] },
      },
    ]);
  });

  test.each([
    ['basic.ticket.view', 'tickets', { venue: { name: 'Arena' }, lineup: [{ name: 'Top' }, { name: 'Opener' }], tickets: null }],
    ['basic.artist.view', 'lineup', { venue: { name: 'Arena' }, lineup: null, tickets: { total: 2, items: [{ name: 'Balcony' }, { name: 'Standing' }] } }],
    ['basic.venue.view', 'venue', { venue: null, lineup: [{ name: 'Top' }, { name: 'Opener' }], tickets: { total: 2, items: [{ name: 'Balcony' }, { name: 'Standing' }] } }],
  ])('without %s: %s is null with FORBIDDEN on its path, the rest arrives', async (missing, field, expected) => {
    const all = ['basic.event.view', 'basic.ticket.view', 'basic.artist.view', 'basic.venue.view'];
    const viewer = await base.caller(all.filter((p) => p !== missing), { company: actor.companyId });
    const res = await base.gql(QUERY, {}, { as: viewer });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ events: { items: [{ name: 'Big Show', ...expected }] } });
    expect((res.body.errors ?? []).map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['events', 'items', 0, field]]]);
  });

  test('an events page with venue, lineup and tickets costs the same statements for 20 events as for 5', async () => {
    const busy = await freshCaller(base);
    const venues = [await createVenue(base, busy, 'V1'), await createVenue(base, busy, 'V2')];
    const artists = [await createArtist(base, busy, 'A1'), await createArtist(base, busy, 'A2'), await createArtist(base, busy, 'A3')];
    for (let i = 0; i < 20; i++) {
      const e = await createEvent(base, busy, {
        name: `Event ${String(i).padStart(2, '0')}`,
        venueId: venues[i % 2].id,
        lineup: [artists[i % 3].id, artists[(i + 1) % 3].id],
      });
      await createTier(base, busy, e.id, { name: 'Tier A' });
      await createTier(base, busy, e.id, { name: 'Tier B' });
    }
    const query = (limit: number) => `{ events(limit: ${limit}) { items { name venue { name } lineup { name } tickets { total items { name sold } } } } }`;
    const statementsFor = async (limit: number) => {
      const before = base.statements();
      const data = gqlData(await base.gql(query(limit), {}, { as: busy }));
      return { count: base.statements() - before, items: data.events.items };
    };
    await statementsFor(2); // warm-up
    const twenty = await statementsFor(20);
    const five = await statementsFor(5);
    expect(twenty.items).toHaveLength(20);
    for (const [i, item] of twenty.items.entries()) {
      expect(item).toEqual({
        name: `Event ${String(i).padStart(2, '0')}`,
        venue: { name: venues[i % 2].name },
        lineup: [{ name: artists[i % 3].name }, { name: artists[(i + 1) % 3].name }],
        tickets: { total: 2, items: [{ name: 'Tier A', sold: 0 }, { name: 'Tier B', sold: 0 }] },
      });
    }
    expect(five.items).toHaveLength(5);
    expect({ twenty: twenty.count }).toEqual({ twenty: five.count });
    // The page, venues, artists, tiers: each one read unit of BEGIN + statement + COMMIT, and the count.
    expect(twenty.count).toBeLessThanOrEqual(4 * 3 + 2);
    expect(twenty.count).toBeGreaterThan(0);
  });
});

describe('Event machine', () => {
  const reachBy: Record<string, string[]> = {
    draft: [],
    announced: ['announce'],
    on_sale: ['openSales'],
    sold_out: ['openSales', 'soldOut'],
    cancelled: ['cancel'],
    completed: ['announce', 'complete'],
  };
  stateMachineSuite({
    base,
    family: eventFamily,
    caller: () => base.caller(),
    path: (id) => `/api/events/${id}`,
    async reach(actor, state) {
      const event = await createEvent(base, actor, { name: `In ${state}` });
      if (state === 'settled') {
        // No action reaches it yet (settlement will): written as the settlement step would.
        await base.sql(`UPDATE "${base.schema}".events SET status = 'settled' WHERE id = $1`, [event.id]);
        return event.id;
      }
      for (const action of reachBy[state]) {
        const res = await base.rest('POST', `/api/events/${event.id}/${action}`, { as: actor, body: {} });
        if (res.status !== 200) throw new Error(`${action} failed: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return event.id;
    },
  });

  test('GraphQL names of the actions: announceEvent, openSalesEvent, soldOutEvent, cancelEvent, completeEvent, settleEvent; only settle reaches settled', async () => {
    const actor = await freshCaller(base);
    const event = await createEvent(base, actor);
    const moved = gqlData(await base.gql(`mutation { openSalesEvent(id: "${event.id}") { status version } }`, {}, { as: actor }));
    expect(moved.openSalesEvent).toEqual({ status: 'ON_SALE', version: 2 });
    expect(eventFamily.actions.map((a) => a.name).sort()).toEqual(['announce', 'cancel', 'complete', 'openSales', 'settle', 'soldOut']);
    // Settled is reached only by settlement (test/events/settlement.test.ts), from completed.
    expect(eventFamily.actions.filter((a) => a.from?.includes('completed')).map((a) => a.name)).toEqual(['settle']);
    expectGqlError(await base.gql(`mutation { completeEvent(id: "${randomUUID()}") { id } }`, {}, { as: actor }), 'NOT_FOUND', ['completeEvent']);
  });
});
