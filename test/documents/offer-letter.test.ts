import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import { gqlData } from '../support/assertions';
import { allBut, createVia } from '../support/fixtures';
import { Caller, useTestBase } from '../support/harness';
import { errorCode, getPdf, pdfText, sha256 } from '../support/pdf';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The offer letter (`GET /api/offers/{id}/document`, `Offer.documentUrl`): the deal terms, the
 * schedule, the radius and the expiry as a reader extracts them from the PDF, money in the offer's
 * currency, the expiry in the company's time zone; under `basic.offer.view`, the caller's company only.
 */
const base = useTestBase();
let admin: Caller;

beforeAll(async () => {
  admin = await base.caller(ALL_PERMISSIONS, { company: base.companyA });
  const res = await base.rest('PUT', '/api/companies/current', { as: admin, body: { displayName: 'Harbour Live', timezone: 'America/New_York', address: { line1: '1 Pier St', city: 'Boston', country: 'US' } } });
  expect(res.status).toBe(200);
});

async function offer(body: Record<string, unknown> = {}, actor = admin): Promise<any> {
  // Accented and non-Latin letters: the standard fonts print the first, the second become `?`.
  const artist = await createVia(base, actor, '/api/artists', { name: 'Sigur Rós 東京' });
  const venue = await createVia(base, actor, '/api/venues', { name: 'Paradise Rock Club', address: { line1: '967 Commonwealth Ave', city: 'Boston', country: 'US' } });
  return createVia(base, actor, '/api/offers', {
    artistId: artist.id,
    venueId: venue.id,
    date: '2034-05-17',
    dealType: 'versus',
    currency: 'USD',
    guarantee: 250000,
    percentage: 4000,
    percentageOf: 'gross',
    ticketPrice: 3500,
    schedule: { loadIn: '14:00', soundcheck: '16:30', doors: '19:00', set: '21:15', curfew: '23:00', setLength: 90 },
    radius: { km: 150, days: 30 },
    expiresAt: '2034-04-01T15:00:00Z',
    terms: 'Hospitality for eight.\n\nThe promoter provides backline.',
    ...body,
  });
}

test('the letter holds the deal terms, schedule, radius and expiry, in the company\'s name and time zone', async () => {
  const made = await offer();
  const answer = await getPdf(base, admin, `/api/offers/${made.id}/document`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toBe('application/pdf');
  expect(answer.headers.get('etag')).toBe(`"${sha256(answer.bytes)}"`);
  expect(answer.headers.get('content-disposition')).toBe('inline; filename=offer-Sigur-Ros-2034-05-17.pdf');
  const text = await pdfText(answer.bytes);
  for (const line of [
    'Harbour Live',
    '1 Pier St, Boston, US',
    'Artist Sigur Rós ??',
    'Venue Paradise Rock Club, 967 Commonwealth Ave, Boston, US',
    'Date 17 May 2034',
    'Deal Guarantee versus percentage, whichever is greater',
    'Currency USD',
    'Guarantee USD 2,500.00',
    'Percentage 40% of gross',
    'Ticket price USD 35.00',
    'Load-in 14:00 Soundcheck 16:30 Doors 19:00 Set 21:15 Curfew 23:00 Set length 90 minutes',
    'No other public performance within 150 km for 30 days before and after the show.',
    'Status draft',
    // 15:00 UTC is 11:00 in New York in April (daylight saving time).
    'Expires 1 April 2034 at 11:00 (America/New_York)',
    'Hospitality for eight. The promoter provides backline.',
  ]) {
    expect(text).toContain(line);
  }
  // Unchanged, the same bytes; changed, new ones (the terms are read as they are now).
  expect(sha256((await getPdf(base, admin, `/api/offers/${made.id}/document`)).bytes)).toBe(sha256(answer.bytes));
  expect((await base.rest('PUT', `/api/offers/${made.id}`, { as: admin, body: { guarantee: 300000 } })).status).toBe(200);
  const changed = await getPdf(base, admin, `/api/offers/${made.id}/document`, { 'if-none-match': answer.headers.get('etag')! });
  expect(changed.status).toBe(200);
  expect(await pdfText(changed.bytes)).toContain('Guarantee USD 3,000.00');
});

test('a door deal has no guarantee line; an offer without expiry says so', async () => {
  const made = await offer({ dealType: 'door', guarantee: null, percentage: 7550, percentageOf: 'net', expiresAt: null, schedule: null, radius: null, currency: 'JPY', ticketPrice: 4000 });
  const text = await pdfText((await getPdf(base, admin, `/api/offers/${made.id}/document`)).bytes);
  expect(text).toContain('Percentage 75.5% of net (after deal expenses)');
  // The yen has no minor unit.
  expect(text).toContain('Ticket price JPY 4,000');
  expect(text).toContain('Expires No expiry set');
  expect(text).not.toContain('Guarantee');
  expect(text).not.toContain('Radius');
});

test('GraphQL: Offer.documentUrl is the REST path', async () => {
  const made = await offer();
  const data = gqlData(await base.gql(`query($id: ID!) { offer(id: $id) { documentUrl } offers(limit: 1, filter: { artistId: "${made.artistId}" }) { items { id documentUrl } } }`, { id: made.id }, { as: admin }));
  expect(data.offer.documentUrl).toBe(`/api/offers/${made.id}/document`);
  expect(data.offers.items).toEqual([{ id: made.id, documentUrl: `/api/offers/${made.id}/document` }]);
});

test('needs basic.offer.view; another company\'s offer is 404', async () => {
  const made = await offer();
  const lacking = await base.caller(allBut('basic.offer.view'), { company: base.companyA });
  const refused = await getPdf(base, lacking, `/api/offers/${made.id}/document`);
  expect([refused.status, errorCode(refused)]).toEqual([403, 'FORBIDDEN']);
  const onlyOffers = await base.caller(['basic.offer.view'], { company: base.companyA });
  expect((await getPdf(base, onlyOffers, `/api/offers/${made.id}/document`)).status).toBe(200);
  const outsider = await base.caller(ALL_PERMISSIONS, { company: base.companyB });
  const foreign = await getPdf(base, outsider, `/api/offers/${made.id}/document`);
  expect([foreign.status, errorCode(foreign)]).toEqual([404, 'NOT_FOUND']);
});
