import { offerFamily } from '../../src/modules/offers';
import { expectGqlError, expectGqlValidation, expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { allBut, createVia, freshCaller, NO_SUCH_ID, rowsWhere } from '../support/fixtures';
import { Caller, useTestBase } from '../support/harness';
import { stateMachineSuite } from '../support/state-machine-suite';

/**
 * Offers (`/api/offers`, `basic.offer.*`): deal validation per type, draft-only edits, the machine
 * send → accept | decline, withdraw; accept in one transaction (agreement + the slot's first hold
 * confirmed, or nothing); events naming who they affect; relations; filters; tenancy.
 */
const base = useTestBase();
let admin: Caller;
let day = 0;
/** A day no other test of the file uses. */
const freshDate = () => `2032-${String((Math.floor(day / 28) % 12) + 1).padStart(2, '0')}-${String((day++ % 28) + 1).padStart(2, '0')}`;
/** `hours` ahead of the Base's clock. */
const future = (hours = 24) => new Date(base.clock.now().getTime() + hours * 3_600_000).toISOString();

beforeAll(async () => {
  admin = await base.caller();
});

/* eslint-disable @typescript-eslint/no-explicit-any */
const venue = async (actor = admin) => (await createVia(base, actor, '/api/venues', { name: 'Hall' })).id as string;
const artist = async (actor = admin) => (await createVia(base, actor, '/api/artists', { name: 'Band' })).id as string;
const event = async (actor = admin) => (await createVia(base, actor, '/api/events', { name: 'Show', startsAt: '2033-06-15T20:00:00Z' })).id as string;
/** A flat offer on a new venue's fresh day unless the body says otherwise. */
const offer = async (body: Record<string, unknown> = {}, actor = admin) =>
  createVia(base, actor, '/api/offers', { artistId: await artist(actor), venueId: await venue(actor), date: freshDate(), dealType: 'flat', guarantee: 100000, ...body });
const act = (id: string, action: string, actor = admin) => base.rest('POST', `/api/offers/${id}/${action}`, { as: actor, body: {} });
const read = async (id: string, actor = admin) => (await base.rest('GET', `/api/offers/${id}`, { as: actor })).body.data;
const events = (id: string) =>
  base.sql<{ type: string; payload: any; actor_id: string }>(`SELECT type, payload, actor_id FROM "${base.schema}".domain_events WHERE entity_id = $1 ORDER BY occurred_at, id`, [id]);
const sent = async (body: Record<string, unknown> = {}, actor = admin) => {
  const made = await offer(body, actor);
  expect((await act(made.id, 'send', actor)).status).toBe(200);
  return made;
};
const holdsOf = (venueId: string, date: string) =>
  base.sql<{ id: string; status: string; hold_level: number }>(
    `SELECT id, status, hold_level FROM "${base.schema}".avails WHERE venue_id = $1 AND date = $2 ORDER BY created_at, id`,
    [venueId, date],
  );

describe('create and edit', () => {
  test('every field round-trips on REST; the currency defaults to the company’s', async () => {
    const artistId = await artist();
    const venueId = await venue();
    const expiresAt = future(72);
    const eventId = await event();
    const body = {
      artistId,
      venueId,
      date: '2032-06-01',
      eventId,
      dealType: 'versus',
      currency: 'GBP',
      guarantee: 150000,
      percentage: 8000,
      percentageOf: 'net',
      expenseCap: 50000,
      promoterProfit: 1500,
      ticketPrice: 2500,
      schedule: { loadIn: '14:00', soundcheck: '16:30', doors: '19:00', set: '21:00', curfew: '23:00', setLength: 90 },
      radius: { km: 100, days: 30 },
      expiresAt,
      terms: 'Hospitality rider attached.',
    };
    const res = await base.rest('POST', '/api/offers', { as: admin, body });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ ...body, status: 'draft', agreementId: null, version: 1, createdBy: admin.userId });
    const minimal = await offer({ artistId });
    expect(minimal).toMatchObject({ currency: 'EUR', status: 'draft', percentage: null, schedule: null, radius: null, eventId: null });
    // An offer for an event needs no venue or date.
    expect(await createVia(base, admin, '/api/offers', { artistId, eventId: await event(), dealType: 'door', percentage: 7000, percentageOf: 'gross' })).toMatchObject({
      venueId: null,
      date: null,
    });
  });

  test('GraphQL: createOffer with enums, and the relations artist, venue and agreement', async () => {
    const artistId = await artist();
    const venueId = await venue();
    const made = await base.gql(
      `mutation($i: OfferCreateInput!) { createOffer(input: $i) { id status dealType percentageOf schedule { doors setLength } artist { id name } venue { id } agreement { id } } }`,
      { i: { artistId, venueId, date: freshDate(), dealType: 'PLUS', guarantee: 1000, percentage: 5000, percentageOf: 'GROSS', schedule: { doors: '19:00', setLength: 60 } } },
      { as: admin },
    );
    expect(gqlData(made).createOffer).toMatchObject({
      status: 'DRAFT',
      dealType: 'PLUS',
      percentageOf: 'GROSS',
      schedule: { doors: '19:00', setLength: 60 },
      artist: { id: artistId, name: 'Band' },
      venue: { id: venueId },
      agreement: null,
    });
  });

  const invalid: [string, Record<string, unknown>, string[]][] = [
    ['a versus deal without percentage', { dealType: 'versus', percentageOf: 'gross' }, ['percentage']],
    ['a versus deal without percentage, percentageOf or guarantee', { dealType: 'versus', guarantee: null }, ['guarantee', 'percentage', 'percentageOf']],
    ['a flat deal without guarantee', { dealType: 'flat', guarantee: null }, ['guarantee']],
    ['a plus deal without percentageOf', { dealType: 'plus', percentage: 5000 }, ['percentageOf']],
    ['a door deal without percentage', { dealType: 'door', guarantee: null, percentageOf: 'net' }, ['percentage']],
    ['a percentage above 10000 bp', { dealType: 'door', percentage: 10001, percentageOf: 'net' }, ['percentage']],
    ['a negative promoterProfit', { promoterProfit: -1 }, ['promoterProfit']],
    ['an unknown dealType', { dealType: 'barter' }, ['dealType']],
    ['no event, venue or date', { venueId: null, date: null }, ['venueId', 'date']],
    ['schedule times out of order', { schedule: { loadIn: '15:00', soundcheck: '14:00', doors: '19:00', set: '18:00' } }, ['schedule.soundcheck', 'schedule.set']],
    ['a zero setLength and a malformed time', { schedule: { setLength: 0, doors: '7pm' } }, ['schedule.setLength', 'schedule.doors']],
    ['a radius without days', { radius: { km: 10 } }, ['radius.days']],
    ['an expiresAt in the past', { expiresAt: '2001-01-01T00:00:00Z' }, ['expiresAt']],
    ['a negative guarantee', { guarantee: -5 }, ['guarantee']],
  ];
  test.each(invalid)('%s is 400 naming the fields; nothing written', async (_case, change, fields) => {
    const actor = await freshCaller(base);
    const body = { artistId: await artist(actor), venueId: await venue(actor), date: freshDate(), dealType: 'flat', guarantee: 1000, ...change };
    expectRestValidation(await base.rest('POST', '/api/offers', { as: actor, body }), fields);
    expect(await rowsWhere(base, 'offers', { company_id: actor.companyId })).toBe(0);
  });

  test('GraphQL: a versus deal without percentage is VALIDATION_FAILED naming it', async () => {
    const res = await base.gql(`mutation($i: OfferCreateInput!) { createOffer(input: $i) { id } }`, {
      i: { artistId: await artist(), venueId: await venue(), date: freshDate(), dealType: 'VERSUS', guarantee: 100, percentageOf: 'NET' },
    }, { as: admin });
    expectGqlValidation(res, ['createOffer'], ['percentage']);
  });

  test('an update is checked against the whole offer: a switch to versus needs a percentage', async () => {
    const made = await offer();
    expectRestValidation(await base.rest('PUT', `/api/offers/${made.id}`, { as: admin, body: { dealType: 'versus' } }), ['percentage', 'percentageOf']);
    const ok = await base.rest('PUT', `/api/offers/${made.id}`, { as: admin, body: { dealType: 'versus', percentage: 6000, percentageOf: 'gross', version: 1 } });
    expect(ok.body.data).toMatchObject({ dealType: 'versus', percentage: 6000, version: 2 });
    expectRestValidation(await base.rest('PUT', `/api/offers/${made.id}`, { as: admin, body: { schedule: { doors: '20:00', curfew: '19:00' } } }), ['schedule.curfew']);
  });

  test('only a draft is editable or deletable: 409 otherwise, nothing changes', async () => {
    const made = await sent();
    const before = await read(made.id);
    expect(expectRestError(await base.rest('PUT', `/api/offers/${made.id}`, { as: admin, body: { terms: 'changed' } }), 409, 'CONFLICT').message).toContain('only a draft');
    expectRestError(await base.rest('DELETE', `/api/offers/${made.id}`, { as: admin }), 409, 'CONFLICT');
    const gql = await base.gql(`mutation($id: ID!) { updateOffer(id: $id, input: { terms: "x" }) { id } }`, { id: made.id }, { as: admin });
    expectGqlError(gql, 'CONFLICT', ['updateOffer']);
    expect(await read(made.id)).toEqual(before);
    const draft = await offer();
    expect((await base.rest('DELETE', `/api/offers/${draft.id}`, { as: admin })).status).toBe(204);
    expect((await base.rest('GET', `/api/offers/${draft.id}/history`, { as: admin })).body.data.map((e: any) => e.type)).toEqual(['offer.deleted', 'offer.created']);
  });
});

