import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import { useTestBase } from '../support/harness';
import { expectGqlError, expectRestError, gqlData } from '../support/assertions';
import { createVia, NO_SUCH_ID, rowsWhere } from '../support/fixtures';
import { createArtist, createEvent } from './support';
import { shows } from './shows';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The settlement of an event (`GET /api/events/{id}/settlement`, `Event.settlement`) and settling it
 * (`POST /api/events/{id}/settle`, `settleEvent`): worked examples computed by hand, permissions,
 * the frozen statement and read-only children, the races settle has with child writes, and
 * cross-company 404s.
 */
const base = useTestBase();

const { company, post, must, acceptedOffer, expense, show, settlement } = shows(base);

describe('worked examples, computed by hand', () => {
  test('flat: the guarantee; artist fees and unapproved expenses are not expenses', async () => {
    const who = await company();
    const { event, artists, offers } = await show(who, {
      tiers: [{ price: 2500, sold: 100 }], // gross 250000
      incomes: [{ amount: 30000 }],
      expenses: [
        { amount: 50000 }, // counts
        { amount: 100000, category: 'artist_fee' }, // approved, but an artist fee: not counted
        { amount: 9999, status: 'draft' }, // not approved: not counted
      ],
      deals: [{ dealType: 'flat', guarantee: 100000 }],
    });
    expect(await settlement(who.admin, event.id)).toEqual({
      eventId: event.id,
      currency: 'EUR',
      gross: 250000,
      fees: 0,
      adjustedGross: 250000,
      tax: 0,
      netGross: 250000,
      otherIncome: 30000,
      expenses: 50000,
      promoterProfit: 0,
      splitPoint: 150000, // 50000 + 100000 + 0
      artistPayout: 100000,
      payouts: [{ artistId: artists[0].id, offerId: offers[0].id, dealType: 'flat', currency: 'EUR', amount: 100000, withholding: 0, netToArtist: 100000, agencyId: null, agencyCommission: null }],
      vatReclaimable: 0,
      withholdingDue: 0,
      promoterResult: 130000, // 250000 + 30000 − 50000 − 100000
      otherCurrencies: [],
      settled: false,
      settledAt: null,
      settledBy: null,
    });
  });

  test('versus on gross: the greater of guarantee and percentage of netGross', async () => {
    const who = await company();
    const { event } = await show(who, {
      tiers: [{ price: 3000, sold: 200 }], // 600000
      expenses: [{ amount: 100000 }],
      deals: [{ dealType: 'versus', guarantee: 200000, percentage: 4000, percentageOf: 'gross' }],
    });
    // 40% × 600000 = 240000 > 200000; split point 100000 + 200000 + 0; result 600000 − 100000 − 240000
    expect(await settlement(who.admin, event.id)).toMatchObject({ gross: 600000, netGross: 600000, expenses: 100000, artistPayout: 240000, splitPoint: 300000, promoterResult: 260000 });
  });

  test('versus on net: the percentage of netGross − deal expenses', async () => {
    const who = await company();
    const { event } = await show(who, {
      tiers: [{ price: 3000, sold: 200 }], // 600000
      expenses: [{ amount: 100000 }],
      deals: [{ dealType: 'versus', guarantee: 200000, percentage: 4500, percentageOf: 'net' }],
    });
    // 45% × (600000 − 100000) = 225000 > 200000; result 600000 − 100000 − 225000 = 275000
    expect(await settlement(who.admin, event.id)).toMatchObject({ artistPayout: 225000, promoterResult: 275000 });
  });

  test('plus with an expense cap and promoter profit: guarantee + percentage past the split point', async () => {
    const who = await company();
    const { event } = await show(who, {
      tiers: [{ price: 4000, sold: 250 }], // 1000000
      expenses: [{ amount: 150000 }],
      deals: [{ dealType: 'plus', guarantee: 300000, percentage: 8500, percentageOf: 'net', expenseCap: 120000, promoterProfit: 1500 }],
    });
    // deal expenses min(150000, 120000) = 120000; promoter profit 15% × 120000 = 18000;
    // split point 120000 + 300000 + 18000 = 438000; 85% × (1000000 − 438000 = 562000) = 477700;
    // payout 300000 + 477700 = 777700; result 1000000 − 150000 (actual expenses) − 777700 = 72300
    expect(await settlement(who.admin, event.id)).toMatchObject({
      expenses: 150000,
      promoterProfit: 18000,
      splitPoint: 438000,
      artistPayout: 777700,
      promoterResult: 72300,
    });
  });

  test('door: a percentage only', async () => {
    const who = await company();
    const { event } = await show(who, {
      tiers: [{ price: 1500, sold: 120 }], // 180000
      expenses: [{ amount: 20000 }],
      deals: [{ dealType: 'door', percentage: 7000, percentageOf: 'gross' }],
    });
    // 70% × 180000 = 126000; split point 20000 + 0 + 0; result 180000 − 20000 − 126000 = 34000
    expect(await settlement(who.admin, event.id)).toMatchObject({ artistPayout: 126000, splitPoint: 20000, promoterResult: 34000 });
  });

  test('tax included in the prices: adjustedGross × rate / (10000 + rate), rounded half-up', async () => {
    const who = await company();
    const { event } = await show(who, { taxRate: 2000, tiers: [{ price: 2500, sold: 7 }], deals: [{ dealType: 'flat', guarantee: 10000 }] });
    // gross 17500; tax 17500 × 2000 / 12000 = 2916.67 → 2917; net 14583; result 14583 − 10000 = 4583
    expect(await settlement(who.admin, event.id)).toMatchObject({ gross: 17500, adjustedGross: 17500, tax: 2917, netGross: 14583, promoterResult: 4583 });
  });

  test('ticket fees come off the gross before tax; a percentage at .5 rounds up', async () => {
    const who = await company();
    const { event } = await show(who, {
      taxRate: 1000,
      tiers: [
        { price: 3000, sold: 100, fee: 250 }, // gross 300000, fees 25000
        { price: 5000, sold: 10 }, // gross 50000, no fee
      ],
      deals: [{ dealType: 'versus', guarantee: 100000, percentage: 5000, percentageOf: 'gross' }],
    });
    // gross 350000; fees 25000; adjusted 325000; tax 325000 × 1000 / 11000 = 29545.45 → 29545;
    // net 295455; 50% = 147727.5 → 147728 > 100000; result 295455 − 147728 = 147727
    expect(await settlement(who.admin, event.id)).toMatchObject({
      gross: 350000,
      fees: 25000,
      adjustedGross: 325000,
      tax: 29545,
      netGross: 295455,
      artistPayout: 147728,
      promoterResult: 147727,
    });
  });

  test('an expense and an income in other currencies are listed apart, never summed', async () => {
    const who = await company();
    const { event } = await show(who, {
      tiers: [{ price: 2000, sold: 100 }], // 200000
      incomes: [{ amount: 1000, currency: 'GBP' }],
      expenses: [{ amount: 30000 }, { amount: 5000, currency: 'USD' }],
      deals: [{ dealType: 'flat', guarantee: 50000 }],
    });
    // EUR: 200000 − 30000 − 50000 = 120000
    const s = await settlement(who.admin, event.id);
    expect(s).toMatchObject({ otherIncome: 0, expenses: 30000, promoterResult: 120000 });
    expect(s.otherCurrencies).toEqual([
      { currency: 'GBP', gross: 0, fees: 0, otherIncome: 1000, expenses: 0, payouts: [] },
      { currency: 'USD', gross: 0, fees: 0, otherIncome: 0, expenses: 5000, payouts: [] },
    ]);
  });

  test('a two-artist lineup: each paid under its own offer, the headliner figures are the first', async () => {
    const who = await company();
    const { event, artists, offers } = await show(who, {
      tiers: [{ price: 4000, sold: 100 }], // 400000
      expenses: [{ amount: 60000 }],
      deals: [
        { dealType: 'versus', guarantee: 100000, percentage: 5000, percentageOf: 'gross', promoterProfit: 1000 },
        { dealType: 'flat', guarantee: 20000 },
      ],
    });
    // An accepted offer for an artist outside the lineup, and a declined one for the support act, count for nothing.
    const outsider = await createArtist(base, who.admin, 'Not on the bill');
    await acceptedOffer(who.admin, event.id, outsider.id, { dealType: 'flat', guarantee: 99999 });
    const declined = await createVia(base, who.admin, '/api/offers', { artistId: artists[1].id, eventId: event.id, currency: 'EUR', dealType: 'flat', guarantee: 77777 });
    await must(post(who.admin, `/api/offers/${declined.id}/send`));
    await must(post(who.admin, `/api/offers/${declined.id}/decline`));
    // headliner: promoter profit 10% × 60000 = 6000; split 60000 + 100000 + 6000 = 166000;
    // payout max(100000, 50% × 400000 = 200000) = 200000; support 20000;
    // result 400000 − 60000 − 200000 − 20000 = 120000
    const s = await settlement(who.admin, event.id);
    expect(s).toMatchObject({ promoterProfit: 6000, splitPoint: 166000, artistPayout: 200000, promoterResult: 120000 });
    expect(s.payouts).toEqual([
      { artistId: artists[0].id, offerId: offers[0].id, dealType: 'versus', currency: 'EUR', amount: 200000, withholding: 0, netToArtist: 200000, agencyId: null, agencyCommission: null },
      { artistId: artists[1].id, offerId: offers[1].id, dealType: 'flat', currency: 'EUR', amount: 20000, withholding: 0, netToArtist: 20000, agencyId: null, agencyCommission: null },
    ]);
  });
});

