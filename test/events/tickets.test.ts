import { randomUUID } from 'node:crypto';
import { Caller, useTestBase } from '../support/harness';
import { expectGqlError, expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { familySuite } from '../support/family-suite';
import { freshCaller, rows } from '../support/fixtures';
import { createEvent, createTier, eventOnSale } from './support';

/**
 * Ticket tiers (`/api/events/{eventId}/tickets`, `basic.ticket.*`): the nested family contract, sales
 * that never oversell under concurrency, refunds that never go below zero, seats within the
 * quantity (CHECK → 409), all tiers within the event's capacity (decided under the event's lock),
 * the event's currency, and tiers of another company unreachable by any path.
 */
const base = useTestBase();

const SELECTION = 'id createdAt updatedAt createdBy version eventId name price currency fee quantity sold comps kills status';
const upperStatus = (record: Record<string, unknown>) =>
  typeof record.status === 'string' ? { ...record, status: record.status.toUpperCase() } : record;

familySuite(base, {
  resource: 'ticket',
  typeName: 'Ticket',
  singular: 'ticket',
  plural: 'tickets',
  path: '/api/events/:parent/tickets',
  table: 'tickets',
  label: 'name',
  search: true,
  parent: { key: 'eventId', create: async (b, actor) => (await createEvent(b, actor, { currency: 'GBP' })).id },
  fullBody: async () => ({
    name: 'Early Bird',
    price: 2250,
    currency: 'GBP',
    fee: 175,
    quantity: 200,
    sold: 12,
    comps: 4,
    kills: 2,
    status: 'on_sale',
  }),
  minimalBody: (name) => ({ name, price: 3000, quantity: 50 }),
  minimalDefaults: { currency: 'GBP', fee: null, sold: 0, comps: 0, kills: 0, status: 'on_sale' },
  toGraphql: upperStatus,
  graphqlInput: ({ status: _status, ...rest }) => rest,
  selection: SELECTION,
  clearable: 'fee',
});

const sell = (actor: Caller, eventId: string, id: string, quantity: unknown) =>
  base.rest('POST', `/api/events/${eventId}/tickets/${id}/sales`, { as: actor, body: { quantity } });
const readTier = async (actor: Caller, eventId: string, id: string) => (await base.rest('GET', `/api/events/${eventId}/tickets/${id}`, { as: actor })).body.data;
const storedSold = async (id: string) => (await base.sql<{ sold: number }>(`SELECT sold FROM "${base.schema}".tickets WHERE id = $1`, [id]))[0].sold;

describe('Ticket: sales', () => {
  test('concurrent sales at the last seats: never more than the allocation; every refused sale is a 409 that changed nothing', async () => {
    const actor = await freshCaller(base);
    const event = await eventOnSale(base, actor);
    // 10 seats left: 20 sold, 5 comps, 5 kills of 40.
    const tier = await createTier(base, actor, event.id, { quantity: 40, sold: 20, comps: 5, kills: 5 });
    const sizes = [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 4, 4, 4];
    const answers = await Promise.all(sizes.map((q) => sell(actor, event.id, tier.id, q)));
    const won = sizes.filter((_, i) => answers[i].status === 200);
    for (const answer of answers.filter((a) => a.status !== 200)) expectRestError(answer, 409, 'CONFLICT');
    const soldNow = 20 + won.reduce((s, q) => s + q, 0);
    expect(soldNow).toBeLessThanOrEqual(30);
    // What was refused is what would not fit: at most 3 seats can be left over (a sale of 4 or less refused).
    expect(30 - soldNow).toBeLessThan(Math.min(...sizes.filter((_, i) => answers[i].status !== 200)));
    expect(await storedSold(tier.id)).toBe(soldNow);
    const history = await base.rest('GET', `/api/events/${event.id}/tickets/${tier.id}/history?limit=100`, { as: actor });
    expect(history.body.data.filter((e: { type: string }) => e.type === 'ticket.sales-recorded')).toHaveLength(won.length);
    expect((await readTier(actor, event.id, tier.id)).version).toBe(1 + won.length);
  });

  test('single seats raced: exactly the seats left are sold, the tier reads sold_out, the rest are 409', async () => {
    const actor = await freshCaller(base);
    const event = await eventOnSale(base, actor);
    const tier = await createTier(base, actor, event.id, { quantity: 7 });
    const answers = await Promise.all(Array.from({ length: 15 }, () => sell(actor, event.id, tier.id, 1)));
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(7).fill(200), ...Array(8).fill(409)]);
    expect(await readTier(actor, event.id, tier.id)).toMatchObject({ sold: 7, status: 'sold_out', version: 8 });
  });

  test('a refund (negative quantity) gives seats back, never below zero; a sold-out tier goes back on sale', async () => {
    const actor = await freshCaller(base);
    const event = await eventOnSale(base, actor);
    const tier = await createTier(base, actor, event.id, { quantity: 5 });
    expect((await sell(actor, event.id, tier.id, 5)).body.data).toMatchObject({ sold: 5, status: 'sold_out' });
    expect((await sell(actor, event.id, tier.id, -2)).body.data).toMatchObject({ sold: 3, status: 'on_sale' });
    const before = await readTier(actor, event.id, tier.id);
    expectRestError(await sell(actor, event.id, tier.id, -4), 409, 'CONFLICT');
    expect(await readTier(actor, event.id, tier.id)).toEqual(before);
    // The same over GraphQL.
    const gql = gqlData(await base.gql(`mutation($id: ID!) { salesTicket(id: $id, input: { quantity: -3 }) { sold status } }`, { id: tier.id }, { as: actor }));
    expect(gql.salesTicket).toEqual({ sold: 0, status: 'ON_SALE' });
    expectGqlError(await base.gql(`mutation($id: ID!) { salesTicket(id: $id, input: { quantity: -1 }) { sold } }`, { id: tier.id }, { as: actor }), 'CONFLICT', ['salesTicket']);
    expect(await storedSold(tier.id)).toBe(0);
  });

  test('a quantity of 0, not an integer or missing is 400 naming quantity', async () => {
    const actor = await freshCaller(base);
    const event = await eventOnSale(base, actor);
    const tier = await createTier(base, actor, event.id);
    for (const quantity of [0, 1.5, 'two', null, undefined]) expectRestValidation(await sell(actor, event.id, tier.id, quantity), ['quantity']);
    expect(await storedSold(tier.id)).toBe(0);
  });

  test('no sale while the event is not on sale, or the tier is paused (409); resumed, it sells', async () => {
    const actor = await freshCaller(base);
    const draft = await createEvent(base, actor);
    const draftTier = await createTier(base, actor, draft.id);
    expect(expectRestError(await sell(actor, draft.id, draftTier.id, 1), 409, 'CONFLICT').message).toContain('draft');
    const event = await eventOnSale(base, actor);
    const tier = await createTier(base, actor, event.id);
    expect((await base.rest('POST', `/api/events/${event.id}/tickets/${tier.id}/pause`, { as: actor, body: {} })).body.data.status).toBe('paused');
    expectRestError(await sell(actor, event.id, tier.id, 1), 409, 'CONFLICT');
    expect((await base.rest('POST', `/api/events/${event.id}/tickets/${tier.id}/resume`, { as: actor, body: {} })).body.data.status).toBe('on_sale');
    expect((await sell(actor, event.id, tier.id, 1)).status).toBe(200);
    expect(await storedSold(draftTier.id)).toBe(0);
  });

  test('sales need basic.ticket.edit', async () => {
    const actor = await freshCaller(base);
    const event = await eventOnSale(base, actor);
    const tier = await createTier(base, actor, event.id);
    const viewer = await base.caller(['basic.ticket.view', 'basic.event.view'], { company: actor.companyId });
    expectRestError(await sell(viewer, event.id, tier.id, 1), 403, 'FORBIDDEN');
    expect(await storedSold(tier.id)).toBe(0);
  });
});