describe('accept', () => {
  test('one transaction: the agreement (draft, the terms kept) and a hold placed and confirmed on the free day', async () => {
    const made = await sent({ dealType: 'versus', percentage: 7000, percentageOf: 'net', schedule: { doors: '19:00' }, terms: 'Rider' });
    const res = await act(made.id, 'accept');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'accepted', agreementId: expect.any(String) });
    const agreement = (await base.rest('GET', `/api/agreements/${res.body.data.agreementId}`, { as: admin })).body.data;
    expect(agreement).toMatchObject({
      offerId: made.id,
      artistId: made.artistId,
      status: 'draft',
      terms: { dealType: 'versus', guarantee: 100000, percentage: 7000, percentageOf: 'net', schedule: { doors: '19:00' }, terms: 'Rider', date: made.date, offeredBy: admin.userId },
    });
    expect(await holdsOf(made.venueId, made.date)).toEqual([expect.objectContaining({ status: 'confirmed', hold_level: 1 })]);
    // Later edits of nothing can change the snapshot: the offer is no longer editable at all.
    expectRestError(await base.rest('PUT', `/api/offers/${made.id}`, { as: admin, body: { guarantee: 1 } }), 409, 'CONFLICT');
  });

  test('the first hold of the day is confirmed and the rest of the ladder released', async () => {
    const made = await sent();
    const holds = [];
    for (let i = 0; i < 3; i++) holds.push(await createVia(base, admin, '/api/avails', { venueId: made.venueId, date: made.date }));
    expect((await act(made.id, 'accept')).status).toBe(200);
    expect((await holdsOf(made.venueId, made.date)).map((h) => [h.id, h.status])).toEqual([
      [holds[0].id, 'confirmed'],
      [holds[1].id, 'released'],
      [holds[2].id, 'released'],
    ]);
  });

  test('another hold already confirmed on the day: 409, and nothing of the acceptance is kept', async () => {
    const made = await sent();
    const other = await createVia(base, admin, '/api/avails', { venueId: made.venueId, date: made.date });
    expect((await base.rest('POST', `/api/avails/${other.id}/confirm`, { as: admin })).status).toBe(200);
    const waiting = await createVia(base, admin, '/api/avails', { venueId: made.venueId, date: made.date });
    const before = await read(made.id);
    const eventsBefore = await base.sql(`SELECT count(*)::int AS n FROM "${base.schema}".domain_events`);

    const res = await act(made.id, 'accept');
    expect(expectRestError(res, 409, 'CONFLICT').message).toContain('already confirmed');
    const gql = await base.gql(`mutation($id: ID!) { acceptOffer(id: $id) { id } }`, { id: made.id }, { as: admin });
    expectGqlError(gql, 'CONFLICT', ['acceptOffer']);

    expect(await read(made.id)).toEqual(before);
    expect(await rowsWhere(base, 'agreements', { offer_id: made.id })).toBe(0);
    expect(await base.sql(`SELECT count(*)::int AS n FROM "${base.schema}".domain_events`)).toEqual(eventsBefore);
    expect((await events(made.id)).map((e) => e.type)).toEqual(['offer.created', 'offer.sent']);
    expect((await holdsOf(made.venueId, made.date)).map((h) => [h.id, h.status, h.hold_level])).toEqual([
      [other.id, 'confirmed', 1],
      [waiting.id, 'held', 1],
    ]);
  });

  test('two offers for one day accepted at once: one wins, the other is 409 and leaves nothing', async () => {
    for (let round = 0; round < 3; round++) {
      const first = await sent();
      const second = await sent({ venueId: first.venueId, date: first.date });
      const answers = await Promise.all([act(first.id, 'accept'), act(second.id, 'accept')]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const loser = answers[0].status === 409 ? first : second;
      expect((await read(loser.id)).status).toBe('sent');
      expect(await rowsWhere(base, 'agreements', { offer_id: loser.id })).toBe(0);
      expect((await holdsOf(first.venueId, first.date)).map((h) => h.status)).toEqual(['confirmed']);
    }
  });

  test('an offer for an event without a day makes the agreement and holds nothing', async () => {
    const eventId = await event();
    const made = await sent({ venueId: null, date: null, eventId });
    const res = await act(made.id, 'accept');
    expect(res.body.data).toMatchObject({ status: 'accepted' });
    expect(await rowsWhere(base, 'agreements', { offer_id: made.id, event_id: eventId })).toBe(1);
    expect(await rowsWhere(base, 'avails', { event_id: eventId })).toBe(0);
  });

  test('GraphQL: Offer.agreement and Agreement.offer after acceptance, each under its own view permission', async () => {
    const made = await sent();
    expect((await act(made.id, 'accept')).status).toBe(200);
    const query = `query($id: ID!) { offer(id: $id) { id agreement { id status offer { id } artist { id } } } }`;
    const data = gqlData(await base.gql(query, { id: made.id }, { as: admin }));
    expect(data.offer.agreement).toMatchObject({ status: 'DRAFT', offer: { id: made.id }, artist: { id: made.artistId } });
    const noAgreements = await base.caller(allBut('basic.agreement.view'));
    const denied = await base.gql(query, { id: made.id }, { as: noAgreements });
    expect(denied.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['offer', 'agreement']]]);
    expect(denied.body.data?.offer).toEqual({ id: made.id, agreement: null });
  });
});

