import { useTestBase } from '../support/harness';
import { expectRestError, gqlData } from '../support/assertions';
import { createVia } from '../support/fixtures';
import { createArtist, createEvent, createTier, createVenue } from './support';
import { shows } from './shows';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Issue 24 (money depth), figures worked out by hand: an offer's projection and its breakeven, the
 * withholding tax and VAT in a settlement, an agency's commission on a payout and over a period,
 * each on REST and GraphQL under its permission.
 */
const base = useTestBase();
const { company, post, must, expense, settlement } = shows(base);

describe('offer projection', () => {
  /** Tiers 100 × 20.00 and 50 × 50.00; a budget of 1,000.00 approved + 200.00 draft (+ a rejected 999.99, not counted); a flat 500.00 deal. */
  async function projected() {
    const who = await company();
    const artist = await createArtist(base, who.admin, 'Headliner');
    const event = await createEvent(base, who.admin, { currency: 'EUR', lineup: [artist.id] });
    await createTier(base, who.admin, event.id, { name: 'Floor', price: 2000, quantity: 100 });
    await createTier(base, who.admin, event.id, { name: 'Balcony', price: 5000, quantity: 50 });
    await expense(who, event.id, { amount: 100000 });
    await expense(who, event.id, { amount: 20000, status: 'draft' });
    await expense(who, event.id, { amount: 50000, category: 'artist_fee' });
    const rejected = await expense(who, event.id, { amount: 99999, status: 'submitted' });
    await must(post(who.approver, `/api/events/${event.id}/expenses/${rejected.id}/reject`, { note: 'no' }));
    const offer = await createVia(base, who.admin, '/api/offers', { artistId: artist.id, eventId: event.id, currency: 'EUR', dealType: 'flat', guarantee: 50000 });
    return { who, offer };
  }

  test('each sell-through settles its share of every tier; the breakeven is the fewest tickets with a result ≥ 0', async () => {
    const { who, offer } = await projected();
    const res = await base.rest('GET', `/api/offers/${offer.id}/projection`, { as: who.admin });
    expect(res.status).toBe(200);
    // Budget 100000 + 20000 = 120000 (artist fees and the rejected one out); payout 50000.
    // 25 %: 150 × 25 % = 37.5 → 38 tickets, split 25.33 / 12.67 → 25 / 13 (the larger remainder gets the leftover):
    //   25 × 2000 + 13 × 5000 = 115000; 115000 − 120000 − 50000 = −55000.
    // 50 %: 75 → 50 / 25: 225000 → 55000. 75 %: 112.5 → 113 → 75.33 / 37.67 → 75 / 38: 340000 → 170000. 100 %: 450000 → 280000.
    expect(res.body.data.projections).toEqual([
      { sellThrough: 25, ticketsSold: 38, gross: 115000, netGross: 115000, expenses: 120000, artistPayout: 50000, promoterResult: -55000 },
      { sellThrough: 50, ticketsSold: 75, gross: 225000, netGross: 225000, expenses: 120000, artistPayout: 50000, promoterResult: 55000 },
      { sellThrough: 75, ticketsSold: 113, gross: 340000, netGross: 340000, expenses: 120000, artistPayout: 50000, promoterResult: 170000 },
      { sellThrough: 100, ticketsSold: 150, gross: 450000, netGross: 450000, expenses: 120000, artistPayout: 50000, promoterResult: 280000 },
    ]);
    // 57 tickets: 38 / 19 → 76000 + 95000 = 171000 ≥ 170000; 56: 37.33 / 18.67 → 37 / 19 → 169000 < 170000.
    // 38 % of 150 = 57 tickets; 37 % = 55.5 → 56.
    expect({ breakevenTickets: res.body.data.breakevenTickets, breakevenSellThrough: res.body.data.breakevenSellThrough }).toEqual({ breakevenTickets: 57, breakevenSellThrough: 38 });

    const gql = await base.gql(`query($id: ID!) { offer(id: $id) { projection(sellThrough: [50, 10]) { projections { sellThrough ticketsSold promoterResult } breakevenTickets } } }`, { id: offer.id }, { as: who.admin });
    // 10 %: 15 tickets, 10 / 5: 20000 + 25000 = 45000 → −125000.
    expect(gqlData(gql).offer.projection).toEqual({
      projections: [{ sellThrough: 50, ticketsSold: 75, promoterResult: 55000 }, { sellThrough: 10, ticketsSold: 15, promoterResult: -125000 }],
      breakevenTickets: 57,
    });
  });

  test('sellThrough is read from the query string; a bad one is a 400 naming it; basic.offer.view is needed', async () => {
    const { who, offer } = await projected();
    const one = await base.rest('GET', `/api/offers/${offer.id}/projection?sellThrough=100,50`, { as: who.admin });
    expect(one.body.data.projections.map((p: any) => p.sellThrough)).toEqual([100, 50]);
    for (const bad of ['abc', '101', '']) {
      const res = await base.rest('GET', `/api/offers/${offer.id}/projection?sellThrough=${bad}`, { as: who.admin });
      expectRestError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.error.details[0].field).toMatch(/^sellThrough/);
    }
    const viewer = await base.caller(['basic.offer.view'], { company: who.admin.companyId });
    expect((await base.rest('GET', `/api/offers/${offer.id}/projection`, { as: viewer })).status).toBe(200);
    const stranger = await base.caller(['basic.event.view'], { company: who.admin.companyId });
    expectRestError(await base.rest('GET', `/api/offers/${offer.id}/projection`, { as: stranger }), 403, 'FORBIDDEN');
  });

  test("an offer without an event sells its venue's capacity at its ticket price", async () => {
    const who = await company();
    const artist = await createArtist(base, who.admin, 'Solo');
    const venue = await createVia(base, who.admin, '/api/venues', { name: 'Club', capacity: 200 });
    const offer = await createVia(base, who.admin, '/api/offers', {
      artistId: artist.id, venueId: venue.id, date: '2031-06-01', currency: 'EUR', dealType: 'versus', guarantee: 50000, percentage: 6000, percentageOf: 'gross', ticketPrice: 1000,
    });
    const res = await base.rest('GET', `/api/offers/${offer.id}/projection?sellThrough=50,100`, { as: who.admin });
    // 50 %: 100 × 1000 = 100000; max(50000, 60000) = 60000; result 40000. 100 %: 200000, 120000, 80000.
    expect(res.body.data.projections.map((p: any) => [p.ticketsSold, p.gross, p.artistPayout, p.promoterResult])).toEqual([[100, 100000, 60000, 40000], [200, 200000, 120000, 80000]]);
    // Below 84 tickets the guarantee is paid: 50 tickets = 50000 − 50000 = 0, 49 = −1000.
    expect(res.body.data).toMatchObject({ breakevenTickets: 50, breakevenSellThrough: 25 });

    const bare = await createVia(base, who.admin, '/api/offers', { artistId: artist.id, venueId: (await createVenue(base, who.admin)).id, date: '2031-06-02', currency: 'EUR', dealType: 'flat', guarantee: 1 });
    const refused = await base.rest('GET', `/api/offers/${bare.id}/projection`, { as: who.admin });
    expectRestError(refused, 409, 'CONFLICT');
    expect(refused.body.error.details.map((d: any) => d.field)).toEqual(['ticketPrice', 'venueId']);
  });
});