describe('permissions', () => {
  test('REST needs basic.income.view and basic.expense.view (and nothing else)', async () => {
    const who = await company();
    const { event } = await show(who, { tiers: [{ price: 100, sold: 1 }] });
    const only = (...p: string[]) => base.caller(p, { company: who.admin.companyId });
    expectRestError(await base.rest('GET', `/api/events/${event.id}/settlement`, { as: await only('basic.income.view', 'basic.event.view') }), 403, 'FORBIDDEN');
    expectRestError(await base.rest('GET', `/api/events/${event.id}/settlement`, { as: await only('basic.expense.view', 'basic.event.view') }), 403, 'FORBIDDEN');
    expect((await settlement(await only('basic.income.view', 'basic.expense.view'), event.id)).gross).toBe(100);
  });

  test('GraphQL: Event.settlement without expense view is null with FORBIDDEN on its path; the rest of the event arrives', async () => {
    const who = await company();
    const { event } = await show(who, { tiers: [{ price: 100, sold: 3 }] });
    const query = `query($id: ID!) { event(id: $id) { name settlement { gross payouts { amount } otherCurrencies { expenses } } } }`;
    const partial = await base.caller(['basic.event.view', 'basic.income.view'], { company: who.admin.companyId });
    const denied = await base.gql(query, { id: event.id }, { as: partial });
    expectGqlError(denied, 'FORBIDDEN', ['event', 'settlement']);
    expect(denied.body.data).toEqual({ event: { name: 'Show', settlement: null } });
    const full = await base.caller(['basic.event.view', 'basic.income.view', 'basic.expense.view'], { company: who.admin.companyId });
    expect(gqlData(await base.gql(query, { id: event.id }, { as: full }))).toEqual({ event: { name: 'Show', settlement: { gross: 300, payouts: [], otherCurrencies: [] } } });
  });

  test('every money field of the settlement and of the types inside it needs both permissions', () => {
    const rules = base.server.schema.fieldRules.filter((l) => /^(Settlement|SettlementPayout|SettlementOtherCurrency)\./.test(l));
    expect(rules.length).toBeGreaterThan(20);
    for (const line of rules) expect(line).toMatch(/→ basic\.income\.view \+ basic\.expense\.view$/);
  });

  test('settling needs basic.event.edit, on both surfaces', async () => {
    const who = await company();
    const { event } = await show(who, {});
    const noEdit = await base.caller(ALL_PERMISSIONS.filter((p) => p !== 'basic.event.edit'), { company: who.admin.companyId });
    expectRestError(await post(noEdit, `/api/events/${event.id}/settle`), 403, 'FORBIDDEN');
    expectGqlError(await base.gql(`mutation($id: ID!) { settleEvent(id: $id) { id } }`, { id: event.id }, { as: noEdit }), 'FORBIDDEN', ['settleEvent']);
    expect((await base.rest('GET', `/api/events/${event.id}`, { as: who.admin })).body.data.status).toBe('completed');
  });
});