describe('events and expiry', () => {
  test('each move is recorded once, naming who made the offer; a refused move records nothing', async () => {
    const maker = await base.caller();
    const made = await offer({}, maker);
    const other = await base.caller();
    expect((await act(made.id, 'send', other)).status).toBe(200);
    expect((await act(made.id, 'send', other)).status).toBe(409);
    expect((await act(made.id, 'decline', other)).status).toBe(200);
    expect(await events(made.id)).toEqual([
      { type: 'offer.created', payload: expect.any(Object), actor_id: maker.userId },
      { type: 'offer.sent', payload: { from: 'draft', to: 'sent', affects: [maker.userId] }, actor_id: other.userId },
      { type: 'offer.declined', payload: { from: 'sent', to: 'declined', affects: [maker.userId] }, actor_id: other.userId },
    ]);
    const accepted = await sent({}, maker);
    expect((await act(accepted.id, 'accept', other)).status).toBe(200);
    expect((await events(accepted.id)).at(-1)).toMatchObject({ type: 'offer.accepted', payload: { from: 'sent', to: 'accepted', affects: [maker.userId] } });
    const withdrawn = await offer({}, maker);
    expect((await act(withdrawn.id, 'withdraw', other)).status).toBe(200);
    expect((await events(withdrawn.id)).at(-1)).toMatchObject({ type: 'offer.withdrawn', payload: { affects: [maker.userId] } });
  });

  test('a sent offer past expiresAt (by the clock) reads expired on both surfaces and in the status filter, and cannot be accepted', async () => {
    const actor = await freshCaller(base);
    const made = await sent({ expiresAt: future(1) }, actor);
    const live = await sent({ expiresAt: future() }, actor);
    const ids = async (q: string) => (await base.rest('GET', `/api/offers?${q}`, { as: actor })).body.data.map((o: any) => o.id);
    base.clock.advance(3_600_000 - 60_000); // a minute before it expires
    expect((await read(made.id, actor)).status).toBe('sent');
    expect(await ids('status=expired')).toEqual([]);
    base.clock.advance(60_000);
    expect((await read(made.id, actor)).status).toBe('expired');
    expect(gqlData(await base.gql(`query($id: ID!) { offer(id: $id) { status } }`, { id: made.id }, { as: actor })).offer.status).toBe('EXPIRED');
    expect(await ids('status=expired')).toEqual([made.id]);
    expect(await ids('status=sent')).toEqual([live.id]);
    expect(expectRestError(await act(made.id, 'accept', actor), 409, 'CONFLICT').message).toContain('is expired');
  });

  test('a draft whose expiresAt the clock has passed cannot be sent', async () => {
    const made = await offer({ expiresAt: future(1) });
    base.clock.advance(3_600_000);
    expectRestValidation(await act(made.id, 'send'), ['expiresAt']);
    expect((await read(made.id)).status).toBe('draft');
  });
});