describe('withholding, VAT and agency commission in the settlement', () => {
  test('computed by hand, then with the company VAT-registered, then settled and summed for the agency', async () => {
    const who = await company();
    const agency = await createVia(base, who.admin, '/api/agencies', { key: 'wide-agency', name: 'Wide Agency', commissionRate: 1000 });
    const artist = await createArtist(base, who.admin, 'Foreign act');
    await must(base.rest('PUT', `/api/artists/${artist.id}`, { as: who.admin, body: { agencyId: agency.id } }));
    const event = await createEvent(base, who.admin, { currency: 'EUR', lineup: [artist.id] });
    await createTier(base, who.admin, event.id, { price: 2500, quantity: 110, sold: 100 }); // 250000
    const made = await createVia(base, who.admin, `/api/events/${event.id}/expenses`, { category: 'production', description: 'PA', amount: 50000, vatRate: 1900 });
    expect({ vat: made.vat, vatRate: made.vatRate }).toEqual({ vat: 9500, vatRate: 1900 });
    // Half-up: 333 × 15 % = 49.95 → 50; edited to 3.33 × 15 % … 0.4995 → 0 (not counted: a draft).
    const small = await createVia(base, who.admin, `/api/events/${event.id}/expenses`, { category: 'production', description: 'Cable', amount: 333, vatRate: 1500 });
    expect(small.vat).toBe(50);
    const edited = await must(base.rest('PUT', `/api/events/${event.id}/expenses/${small.id}`, { as: who.admin, body: { amount: 3 } }));
    expect(edited.vat).toBe(0);
    await must(post(who.admin, `/api/events/${event.id}/expenses/${made.id}/submit`));
    await must(post(who.approver, `/api/events/${event.id}/expenses/${made.id}/approve`));
    const offer = await createVia(base, who.admin, '/api/offers', { artistId: artist.id, eventId: event.id, currency: 'EUR', dealType: 'flat', guarantee: 100001, withholdingRate: 1500 });
    await must(post(who.admin, `/api/offers/${offer.id}/send`));
    const accepted = await must(post(who.admin, `/api/offers/${offer.id}/accept`));
    const agreement = await must(base.rest('GET', `/api/agreements/${accepted.agreementId}`, { as: who.admin }));
    expect(agreement.withholdingRate).toBe(1500);

    // Not registered: the VAT is a cost. expenses 50000 + 9500 = 59500; result 250000 − 59500 − 100001 = 90499.
    // Withholding 100001 × 15 % = 15000.15 → 15000; to the artist 85001. Commission 10 % = 10000.1 → 10000.
    const payout = { withholding: 15000, netToArtist: 85001, agencyId: agency.id, agencyCommission: 10000 };
    expect(await settlement(who.admin, event.id)).toMatchObject({
      expenses: 59500, vatReclaimable: 0, artistPayout: 100001, promoterResult: 90499, withholdingDue: 15000, payouts: [expect.objectContaining({ amount: 100001, ...payout })],
    });

    // Registered: the VAT is reclaimable, the expenses are net: 250000 − 50000 − 100001 = 99999.
    await must(base.rest('PUT', '/api/companies/current', { as: who.admin, body: { vatRegistered: true } }));
    const registered = await settlement(who.admin, event.id);
    expect(registered).toMatchObject({ expenses: 50000, vatReclaimable: 9500, promoterResult: 99999, withholdingDue: 15000 });
    const gql = await base.gql(
      `query($id: ID!) { event(id: $id) { settlement { vatReclaimable withholdingDue payouts { amount withholding netToArtist agencyCommission } } } }`,
      { id: event.id },
      { as: who.admin },
    );
    expect(gqlData(gql).event.settlement).toEqual({ vatReclaimable: 9500, withholdingDue: 15000, payouts: [{ amount: 100001, withholding: 15000, netToArtist: 85001, agencyCommission: 10000 }] });

    await must(base.rest('DELETE', `/api/events/${event.id}/expenses/${small.id}`, { as: who.admin }), 204);
    await must(post(who.admin, `/api/events/${event.id}/openSales`));
    await must(post(who.admin, `/api/events/${event.id}/complete`));
    await must(post(who.admin, `/api/events/${event.id}/settle`));
    // The agency changes its rate later: the settled statement keeps the commission it had.
    await must(base.rest('PUT', `/api/agencies/${agency.id}`, { as: who.admin, body: { commissionRate: 2000 } }));
    expect((await settlement(who.admin, event.id)).payouts[0]).toMatchObject(payout);

    const today = base.clock.now().toISOString().slice(0, 10);
    const commission = await base.rest('GET', `/api/agencies/${agency.id}/commission?from=${today}&to=${today}`, { as: who.admin });
    expect(commission.body.data).toEqual({ from: today, to: today, totals: [{ currency: 'EUR', commission: 10000, payouts: 100001, count: 1 }] });
    const earlier = await base.rest('GET', `/api/agencies/${agency.id}/commission?from=2020-01-01&to=2020-12-31`, { as: who.admin });
    expect(earlier.body.data.totals).toEqual([]);
    expectRestError(await base.rest('GET', `/api/agencies/${agency.id}/commission?from=${today}`, { as: who.admin }), 400, 'VALIDATION_FAILED');
    const viaGql = await base.gql(`query($id: ID!, $d: LocalDate!) { agency(id: $id) { commission(from: $d, to: $d) { totals { currency commission } } } }`, { id: agency.id, d: today }, { as: who.admin });
    expect(gqlData(viaGql).agency.commission.totals).toEqual([{ currency: 'EUR', commission: 10000 }]);
    const other = await company();
    expectRestError(await base.rest('GET', `/api/agencies/${agency.id}/commission?from=${today}&to=${today}`, { as: other.admin }), 404, 'NOT_FOUND');
  });

  test('a VAT rate outside 0–10000 or a withholding rate above 10000 is a 400 naming the field', async () => {
    const who = await company();
    const event = await createEvent(base, who.admin, { currency: 'EUR' });
    const bad = await base.rest('POST', `/api/events/${event.id}/expenses`, { as: who.admin, body: { category: 'other', description: 'X', amount: 1, vatRate: 10001 } });
    expectRestError(bad, 400, 'VALIDATION_FAILED');
    expect(bad.body.error.details[0].field).toBe('vatRate');
    const artist = await createArtist(base, who.admin, 'A');
    const offer = await base.rest('POST', '/api/offers', { as: who.admin, body: { artistId: artist.id, eventId: event.id, dealType: 'flat', guarantee: 1, withholdingRate: -1 } });
    expectRestError(offer, 400, 'VALIDATION_FAILED');
    expect(offer.body.error.details[0].field).toBe('withholdingRate');
  });
});
