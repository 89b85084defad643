import { useTestBase } from '../support/harness';
import { expectRestError, gqlData } from '../support/assertions';
import { createVia } from '../support/fixtures';
import { shows } from '../events/shows';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * An agreement's payment schedule (`/api/agreements/{id}/payments`, `Agreement.payments`,
 * `Agreement.balanceDue`): editable until signed, then only marked paid; a payment past its dueAt
 * reads overdue, its agreement's creator is told once (even by sweeps racing), and the dashboard's
 * `paymentsDue` counts it apart.
 */
const base = useTestBase();
const { company, post, must, acceptedOffer } = shows(base);
const DAY = 86_400_000;

async function agreement(who: any) {
  const artist = await createVia(base, who.admin, '/api/artists', { name: 'Band' });
  const event = await createVia(base, who.admin, '/api/events', { name: 'Show', startsAt: '2031-06-01T20:00:00.000Z', currency: 'EUR', lineup: [artist.id] });
  const offer = await acceptedOffer(who.admin, event.id, artist.id, { dealType: 'flat', guarantee: 200000 });
  return offer.agreementId as string;
}

test('a schedule with an overdue payment: status, balance, one notice, the dashboard; signed, only marking paid', async () => {
  const who = await company();
  const id = await agreement(who);
  const at = (days: number) => new Date(base.clock.now().getTime() + days * DAY).toISOString();
  const deposit = await createVia(base, who.admin, `/api/agreements/${id}/payments`, { kind: 'deposit', amount: 50000, dueAt: at(1) });
  const balance = await createVia(base, who.admin, `/api/agreements/${id}/payments`, { kind: 'balance', amount: 150000, dueAt: at(10), reference: 'INV-2' });
  expect(deposit).toMatchObject({ kind: 'deposit', amount: 50000, currency: 'EUR', status: 'due', paidAt: null });
  expectRestError(await base.rest('POST', `/api/agreements/${id}/payments`, { as: who.admin, body: { kind: 'later', amount: -1, dueAt: at(1) } }), 400, 'VALIDATION_FAILED');

  base.clock.advance(2 * DAY);
  expect((await base.rest('GET', `/api/agreements/${id}/payments/${deposit.id}`, { as: who.admin })).body.data.status).toBe('overdue');
  const query = `query($id: ID!) { agreement(id: $id) { payments { items { kind status } } balanceDue { unpaid { currency amount } overdue { currency amount } } } }`;
  expect(gqlData(await base.gql(query, { id }, { as: who.admin })).agreement).toEqual({
    payments: { items: [{ kind: 'DEPOSIT', status: 'OVERDUE' }, { kind: 'BALANCE', status: 'DUE' }] },
    balanceDue: { unpaid: [{ currency: 'EUR', amount: 200000 }], overdue: [{ currency: 'EUR', amount: 50000 }] },
  });

  // The sweep, twice at once and once more: the creator hears once.
  await base.server.jobs.triggerPeriodic('payment.notice-overdue');
  await Promise.all([base.server.jobs.runOnce(), base.server.jobs.runOnce()]);
  await base.server.jobs.triggerPeriodic('payment.notice-overdue');
  await base.server.jobs.runOnce();
  const notices = (await base.rest('GET', '/api/notifications', { as: who.admin })).body.data.filter((n: any) => n.kind === 'payment.due-date-passed');
  expect(notices.map((n: any) => n.entityId)).toEqual([deposit.id]);
  const history = (await base.rest('GET', `/api/agreements/${id}/payments/${deposit.id}/history`, { as: who.admin })).body.data.map((e: any) => e.type);
  expect(history.filter((t: string) => t === 'payment.due-date-passed')).toHaveLength(1);

  const dashboard = (await base.rest('GET', '/api/dashboard', { as: who.admin })).body.data;
  expect(dashboard.paymentsDue).toEqual({
    count: 2,
    amounts: [{ currency: 'EUR', amount: 200000 }],
    overdueCount: 1,
    overdueAmounts: [{ currency: 'EUR', amount: 50000 }],
  });
  const noAgreements = await base.caller(['basic.dashboard.view'], { company: who.admin.companyId });
  expect((await base.rest('GET', '/api/dashboard', { as: noAgreements })).body.data.paymentsDue).toBeUndefined();

  await must(post(who.admin, `/api/agreements/${id}/send`));
  await must(post(who.admin, `/api/agreements/${id}/sign`, { signerName: 'Signer', signerEmail: 'signer@example.com' }));
  expectRestError(await base.rest('PUT', `/api/agreements/${id}/payments/${balance.id}`, { as: who.admin, body: { amount: 1 } }), 409, 'CONFLICT');
  expectRestError(await base.rest('DELETE', `/api/agreements/${id}/payments/${balance.id}`, { as: who.admin }), 409, 'CONFLICT');
  expectRestError(await base.rest('POST', `/api/agreements/${id}/payments`, { as: who.admin, body: { kind: 'other', amount: 1, dueAt: at(3) } }), 409, 'CONFLICT');
  const paid = await must(post(who.admin, `/api/agreements/${id}/payments/${deposit.id}/mark-paid`, { paidAt: at(0), reference: 'BANK-1' }));
  expect(paid).toMatchObject({ status: 'paid', reference: 'BANK-1' });
  expectRestError(await post(who.admin, `/api/agreements/${id}/payments/${deposit.id}/mark-paid`, { paidAt: at(0) }), 409, 'CONFLICT');

  const other = await company();
  expectRestError(await base.rest('GET', `/api/agreements/${id}/payments/${balance.id}`, { as: other.admin }), 404, 'NOT_FOUND');
});