describe('filters', () => {
  test('from and to bound the day; artistId, eventId and status narrow it; both surfaces', async () => {
    const actor = await freshCaller(base);
    const artistId = await artist(actor);
    const venueId = await venue(actor);
    const make = (date: string, extra: Record<string, unknown> = {}) => createVia(base, actor, '/api/offers', { artistId, venueId, date, dealType: 'flat', guarantee: 1, ...extra });
    const may = await make('2033-05-10');
    const eventId = await event(actor);
    const june = await make('2033-06-15', { eventId });
    const july = await make('2033-07-20');
    const other = await offer({ date: '2033-06-16' }, actor);
    expect((await act(july.id, 'send', actor)).status).toBe(200);
    const ids = async (q: string) => {
      const res = await base.rest('GET', `/api/offers?${q}`, { as: actor });
      expect(res.status).toBe(200);
      return res.body.data.map((o: any) => o.id);
    };
    expect(await ids('')).toEqual([may.id, june.id, other.id, july.id]);
    expect(await ids('from=2033-06-01&to=2033-06-30')).toEqual([june.id, other.id]);
    expect(await ids('from=2033-06-16')).toEqual([other.id, july.id]);
    expect(await ids('to=2033-05-10')).toEqual([may.id]);
    expect(await ids(`artistId=${artistId}&from=2033-06-01`)).toEqual([june.id, july.id]);
    expect(await ids(`eventId=${eventId}`)).toEqual([june.id]);
    expect(await ids('status=sent')).toEqual([july.id]);
    expectRestValidation(await base.rest('GET', '/api/offers?from=2033-02-30&status=pending', { as: actor }), ['from', 'status']);
    const gql = gqlData(await base.gql(`{ offers(filter: { from: "2033-06-01", to: "2033-07-31", status: DRAFT }) { total items { id } } }`, {}, { as: actor }));
    expect(gql.offers).toEqual({ total: 2, items: [{ id: june.id }, { id: other.id }] });
  });
});

