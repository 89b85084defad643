import { useTestBase } from '../support/harness';
import { expectRestError, gqlData } from '../support/assertions';
import { createVia } from '../support/fixtures';
import { shows } from '../events/shows';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Exchange rates (`/api/fx-rates`, `fxRates`) and a settlement across currencies: records in another
 * currency are converted at the latest rate on or before the show's day (2031-06-01), one rounding
 * half-up per record, and settling stores the rates used. Figures computed by hand.
 */
const base = useTestBase();
const { company, post, must, show, settlement } = shows(base);

const rate = (actor: any, body: Record<string, unknown>) => createVia(base, actor, '/api/fx-rates', body);

describe('the rates', () => {
  test('made and removed under basic.company.edit, read under basic.company.view; a bad rate is a 400 naming it, a second of a pair and day a 409', async () => {
    const who = await company();
    const made = await rate(who.admin, { from: 'USD', to: 'EUR', rate: '0.92345678', date: '2031-05-01' });
    expect(made).toMatchObject({ from: 'USD', to: 'EUR', rate: '0.92345678', date: '2031-05-01' });

    const reader = await base.caller(['basic.company.view'], { company: who.admin.companyId });
    const list = await base.rest('GET', '/api/fx-rates', { as: reader });
    expect(list.status).toBe(200);
    expect(list.body.data.map((r: any) => r.id)).toEqual([made.id]);
    expectRestError(await base.rest('POST', '/api/fx-rates', { as: reader, body: { from: 'GBP', to: 'EUR', rate: '1.1', date: '2031-05-01' } }), 403, 'FORBIDDEN');
    expectRestError(await base.rest('DELETE', `/api/fx-rates/${made.id}`, { as: reader }), 403, 'FORBIDDEN');

    for (const bad of ['1.123456789', '-1', '0', 'abc']) {
      const res = await base.rest('POST', '/api/fx-rates', { as: who.admin, body: { from: 'GBP', to: 'EUR', rate: bad, date: '2031-05-01' } });
      expectRestError(res, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).toContain('rate');
    }
    expectRestError(await base.rest('POST', '/api/fx-rates', { as: who.admin, body: { from: 'EUR', to: 'EUR', rate: '1', date: '2031-05-01' } }), 400, 'VALIDATION_FAILED');
    expectRestError(await base.rest('POST', '/api/fx-rates', { as: who.admin, body: { from: 'USD', to: 'EUR', rate: '0.9', date: '2031-05-01' } }), 409, 'CONFLICT');

    const other = await company();
    expectRestError(await base.rest('GET', `/api/fx-rates/${made.id}`, { as: other.admin }), 404, 'NOT_FOUND');
    expect((await base.rest('DELETE', `/api/fx-rates/${made.id}`, { as: who.admin })).status).toBe(204);
  });
});

describe('a settlement across currencies', () => {
  test('converts each record at the latest rate on or before the show, keeps the unrated apart, and settling stores the rates', async () => {
    const who = await company();
    await rate(who.admin, { from: 'USD', to: 'EUR', rate: '0.5', date: '2031-01-01' });
    await rate(who.admin, { from: 'USD', to: 'EUR', rate: '0.9', date: '2031-06-01' }); // the latest on the show's day
    await rate(who.admin, { from: 'USD', to: 'EUR', rate: '2', date: '2031-06-02' }); // after it: not used
    const { event, offers } = await show(who, {
      tiers: [{ price: 2500, sold: 100 }], // gross 250000 EUR
      incomes: [{ amount: 10001, currency: 'USD' }, { amount: 700, currency: 'GBP' }],
      expenses: [{ amount: 333, currency: 'USD' }, { amount: 1000 }],
      deals: [{ dealType: 'flat', guarantee: 100000 }],
    });
    const s = await settlement(who.admin, event.id);
    // 10001 × 0.9 = 9000.9 → 9001; 333 × 0.9 = 299.7 → 300 (half-up, once per record).
    expect(s.otherIncome).toBe(9001);
    expect(s.expenses).toBe(1300); // 1000 + 300
    expect(s.promoterResult).toBe(250000 + 9001 - 1300 - 100000);
    expect(s.payouts).toEqual([expect.objectContaining({ offerId: offers[0].id, currency: 'EUR', amount: 100000 })]);
    expect(s.conversions).toEqual([
      expect.objectContaining({ recordType: 'Income', line: 'otherIncome', currency: 'USD', amount: 10001, rate: '0.9', converted: 9001 }),
      expect.objectContaining({ recordType: 'Expense', line: 'expenses', currency: 'USD', amount: 333, rate: '0.9', converted: 300 }),
    ]);
    expect(s.rates).toEqual([{ from: 'USD', to: 'EUR', rate: '0.9', date: '2031-06-01' }]);
    expect(s.otherCurrencies).toEqual([{ currency: 'GBP', gross: 0, fees: 0, otherIncome: 700, expenses: 0, payouts: [] }]);

    await must(post(who.admin, `/api/events/${event.id}/settle`));
    // A later rate of the show's day changes nothing settled: the statement keeps the rate it used.
    const [used] = (await base.rest('GET', '/api/fx-rates', { as: who.admin })).body.data.filter((r: any) => r.rate === '0.9');
    expect((await base.rest('DELETE', `/api/fx-rates/${used.id}`, { as: who.admin })).status).toBe(204);
    await rate(who.admin, { from: 'USD', to: 'EUR', rate: '1', date: '2031-06-01' });
    const settled = await settlement(who.admin, event.id);
    expect(settled).toMatchObject({ settled: true, otherIncome: 9001, rates: [{ from: 'USD', to: 'EUR', rate: '0.9', date: '2031-06-01' }] });

    const gql = gqlData(
      await base.gql(`query($id: ID!) { event(id: $id) { settlement { otherIncome conversions { line amount rate converted } rates { from rate } } } }`, { id: event.id }, { as: who.admin }),
    );
    expect(gql.event.settlement).toEqual({
      otherIncome: 9001,
      conversions: [
        { line: 'otherIncome', amount: 10001, rate: '0.9', converted: 9001 },
        { line: 'expenses', amount: 333, rate: '0.9', converted: 300 },
      ],
      rates: [{ from: 'USD', rate: '0.9' }],
    });
  });

  test("an offer in another currency: its guarantee is converted and the payout is in the event's currency", async () => {
    const who = await company();
    await rate(who.admin, { from: 'USD', to: 'EUR', rate: '0.85', date: '2031-05-01' });
    const artist = await createVia(base, who.admin, '/api/artists', { name: 'Band' });
    const event = await createVia(base, who.admin, '/api/events', { name: 'Show', startsAt: '2031-06-01T20:00:00.000Z', currency: 'EUR', lineup: [artist.id] });
    const offer = await createVia(base, who.admin, '/api/offers', { artistId: artist.id, eventId: event.id, currency: 'USD', dealType: 'flat', guarantee: 100001 });
    await must(post(who.admin, `/api/offers/${offer.id}/send`));
    await must(post(who.admin, `/api/offers/${offer.id}/accept`));
    const s = await settlement(who.admin, event.id);
    // 100001 × 0.85 = 85000.85 → 85001.
    expect(s.artistPayout).toBe(85001);
    expect(s.conversions).toEqual([expect.objectContaining({ recordType: 'Offer', recordId: offer.id, line: 'guarantee', amount: 100001, converted: 85001 })]);
    expect(s.otherCurrencies).toEqual([]);
  });
});