describe('settling', () => {
  test('only a completed event settles; other states are 409 naming them', async () => {
    const who = await company();
    const event = await createEvent(base, who.admin);
    const refused = expectRestError(await post(who.admin, `/api/events/${event.id}/settle`), 409, 'CONFLICT');
    expect(refused.details).toEqual([{ field: 'status', current: 'draft', allowedFrom: ['completed'] }]);
    expect(await rowsWhere(base, 'settlements', { event_id: event.id })).toBe(0);
  });

  test('refused while an expense waits for approval; nothing changes', async () => {
    const who = await company();
    const { event } = await show(who, { expenses: [{ amount: 500, status: 'submitted' }] });
    const refused = expectRestError(await post(who.admin, `/api/events/${event.id}/settle`), 409, 'CONFLICT');
    expect(refused.message).toMatch(/await approval/);
    expect((await base.rest('GET', `/api/events/${event.id}`, { as: who.admin })).body.data.status).toBe('completed');
    expect(await rowsWhere(base, 'settlements', { event_id: event.id })).toBe(0);
  });

  test('stores the statement: later reads return it unchanged although a record changes; children are read-only', async () => {
    const who = await company();
    const { event } = await show(who, {
      tiers: [{ price: 1000, sold: 10 }],
      incomes: [{ amount: 700 }],
      expenses: [{ amount: 2000 }, { amount: 300, status: 'draft' }],
      deals: [{ dealType: 'flat', guarantee: 5000 }],
    });
    const before = await settlement(who.admin, event.id);
    base.clock.advance(86_400_000); // a day on: settledAt is the clock's, not the machine's
    const settling = base.clock.now().getTime();
    const gql = await base.gql(`mutation($id: ID!) { settleEvent(id: $id) { status } }`, { id: event.id }, { as: who.admin });
    expect(gqlData(gql)).toEqual({ settleEvent: { status: 'SETTLED' } });

    const after = await settlement(who.admin, event.id);
    expect(after).toEqual({ ...before, settled: true, settledAt: expect.any(String), settledBy: who.admin.userId });
    expect(Date.parse(after.settledAt)).toBeGreaterThanOrEqual(settling);
    expect(Date.parse(after.settledAt)).toBeLessThanOrEqual(base.clock.now().getTime());
    // A record changed behind the API's back (the API refuses it): the statement stays as stored.
    await base.sql(`update "${base.schema}".tickets set sold = 1 where event_id = $1`, [event.id]);
    expect(await settlement(who.admin, event.id)).toEqual(after);

    const tiers = (await base.rest('GET', `/api/events/${event.id}/tickets`, { as: who.admin })).body.data;
    const incomes = (await base.rest('GET', `/api/events/${event.id}/incomes`, { as: who.admin })).body.data;
    const expenses = (await base.rest('GET', `/api/events/${event.id}/expenses`, { as: who.admin })).body.data;
    const draft = expenses.find((e: any) => e.status === 'draft');
    const ev = `/api/events/${event.id}`;
    const refusals = [
      await post(who.admin, `${ev}/tickets`, { name: 'Late', price: 1, quantity: 1 }),
      await base.rest('PUT', `${ev}/tickets/${tiers[0].id}`, { as: who.admin, body: { name: 'Renamed' } }),
      await post(who.admin, `${ev}/tickets/${tiers[0].id}/sales`, { quantity: -1 }),
      await base.rest('DELETE', `${ev}/tickets/${tiers[0].id}`, { as: who.admin }),
      await post(who.admin, `${ev}/incomes`, { category: 'bar', description: 'Late', amount: 1 }),
      await base.rest('PUT', `${ev}/incomes/${incomes[0].id}`, { as: who.admin, body: { amount: 1 } }),
      await base.rest('DELETE', `${ev}/incomes/${incomes[0].id}`, { as: who.admin }),
      await post(who.admin, `${ev}/expenses`, { category: 'other', description: 'Late', amount: 1 }),
      await base.rest('PUT', `${ev}/expenses/${draft.id}`, { as: who.admin, body: { amount: 1 } }),
      await post(who.admin, `${ev}/expenses/${draft.id}/submit`),
      await base.rest('DELETE', `${ev}/expenses/${draft.id}`, { as: who.admin }),
    ];
    for (const res of refusals) expect(expectRestError(res, 409, 'CONFLICT').message).toMatch(/Event is settled/);
    // GraphQL reaches the same rule.
    expectGqlError(await base.gql(`mutation($id: ID!) { updateIncome(id: $id, input: { amount: 2 }) { id } }`, { id: incomes[0].id }, { as: who.admin }), 'CONFLICT', ['updateIncome']);
    expect(await rowsWhere(base, 'incomes', { event_id: event.id })).toBe(1);
    // Its statement holds the event: a settled event cannot be deleted.
    expectRestError(await base.rest('DELETE', ev, { as: who.admin }), 409, 'CONFLICT');
  });
});