describe('permissions and tenancy', () => {
  test('each route and action needs its permission', async () => {
    const made = await offer();
    const body = { artistId: made.artistId, venueId: made.venueId, date: freshDate(), dealType: 'flat', guarantee: 1 };
    const cases: [string, string, string, unknown?][] = [
      ['basic.offer.view', 'GET', `/api/offers/${made.id}`],
      ['basic.offer.view', 'GET', '/api/offers'],
      ['basic.offer.view', 'GET', `/api/offers/${made.id}/history`],
      ['basic.offer.create', 'POST', '/api/offers', body],
      ['basic.offer.edit', 'PUT', `/api/offers/${made.id}`, { terms: 'x' }],
      ['basic.offer.delete', 'DELETE', `/api/offers/${made.id}`],
      ...['send', 'accept', 'decline', 'withdraw'].map((a): [string, string, string, unknown] => ['basic.offer.edit', 'POST', `/api/offers/${made.id}/${a}`, {}]),
    ];
    for (const [permission, method, path, payload] of cases) {
      const lacking = await base.caller(allBut(permission));
      expect({ path, method, status: (await base.rest(method, path, { as: lacking, body: payload })).status }).toEqual({ path, method, status: 403 });
    }
    const viewer = await base.caller(['basic.offer.view']);
    expectGqlError(await base.gql(`mutation($id: ID!) { sendOffer(id: $id) { id } }`, { id: made.id }, { as: viewer }), 'FORBIDDEN', ['sendOffer']);
    expect((await read(made.id)).version).toBe(1);
  });

  test("another company's offer is absent on every route; another company's artist or venue is refused naming it", async () => {
    const outsider = await base.caller(undefined, { company: base.companyB });
    const theirs = await offer({}, outsider);
    for (const [method, path] of [
      ['GET', `/api/offers/${theirs.id}`],
      ['PUT', `/api/offers/${theirs.id}`],
      ['DELETE', `/api/offers/${theirs.id}`],
      ['GET', `/api/offers/${theirs.id}/history`],
      ['POST', `/api/offers/${theirs.id}/send`],
    ]) {
      expectRestError(await base.rest(method, path, { as: admin, body: method === 'PUT' ? { terms: 'x' } : method === 'POST' ? {} : undefined }), 404, 'NOT_FOUND');
    }
    expect(gqlData(await base.gql(`query($id: ID!) { offer(id: $id) { id } }`, { id: theirs.id }, { as: admin })).offer).toBeNull();
    const byArtist = await base.rest('POST', '/api/offers', { as: admin, body: { artistId: theirs.artistId, venueId: await venue(), date: freshDate(), dealType: 'flat', guarantee: 1 } });
    expectRestValidation(byArtist, ['artistId']);
    const byVenue = await base.rest('POST', '/api/offers', { as: admin, body: { artistId: await artist(), venueId: theirs.venueId, date: freshDate(), dealType: 'flat', guarantee: 1 } });
    expectRestValidation(byVenue, ['venueId']);
    expect((await read(theirs.id, outsider)).status).toBe('draft');
  });
});

