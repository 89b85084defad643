import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import { expectRestError, gqlData } from '../support/assertions';
import { allBut } from '../support/fixtures';
import { useTestBase } from '../support/harness';
import { errorCode, getPdf, pdfText, sha256 } from '../support/pdf';
import { shows } from '../events/shows';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The settlement statement (`GET /api/events/{id}/settlement/document`, `Settlement.documentUrl`):
 * the text a reader extracts from the PDF holds the figures of a settlement computed here by hand,
 * in the company's name, currency format and time zone; "PROVISIONAL" until the event is settled,
 * then who settled and when; byte-stable with an ETag; under `income.view` and `expense.view`, for
 * the caller's company only.
 */
const base = useTestBase();
const { company, show, post, must } = shows(base);

/**
 * Two artists: a plus deal with a cap and promoter profit (the headliner), and a flat one. By hand:
 * gross 4000 × 250 = 1,000,000; fees 200 × 250 = 50,000; adjusted 950,000; tax 950,000 × 1000 / 11000
 * = 86,363.6 → 86,364; net 863,636; other income 30,000; expenses 150,000 (the artist fee is not one).
 * Headliner: deal expenses min(150,000, 120,000) = 120,000; promoter profit 15% = 18,000; split point
 * 120,000 + 300,000 + 18,000 = 438,000; 85% × (863,636 − 438,000 = 425,636) = 361,790.6 → 361,791;
 * payout 300,000 + 361,791 = 661,791. Second artist: 50,000. Payouts 711,791.
 * Result: 863,636 + 30,000 − 150,000 − 711,791 = 31,845.
 */
const BY_HAND = [
  'Gross ticket sales EUR 10,000.00',
  'Ticket fees EUR 500.00',
  'Adjusted gross EUR 9,500.00',
  'Tax (10%, included in prices) EUR 863.64',
  'Net gross EUR 8,636.36',
  'Other income EUR 300.00',
  'Expenses (approved, artist fees excepted) EUR 1,500.00',
  'Promoter profit (headliner deal) EUR 180.00',
  'Split point (headliner deal) EUR 4,380.00',
  'Artist payout (headliner) EUR 6,617.91',
  'Promoter result EUR 318.45',
  'Headliner plus: EUR 3,000.00 plus 85% of net (after deal expenses), expense cap EUR 1,200.00, promoter profit 15% EUR 6,617.91',
  'Support act flat: EUR 500.00 EUR 500.00',
  'Total EUR 7,117.91',
];

async function completedShow() {
  const who = await company();
  await must(base.rest('PUT', '/api/companies/current', { as: who.admin, body: { displayName: 'Nachtwerk Konzerte', legalName: 'Nachtwerk Konzerte GmbH', timezone: 'Europe/Berlin' } }));
  const made = await show(who, {
    taxRate: 1000,
    tiers: [{ price: 4000, sold: 250, fee: 200 }],
    incomes: [{ amount: 30000 }],
    expenses: [{ amount: 150000 }, { amount: 100000, category: 'artist_fee' }],
    deals: [
      { dealType: 'plus', guarantee: 300000, percentage: 8500, percentageOf: 'net', expenseCap: 120000, promoterProfit: 1500 },
      { dealType: 'flat', guarantee: 50000 },
    ],
  });
  await must(base.rest('PUT', `/api/artists/${made.artists[0].id}`, { as: who.admin, body: { name: 'Headliner' } }));
  await must(base.rest('PUT', `/api/artists/${made.artists[1].id}`, { as: who.admin, body: { name: 'Support act' } }));
  return { who, ...made };
}