describe('Ticket: seats and capacity', () => {
  test('sold + comps + kills within the quantity: a change that breaks it is 409 (the CHECK) and changes nothing', async () => {
    const actor = await freshCaller(base);
    const event = await createEvent(base, actor);
    expectRestError(
      await base.rest('POST', `/api/events/${event.id}/tickets`, { as: actor, body: { name: 'Over', price: 100, quantity: 10, sold: 6, comps: 3, kills: 2 } }),
      409,
      'CONFLICT',
    );
    expect(await rows(base, 'tickets', actor.companyId)).toBe(0);
    const tier = await createTier(base, actor, event.id, { quantity: 10, sold: 6 });
    for (const body of [{ comps: 3, kills: 2 }, { quantity: 5 }]) {
      expectRestError(await base.rest('PUT', `/api/events/${event.id}/tickets/${tier.id}`, { as: actor, body }), 409, 'CONFLICT');
    }
    expect(await readTier(actor, event.id, tier.id)).toEqual(tier);
    const filled = await base.rest('PUT', `/api/events/${event.id}/tickets/${tier.id}`, { as: actor, body: { comps: 4 } });
    expect(filled.body.data).toMatchObject({ comps: 4, status: 'sold_out' });
  });

  test('sold changes only through sales: a PUT of another value is 400 naming sold', async () => {
    const actor = await freshCaller(base);
    const event = await createEvent(base, actor);
    const tier = await createTier(base, actor, event.id, { sold: 3 });
    expectRestValidation(await base.rest('PUT', `/api/events/${event.id}/tickets/${tier.id}`, { as: actor, body: { sold: 50 } }), ['sold']);
    expect(await readTier(actor, event.id, tier.id)).toEqual(tier);
  });

  test("the tiers' quantities together within the event's capacity (409), on create and update; capacity not below them", async () => {
    const actor = await freshCaller(base);
    const event = await createEvent(base, actor, { capacity: 100 });
    const first = await createTier(base, actor, event.id, { name: 'Floor', quantity: 60 });
    const over = expectRestError(
      await base.rest('POST', `/api/events/${event.id}/tickets`, { as: actor, body: { name: 'Seats', price: 100, quantity: 41 } }),
      409,
      'CONFLICT',
    );
    expect(over.details).toEqual([{ field: 'quantity', capacity: 100, allocated: 60, available: 40 }]);
    const second = await createTier(base, actor, event.id, { name: 'Seats', quantity: 40 });
    expectRestError(await base.rest('PUT', `/api/events/${event.id}/tickets/${second.id}`, { as: actor, body: { quantity: 41 } }), 409, 'CONFLICT');
    expect((await base.rest('PUT', `/api/events/${event.id}/tickets/${first.id}`, { as: actor, body: { quantity: 50 } })).status).toBe(200);
    // The event cannot shrink below its tiers (90 now), over either surface.
    expectRestError(await base.rest('PUT', `/api/events/${event.id}`, { as: actor, body: { capacity: 89 } }), 409, 'CONFLICT');
    expectGqlError(await base.gql(`mutation { updateEvent(id: "${event.id}", input: { capacity: 80 }) { id } }`, {}, { as: actor }), 'CONFLICT', ['updateEvent']);
    expect((await base.rest('PUT', `/api/events/${event.id}`, { as: actor, body: { capacity: 90 } })).status).toBe(200);
    expect((await base.rest('PUT', `/api/events/${event.id}`, { as: actor, body: { capacity: null } })).status).toBe(200);
  });

  test('tiers created at once for the last capacity: exactly one fits, the others are 409', async () => {
    const actor = await freshCaller(base);
    const event = await createEvent(base, actor, { capacity: 100 });
    await createTier(base, actor, event.id, { name: 'Base', quantity: 40 });
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        base.rest('POST', `/api/events/${event.id}/tickets`, { as: actor, body: { name: `Tier ${i}`, price: 100, quantity: 60 } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const [{ total }] = await base.sql<{ total: number }>(`SELECT sum(quantity)::int AS total FROM "${base.schema}".tickets WHERE event_id = $1`, [event.id]);
    expect(total).toBe(100);
  });

  test("a tier takes the event's currency; another is 400 naming currency; the event's currency is fixed while it has tiers", async () => {
    const actor = await freshCaller(base);
    const event = await createEvent(base, actor, { currency: 'USD' });
    const tier = await createTier(base, actor, event.id);
    expect(tier.currency).toBe('USD');
    expectRestValidation(await base.rest('POST', `/api/events/${event.id}/tickets`, { as: actor, body: { name: 'X', price: 1, quantity: 1, currency: 'EUR' } }), ['currency']);
    expectRestValidation(await base.rest('PUT', `/api/events/${event.id}/tickets/${tier.id}`, { as: actor, body: { currency: 'EUR' } }), ['currency']);
    expectRestError(await base.rest('PUT', `/api/events/${event.id}`, { as: actor, body: { currency: 'EUR' } }), 409, 'CONFLICT');
    expect((await base.rest('GET', `/api/events/${event.id}`, { as: actor })).body.data.currency).toBe('USD');
  });
});

describe("Ticket: another company's", () => {
  test('a tier of another company is unreachable through every path, on both surfaces', async () => {
    const actor = await freshCaller(base);
    const outsider = await freshCaller(base);
    const mine = await eventOnSale(base, actor);
    const theirEvent = await eventOnSale(base, outsider);
    const theirs = await createTier(base, outsider, theirEvent.id, { quantity: 10 });
    const before = await readTier(outsider, theirEvent.id, theirs.id);

    for (const eventId of [theirEvent.id, mine.id]) {
      expectRestError(await base.rest('GET', `/api/events/${eventId}/tickets/${theirs.id}`, { as: actor }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('PUT', `/api/events/${eventId}/tickets/${theirs.id}`, { as: actor, body: { name: 'Mine' } }), 404, 'NOT_FOUND');
      expectRestError(await sell(actor, eventId, theirs.id, 1), 404, 'NOT_FOUND');
      expectRestError(await base.rest('POST', `/api/events/${eventId}/tickets/${theirs.id}/pause`, { as: actor, body: {} }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('GET', `/api/events/${eventId}/tickets/${theirs.id}/history`, { as: actor }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('DELETE', `/api/events/${eventId}/tickets/${theirs.id}`, { as: actor }), 404, 'NOT_FOUND');
    }
    expectRestError(await base.rest('GET', `/api/events/${theirEvent.id}/tickets`, { as: actor }), 404, 'NOT_FOUND');
    expectRestError(await base.rest('POST', `/api/events/${theirEvent.id}/tickets`, { as: actor, body: { name: 'X', price: 1, quantity: 1 } }), 404, 'NOT_FOUND');
    expect((await base.rest('GET', `/api/events/${mine.id}/tickets`, { as: actor })).body.meta.total).toBe(0);

    expect(gqlData(await base.gql(`{ ticket(id: "${theirs.id}") { id } }`, {}, { as: actor }))).toEqual({ ticket: null });
    expectGqlError(await base.gql(`{ tickets(eventId: "${theirEvent.id}") { total } }`, {}, { as: actor }), 'NOT_FOUND', ['tickets']);
    expectGqlError(await base.gql(`mutation { salesTicket(id: "${theirs.id}", input: { quantity: 1 }) { sold } }`, {}, { as: actor }), 'NOT_FOUND', ['salesTicket']);
    expectGqlError(await base.gql(`mutation { updateTicket(id: "${theirs.id}", input: { name: "Mine" }) { id } }`, {}, { as: actor }), 'NOT_FOUND', ['updateTicket']);
    expect(gqlData(await base.gql(`{ event(id: "${theirEvent.id}") { tickets { total } } }`, {}, { as: actor }))).toEqual({ event: null });

    expect(await readTier(outsider, theirEvent.id, theirs.id)).toEqual(before);
  });

  test("a tier read through another event of the same company is 404 there", async () => {
    const actor = await freshCaller(base);
    const a = await eventOnSale(base, actor);
    const b = await eventOnSale(base, actor);
    const tier = await createTier(base, actor, a.id);
    expectRestError(await sell(actor, b.id, tier.id, 1), 404, 'NOT_FOUND');
    expectRestError(await sell(actor, randomUUID(), tier.id, 1), 404, 'NOT_FOUND');
    expect(await storedSold(tier.id)).toBe(0);
  });
});