describe('Offer machine', () => {
  stateMachineSuite({
    base,
    family: offerFamily,
    caller: () => base.caller(),
    path: (id) => `/api/offers/${id}`,
    async reach(actor, state) {
      const made = await offer(state === 'expired' ? { expiresAt: future() } : {}, actor);
      if (state === 'draft') return made.id;
      expect((await act(made.id, 'send', actor)).status).toBe(200);
      const move = { accepted: 'accept', declined: 'decline', withdrawn: 'withdraw' }[state as string];
      if (move) expect((await act(made.id, move, actor)).status).toBe(200);
      if (state === 'expired') await base.sql(`UPDATE "${base.schema}".offers SET expires_at = $2 WHERE id = $1`, [made.id, new Date(base.clock.now().getTime() - 60_000)]);
      return made.id;
    },
  });
});

describe('Offer.event and Avail.event', () => {
  test('an offer or hold names an event of its own company: none or another company\u2019s is 400 naming eventId', async () => {
    const artistId = await artist();
    const outsider = await base.caller(undefined, { company: base.companyB });
    for (const eventId of [NO_SUCH_ID, await event(outsider)]) {
      expectRestValidation(await base.rest('POST', '/api/offers', { as: admin, body: { artistId, eventId, dealType: 'flat', guarantee: 1 } }), ['eventId']);
      expectRestValidation(await base.rest('POST', '/api/avails', { as: admin, body: { artistId, date: '2033-09-01', eventId } }), ['eventId']);
    }
  });

  test('GraphQL reads the event of an offer and of a hold, under the event\u2019s view permission', async () => {
    const artistId = await artist();
    const eventId = await event();
    const made = await offer({ artistId, eventId });
    const held = await createVia(base, admin, '/api/avails', { artistId, date: '2033-09-02', eventId });
    const q = `query($o: ID!, $h: ID!) { offer(id: $o) { event { id name } } avail(id: $h) { event { id } } }`;
    const answer = await base.gql(q, { o: made.id, h: held.id }, { as: admin });
    expect(answer.body).toEqual({ data: { offer: { event: { id: eventId, name: 'Show' } }, avail: { event: { id: eventId } } } });
    const noEvents = await base.caller(['basic.offer.view', 'basic.avail.view']);
    const denied = await base.gql(q, { o: made.id, h: held.id }, { as: noEvents });
    expect(denied.body.data).toEqual({ offer: { event: null }, avail: { event: null } });
    expect(denied.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });
});