describe('races decided by the database', () => {
  test('settle against an expense submit: either the submit wins (settle 409) or the settle wins (submit 409)', async () => {
    const who = await company();
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const { event } = await show(who, { tiers: [{ price: 100, sold: 1 }] });
        const draft = await expense(who, event.id, { amount: 40, status: 'draft' });
        const [settle, submit] = await Promise.all([
          post(who.admin, `/api/events/${event.id}/settle`),
          post(who.admin, `/api/events/${event.id}/expenses/${draft.id}/submit`),
        ]);
        expect([settle.status, submit.status].sort()).toEqual([200, 409]);
        const status = (await base.rest('GET', `/api/events/${event.id}`, { as: who.admin })).body.data.status;
        const expenseNow = (await base.rest('GET', `/api/events/${event.id}/expenses/${draft.id}`, { as: who.admin })).body.data.status;
        if (settle.status === 200) expect({ status, expenseNow }).toEqual({ status: 'settled', expenseNow: 'draft' });
        else expect({ status, expenseNow, stored: await rowsWhere(base, 'settlements', { event_id: event.id }) }).toEqual({ status: 'completed', expenseNow: 'submitted', stored: 0 });
        return settle.status;
      }),
    );
    expect(outcomes.every((s) => s === 200 || s === 409)).toBe(true);
  });

  test('settle against a ticket refund: the stored gross is what the tier holds when the settle commits', async () => {
    const who = await company();
    for (let i = 0; i < 3; i++) {
      const { event } = await show(who, { tiers: [{ price: 100, sold: 10 }] });
      const [tier] = (await base.rest('GET', `/api/events/${event.id}/tickets`, { as: who.admin })).body.data;
      const [settle, refund] = await Promise.all([
        post(who.admin, `/api/events/${event.id}/settle`),
        post(who.admin, `/api/events/${event.id}/tickets/${tier.id}/sales`, { quantity: -4 }),
      ]);
      expect(settle.status).toBe(200);
      expect([200, 409]).toContain(refund.status);
      const sold = (await base.rest('GET', `/api/events/${event.id}/tickets/${tier.id}`, { as: who.admin })).body.data.sold;
      expect(sold).toBe(refund.status === 200 ? 6 : 10);
      expect((await settlement(who.admin, event.id)).gross).toBe(sold * 100);
    }
  });
});