test('the statement carries every line of the settlement, computed by hand, in the company\'s name and time zone; PROVISIONAL until settled', async () => {
  const { who, event } = await completedShow();
  const path = `/api/events/${event.id}/settlement/document`;
  // The JSON settlement says the same, in minor units.
  expect(await must(base.rest('GET', `/api/events/${event.id}/settlement`, { as: who.admin }))).toMatchObject({
    gross: 1000000, fees: 50000, adjustedGross: 950000, tax: 86364, netGross: 863636, otherIncome: 30000, expenses: 150000,
    promoterProfit: 18000, splitPoint: 438000, artistPayout: 661791, promoterResult: 31845,
  });

  const provisional = await getPdf(base, who.admin, path);
  expect(provisional.status).toBe(200);
  expect(provisional.headers.get('content-type')).toBe('application/pdf');
  expect(provisional.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const text = await pdfText(provisional.bytes);
  expect(text).toContain('Nachtwerk Konzerte');
  expect(text).toContain('Settlement statement');
  // 20:00 UTC is 22:00 in Berlin in June.
  expect(text).toContain('Starts 1 June 2031 at 22:00 (Europe/Berlin)');
  for (const line of BY_HAND) expect(text).toContain(line);
  expect(text).toContain('PROVISIONAL');
  expect(text).toContain('Status Provisional');

  await must(post(who.admin, `/api/events/${event.id}/settle`));
  const statement = await must(base.rest('GET', `/api/events/${event.id}/settlement`, { as: who.admin }));
  const settled = await pdfText((await getPdf(base, who.admin, path)).bytes);
  for (const line of BY_HAND) expect(settled).toContain(line);
  expect(settled).not.toContain('PROVISIONAL');
  expect(settled).not.toContain('Provisional');
  const at = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', dateStyle: 'long', timeStyle: 'short' }).format(new Date(statement.settledAt));
  expect(settled).toContain(`Status Settled Settled at ${at} (Europe/Berlin) Settled by ${who.admin.userId}`);
});

test('withholding and reclaimable VAT are lines of the statement, computed by hand', async () => {
  const who = await company();
  await must(base.rest('PUT', '/api/companies/current', { as: who.admin, body: { vatRegistered: true } }));
  const { event } = await show(who, { tiers: [{ price: 4000, sold: 250 }], deals: [{ dealType: 'flat', guarantee: 100000, withholdingRate: 1500 }] });
  const cost = await must(base.rest('POST', `/api/events/${event.id}/expenses`, { as: who.admin, body: { category: 'production', description: 'Lights', amount: 50000, vatRate: 2000 } }), 201);
  await must(post(who.admin, `/api/events/${event.id}/expenses/${cost.id}/submit`));
  await must(post(who.approver, `/api/events/${event.id}/expenses/${cost.id}/approve`));
  // By hand: withholding 100,000 × 15% = 15,000, the artist gets 85,000; VAT 50,000 × 20% = 10,000, reclaimable
  // (the company is registered), so the expenses stay 50,000 net.
  const text = await pdfText((await getPdf(base, who.admin, `/api/events/${event.id}/settlement/document`)).bytes);
  expect(text).toContain('Expenses (approved, artist fees excepted, net of VAT) EUR 500.00');
  expect(text).toContain('VAT on expenses, reclaimable EUR 100.00');
  expect(text).toContain('Withholding tax due to the tax office EUR 150.00');
  expect(text).toContain('EUR 1,000.00 EUR 150.00 EUR 850.00');
});

test('the same record gives the same bytes: a strong ETag, If-None-Match answers 304, a safe inline file name', async () => {
  const { who, event } = await completedShow();
  const path = `/api/events/${event.id}/settlement/document`;
  const first = await getPdf(base, who.admin, path);
  const again = await getPdf(base, who.admin, path);
  expect(sha256(again.bytes)).toBe(sha256(first.bytes));
  expect(first.headers.get('etag')).toBe(`"${sha256(first.bytes)}"`);
  expect(first.headers.get('content-disposition')).toBe('inline; filename=settlement-Show-2031-06-01.pdf');
  const unchanged = await getPdf(base, who.admin, path, { 'if-none-match': first.headers.get('etag')! });
  expect([unchanged.status, unchanged.bytes.length]).toEqual([304, 0]);
  const head = await getPdf(base, who.admin, path, { range: 'bytes=0-4' });
  expect([head.status, head.headers.get('content-range'), head.bytes.toString()]).toEqual([206, `bytes 0-4/${first.bytes.length}`, '%PDF-']);
  // A new income changes the statement, so its bytes and ETag.
  await must(base.rest('POST', `/api/events/${event.id}/incomes`, { as: who.admin, body: { category: 'bar', description: 'Late bar', amount: 1000 } }), 201);
  const changed = await getPdf(base, who.admin, path, { 'if-none-match': first.headers.get('etag')! });
  expect(changed.status).toBe(200);
  expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'));
  expect(await pdfText(changed.bytes)).toContain('Other income EUR 310.00');
});

test('GraphQL: Settlement.documentUrl is the REST path, under the settlement\'s permissions', async () => {
  const { who, event } = await completedShow();
  const data = gqlData(await base.gql(`query($id: ID!) { event(id: $id) { settlement { eventId documentUrl } } }`, { id: event.id }, { as: who.admin }));
  expect(data.event.settlement).toEqual({ eventId: event.id, documentUrl: `/api/events/${event.id}/settlement/document` });
  const noIncome = await base.caller(allBut('basic.income.view'), { company: who.admin.companyId });
  const denied = await base.gql(`query($id: ID!) { event(id: $id) { id settlement { documentUrl } } }`, { id: event.id }, { as: noIncome });
  expect(denied.body.errors?.map((e: any) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['event', 'settlement']]]);
});

test('needs basic.income.view and basic.expense.view; another company\'s event, or none, is 404', async () => {
  const { who, event } = await completedShow();
  const path = `/api/events/${event.id}/settlement/document`;
  for (const lacking of ['basic.income.view', 'basic.expense.view']) {
    const actor = await base.caller(allBut(lacking), { company: who.admin.companyId });
    const answer = await getPdf(base, actor, path);
    expect([lacking, answer.status, errorCode(answer)]).toEqual([lacking, 403, 'FORBIDDEN']);
  }
  const enough = await base.caller(['basic.income.view', 'basic.expense.view'], { company: who.admin.companyId });
  expect((await getPdf(base, enough, path)).status).toBe(200);
  const outsider = await base.caller(ALL_PERMISSIONS, { company: base.companyB });
  const foreign = await getPdf(base, outsider, path);
  expect([foreign.status, errorCode(foreign)]).toEqual([404, 'NOT_FOUND']);
  expectRestError(await base.rest('GET', '/api/events/00000000-0000-4000-8000-00000000dead/settlement/document', { as: who.admin }), 404, 'NOT_FOUND');
});