describe('another company', () => {
  test("another company's event, its settlement and its expenses are 404 through every path", async () => {
    const mine = await company();
    const theirs = await company();
    const { event: their } = await show(theirs, { expenses: [{ amount: 10, status: 'submitted' }] });
    const [theirExpense] = (await base.rest('GET', `/api/events/${their.id}/expenses`, { as: theirs.admin })).body.data;
    const { event: own } = await show(mine, {});
    const me = mine.admin;

    expectRestError(await base.rest('GET', `/api/events/${their.id}/settlement`, { as: me }), 404, 'NOT_FOUND');
    expectRestError(await base.rest('GET', `/api/events/${NO_SUCH_ID}/settlement`, { as: me }), 404, 'NOT_FOUND');
    expectRestError(await post(me, `/api/events/${their.id}/settle`), 404, 'NOT_FOUND');
    for (const eventId of [their.id, own.id]) {
      expectRestError(await base.rest('GET', `/api/events/${eventId}/expenses/${theirExpense.id}`, { as: me }), 404, 'NOT_FOUND');
      expectRestError(await post(mine.approver, `/api/events/${eventId}/expenses/${theirExpense.id}/approve`), 404, 'NOT_FOUND');
      expectRestError(await base.rest('PUT', `/api/events/${eventId}/expenses/${theirExpense.id}`, { as: me, body: { amount: 1 } }), 404, 'NOT_FOUND');
    }
    expectRestError(await base.rest('GET', `/api/events/${their.id}/expenses`, { as: me }), 404, 'NOT_FOUND');
    const gql = gqlData(
      await base.gql(`query($e: ID!, $x: ID!) { event(id: $e) { id } expense(id: $x) { id } approvals { total } }`, { e: their.id, x: theirExpense.id }, { as: me }),
    );
    expect(gql).toEqual({ event: null, expense: null, approvals: { total: 0 } });
    expectGqlError(await base.gql(`mutation($x: ID!) { approveExpense(id: $x) { id } }`, { x: theirExpense.id }, { as: mine.approver }), 'NOT_FOUND', ['approveExpense']);
    expect((await base.rest('GET', `/api/events/${their.id}/expenses/${theirExpense.id}`, { as: theirs.admin })).body.data.status).toBe('submitted');
  });
});

test('a page of events with their settlements costs the same statements for 2 events as for 5', async () => {
  const who = await company();
  for (let i = 0; i < 5; i++) await show(who, { tiers: [{ price: 100, sold: i + 1 }], deals: [{ dealType: 'flat', guarantee: 10 }] });
  const query = `query($limit: Int) { events(limit: $limit) { items { settlement { gross payouts { amount } } } } }`;
  const count = async (limit: number) => {
    const before = base.statements();
    const data = gqlData(await base.gql(query, { limit }, { as: who.admin }));
    return { statements: base.statements() - before, grosses: data.events.items.map((e: any) => e.settlement.gross) };
  };
  await count(1);
  const two = await count(2);
  const five = await count(5);
  expect(five.grosses.sort()).toEqual([100, 200, 300, 400, 500]);
  expect(five.statements).toBe(two.statements);
});

describe('the approval queue names event and vendor, with the total waiting per currency', () => {
  test('REST rows carry the event and vendor each only if the caller may view it; meta.totals and approvalTotals sum per currency in one query', async () => {
    const who = await company();
    const vendor = await createVia(base, who.admin, '/api/vendors', { name: 'PA hire', category: 'sound' });
    const event = await createEvent(base, who.admin, { currency: 'EUR', name: 'Queue show' });
    const submitted = async (body: Record<string, unknown>) => {
      const made = await createVia(base, who.admin, `/api/events/${event.id}/expenses`, { category: 'production', description: 'Cost', ...body });
      await must(post(who.admin, `/api/events/${event.id}/expenses/${made.id}/submit`));
      return made;
    };
    const withVendor = await submitted({ amount: 100, vendorId: vendor.id });
    await submitted({ amount: 250 });
    await submitted({ amount: 40, currency: 'USD' });
    const decided = await submitted({ amount: 5000 });
    await must(post(who.approver, `/api/events/${event.id}/expenses/${decided.id}/approve`));
    // EUR: 100 + 250 = 350 (two waiting; the approved 5000 no longer waits); USD: 40
    const totals = [{ currency: 'EUR', amount: 350, count: 2 }, { currency: 'USD', amount: 40, count: 1 }];

    const full = await base.rest('GET', '/api/approvals', { as: who.approver });
    expect(full.status).toBe(200);
    expect(full.body.meta).toEqual({ page: 1, limit: 20, total: 3, totalIsEstimate: false, nextCursor: null, totals });
    expect(full.body.data).toHaveLength(3);
    const eventSummary = { id: event.id, name: 'Queue show', startsAt: event.startsAt };
    for (const row of full.body.data) expect(row.event).toEqual(eventSummary);
    expect(full.body.data.find((r: any) => r.id === withVendor.id).vendor).toEqual({ id: vendor.id, name: 'PA hire' });
    expect(full.body.data.filter((r: any) => r.vendor === null)).toHaveLength(2);

    const queueOnly = await base.caller(['basic.approval.view'], { company: who.admin.companyId });
    const limited = await base.rest('GET', '/api/approvals', { as: queueOnly });
    expect(limited.body.meta.totals).toEqual(totals);
    for (const row of limited.body.data) expect({ event: row.event, vendor: row.vendor }).toEqual({ event: null, vendor: null });

    expect(gqlData(await base.gql('{ approvalTotals { currency amount count } }', {}, { as: queueOnly }))).toEqual({ approvalTotals: totals });
    const outsider = await base.caller(['basic.expense.view'], { company: who.admin.companyId });
    expectGqlError(await base.gql('{ approvalTotals { currency } }', {}, { as: outsider }), 'FORBIDDEN', ['approvalTotals']);
    expectRestError(await base.rest('GET', '/api/approvals', { as: outsider }), 403, 'FORBIDDEN');

    // Batched: a page of one row and a page of three cost the same statements.
    const statements = async (limit: number) => {
      const before = base.statements();
      expect((await base.rest('GET', `/api/approvals?limit=${limit}`, { as: who.approver })).status).toBe(200);
      return base.statements() - before;
    };
    await statements(1);
    expect(await statements(3)).toBe(await statements(1));
  });
});
