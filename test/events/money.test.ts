import { Caller, useTestBase } from '../support/harness';
import { expectGqlError, expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { familySuite } from '../support/family-suite';
import { stateMachineSuite } from '../support/state-machine-suite';
import { createVia, freshCaller } from '../support/fixtures';
import { expenseFamily } from '../../src/modules/expenses';
import { createEvent } from './support';

/**
 * Income and expenses of an event (`/api/events/{eventId}/incomes|expenses`): the nested family
 * contract, the expense approval machine (nobody decides on what they submitted, a reason on
 * rejection, only drafts and rejected expenses change), vendors and events of the own company only,
 * and Event.incomes / Event.expenses each under its own view permission.
 */
const base = useTestBase();

const upper = (keys: string[]) => (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, keys.includes(k) && typeof v === 'string' ? v.toUpperCase() : v]));

familySuite(base, {
  resource: 'income',
  typeName: 'Income',
  singular: 'income',
  plural: 'incomes',
  path: '/api/events/:parent/incomes',
  table: 'incomes',
  label: 'description',
  search: true,
  parent: { key: 'eventId', create: async (b, actor) => (await createEvent(b, actor, { currency: 'GBP' })).id },
  fullBody: async () => ({ category: 'bar', description: 'Bar takings', amount: 125000, currency: 'EUR', receivedAt: '2031-06-02T01:00:00.000Z' }),
  minimalBody: (description) => ({ category: 'merch', description, amount: 5000 }),
  minimalDefaults: { currency: 'GBP', receivedAt: null },
  toGraphql: upper(['category']),
  graphqlInput: upper(['category']),
  selection: 'id createdAt updatedAt createdBy version eventId category description amount currency receivedAt',
  clearable: 'receivedAt',
});

familySuite(base, {
  resource: 'expense',
  typeName: 'Expense',
  singular: 'expense',
  plural: 'expenses',
  path: '/api/events/:parent/expenses',
  table: 'expenses',
  label: 'description',
  search: true,
  parent: { key: 'eventId', create: async (b, actor) => (await createEvent(b, actor, { currency: 'GBP' })).id },
  fullBody: async (b, actor) => ({
    category: 'production',
    vendorId: (await createVia(b, actor, '/api/vendors', { name: 'PA hire', category: 'sound' })).id,
    description: 'PA and lights',
    amount: 80000,
    currency: 'GBP',
    dueAt: '2031-06-10T00:00:00.000Z',
    // 20 % of 80,000: the VAT is computed, not sent (echoed back, it is ignored).
    vatRate: 2000,
    vat: 16000,
    status: 'draft',
    submittedBy: null,
    submittedAt: null,
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
  }),
  minimalBody: (description) => ({ category: 'other', description, amount: 100 }),
  minimalDefaults: { vendorId: null, currency: 'GBP', dueAt: null, vatRate: 0, vat: 0, status: 'draft', submittedBy: null, submittedAt: null, decidedBy: null, decidedAt: null, decisionNote: null },
  toGraphql: upper(['category', 'status']),
  graphqlInput: ({ vat: _v, status: _s, submittedBy: _a, submittedAt: _b, decidedBy: _c, decidedAt: _d, decisionNote: _e, ...rest }) => upper(['category'])(rest),
  selection: 'id createdAt updatedAt createdBy version eventId category vendorId description amount currency dueAt vatRate vat status submittedBy submittedAt decidedBy decidedAt decisionNote',
  clearable: 'dueAt',
});

const expenseBody = { category: 'venue', description: 'Room hire', amount: 50000 };
const act = (actor: Caller, eventId: string, id: string, action: string, body: Record<string, unknown> = {}) =>
  base.rest('POST', `/api/events/${eventId}/expenses/${id}/${action}`, { as: actor, body });
/** A new expense of a new event of the actor's company; when `submitter` is given, submitted by them. */
async function expense(actor: Caller, submitter?: Caller): Promise<{ id: string; eventId: string }> {
  const event = await createEvent(base, actor);
  const created = await createVia(base, actor, `/api/events/${event.id}/expenses`, expenseBody);
  if (submitter) expect((await act(submitter, event.id, created.id, 'submit')).status).toBe(200);
  return { id: created.id, eventId: event.id };
}

describe('Expense approval', () => {
  const eventOf = new Map<string, string>();
  stateMachineSuite({
    base,
    family: expenseFamily as never,
    caller: () => base.caller(),
    path: (id) => `/api/events/${eventOf.get(id)}/expenses/${id}`,
    input: (action) => (action === 'reject' ? { note: 'Over budget' } : undefined),
    async reach(actor, state) {
      // Someone else submits, so the actor may decide.
      const submitter = state === 'draft' ? undefined : await base.caller();
      const { id, eventId } = await expense(actor, submitter);
      eventOf.set(id, eventId);
      if (state === 'approved') expect((await act(actor, eventId, id, 'approve')).status).toBe(200);
      if (state === 'rejected') expect((await act(actor, eventId, id, 'reject', { note: 'No' })).status).toBe(200);
      return id;
    },
  });

  test('nobody approves or rejects an expense they submitted (403, nothing changes); another member may, and the decision names who and when and affects the submitter', async () => {
    const submitter = await freshCaller(base);
    const { id, eventId } = await expense(submitter, submitter);
    expectRestError(await act(submitter, eventId, id, 'approve'), 403, 'FORBIDDEN');
    expectRestError(await act(submitter, eventId, id, 'reject', { note: 'mine' }), 403, 'FORBIDDEN');
    const gql = await base.gql(`mutation($id: ID!) { approveExpense(id: $id) { id } }`, { id }, { as: submitter });
    expect(gql.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const approver = await base.caller(undefined, { company: submitter.companyId });
    base.clock.advance(86_400_000); // a day on: decidedAt is the clock's, not the machine's
    const before = base.clock.now().getTime();
    const approved = await act(approver, eventId, id, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.data).toMatchObject({ status: 'approved', submittedBy: submitter.userId, decidedBy: approver.userId, version: 3 });
    expect(Date.parse(approved.body.data.decidedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(approved.body.data.decidedAt)).toBeLessThanOrEqual(base.clock.now().getTime());
    const history = await base.rest('GET', `/api/events/${eventId}/expenses/${id}/history?limit=1`, { as: approver });
    expect(history.body.data[0]).toMatchObject({ type: 'expense.approved', actorId: approver.userId, payload: { affects: [submitter.userId] } });
  });

  test('reject needs a note (400 naming note); the rejection keeps it; editing a rejected expense makes it a draft again', async () => {
    const submitter = await freshCaller(base);
    const decider = await base.caller(undefined, { company: submitter.companyId });
    const { id, eventId } = await expense(submitter, submitter);
    expectRestValidation(await act(decider, eventId, id, 'reject'), ['note']);
    expectRestValidation(await act(decider, eventId, id, 'reject', { note: '  ' }), ['note']);
    const rejected = await act(decider, eventId, id, 'reject', { note: 'Quote missing' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.data).toMatchObject({ status: 'rejected', decidedBy: decider.userId, decisionNote: 'Quote missing' });
    const edited = await base.rest('PUT', `/api/events/${eventId}/expenses/${id}`, { as: submitter, body: { amount: 45000 } });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ status: 'draft', amount: 45000 });
  });

  test('a submitted or approved expense is neither edited nor deleted (409, nothing changes)', async () => {
    const actor = await freshCaller(base);
    const other = await base.caller(undefined, { company: actor.companyId });
    const { id, eventId } = await expense(actor, other);
    for (const step of ['submitted', 'approved']) {
      if (step === 'approved') expect((await act(actor, eventId, id, 'approve')).status).toBe(200);
      expectRestError(await base.rest('PUT', `/api/events/${eventId}/expenses/${id}`, { as: actor, body: { amount: 1 } }), 409, 'CONFLICT');
      expectRestError(await base.rest('DELETE', `/api/events/${eventId}/expenses/${id}`, { as: actor }), 409, 'CONFLICT');
      const now = await base.rest('GET', `/api/events/${eventId}/expenses/${id}`, { as: actor });
      expect(now.body.data).toMatchObject({ status: step, amount: 50000 });
    }
  });

  test("another company's vendor is 400 naming vendorId; another company's expense is 404 on every path", async () => {
    const actor = await freshCaller(base);
    const outsider = await base.caller(undefined, { company: base.companyB });
    const theirVendor = await createVia(base, outsider, '/api/vendors', { name: 'Theirs', category: 'sound' });
    const event = await createEvent(base, actor);
    expectRestValidation(
      await base.rest('POST', `/api/events/${event.id}/expenses`, { as: actor, body: { ...expenseBody, vendorId: theirVendor.id } }),
      ['vendorId'],
    );
    const theirs = await expense(outsider);
    const mine = await createEvent(base, actor);
    for (const path of [`/api/events/${theirs.eventId}/expenses/${theirs.id}`, `/api/events/${mine.id}/expenses/${theirs.id}`]) {
      expectRestError(await base.rest('GET', path, { as: actor }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('PUT', path, { as: actor, body: { amount: 1 } }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('DELETE', path, { as: actor }), 404, 'NOT_FOUND');
      expectRestError(await act(actor, path.split('/')[3], theirs.id, 'submit'), 404, 'NOT_FOUND');
    }
    expectRestError(await base.rest('GET', `/api/events/${theirs.eventId}/expenses`, { as: actor }), 404, 'NOT_FOUND');
  });
});

describe('Event.incomes and Event.expenses', () => {
  test('each under its own view permission: without basic.expense.view, expenses is null with FORBIDDEN on its path and the rest arrives', async () => {
    const admin = await freshCaller(base);
    const event = await createEvent(base, admin);
    await createVia(base, admin, `/api/events/${event.id}/incomes`, { category: 'bar', description: 'Bar', amount: 300 });
    await createVia(base, admin, `/api/events/${event.id}/expenses`, expenseBody);
    const q = `query($id: ID!) { event(id: $id) { id name incomes(limit: 10) { total items { description amount } } expenses(limit: 10) { total items { description status } } } }`;
    const full = gqlData(await base.gql(q, { id: event.id }, { as: admin }));
    expect(full.event.incomes).toEqual({ total: 1, items: [{ description: 'Bar', amount: 300 }] });
    expect(full.event.expenses).toEqual({ total: 1, items: [{ description: 'Room hire', status: 'DRAFT' }] });
    const reader = await base.caller(['basic.event.view', 'basic.income.view'], { company: admin.companyId });
    const partial = await base.gql(q, { id: event.id }, { as: reader });
    expectGqlError(partial, 'FORBIDDEN', ['event', 'expenses']);
    expect(partial.body.data.event).toMatchObject({ id: event.id, name: 'Show', incomes: { total: 1 }, expenses: null });
  });
});

describe('The approval queue', () => {
  test('GET /api/approvals and approvals(...): submitted expenses of every event of the company, oldest submission first, paged; decided, draft and other companies\u2019 are absent', async () => {
    const boss = await base.caller(undefined, { company: base.companyB });
    const clerk = await base.caller(undefined, { company: base.companyB });
    const first = await expense(boss, clerk);
    const draft = await expense(boss);
    const second = await expense(boss, clerk);
    const decided = await expense(boss, clerk);
    expect((await act(boss, decided.eventId, decided.id, 'approve')).status).toBe(200);
    const third = await expense(boss, clerk);
    await expense(await base.caller(), await base.caller()); // company A's, never in B's queue
    const queued = [first, second, third].map((e) => e.id);
    const all = await base.rest('GET', '/api/approvals?limit=100', { as: boss });
    expect(all.status).toBe(200);
    expect(all.body.data.map((e: { id: string }) => e.id)).toEqual(queued);
    expect(all.body.data.map((e: { id: string }) => e.id)).not.toContain(draft.id);
    expect(all.body.meta).toMatchObject({ total: 3 });
    const pageTwo = await base.rest('GET', '/api/approvals?limit=2&page=2', { as: boss });
    expect(pageTwo.body.data.map((e: { id: string }) => e.id)).toEqual([third.id]);
    const gql = gqlData(
      await base.gql(`{ approvals(limit: 2) { total items { id status submittedBy event { id } vendor { id } } } }`, {}, { as: boss }),
    );
    expect(gql.approvals.total).toBe(3);
    expect(gql.approvals.items).toEqual([first, second].map((e) => ({ id: e.id, status: 'SUBMITTED', submittedBy: clerk.userId, event: { id: e.eventId }, vendor: null })));
  });

  test('what the queue amounts to follows every change, concurrent ones too: approvalTotals and the dashboard equal the sum of the queue', async () => {
    const boss = await freshCaller(base);
    const clerks = await Promise.all(Array.from({ length: 3 }, () => base.caller(undefined, { company: boss.companyId })));
    const event = await createEvent(base, boss, { currency: 'EUR' });
    const drafts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createVia(base, boss, `/api/events/${event.id}/expenses`, { ...expenseBody, amount: 100 + i, currency: i % 3 ? 'EUR' : 'USD' }),
      ),
    );
    const path = (id: string, action: string) => `/api/events/${event.id}/expenses/${id}/${action}`;
    // Twelve submissions at once, then half of them decided at once while the other half are withdrawn
    // to draft by rejection: each change enters or leaves the queue in its own transaction.
    const submitted = await Promise.all(drafts.map((d, i) => base.rest('POST', path(d.id, 'submit'), { as: clerks[i % 3] })));
    expect(submitted.map((r) => r.status)).toEqual(drafts.map(() => 200));
    const decisions = drafts.flatMap((d, i) =>
      i % 2 ? [base.rest('POST', path(d.id, 'approve'), { as: boss })] : i % 4 ? [base.rest('POST', path(d.id, 'reject'), { as: boss, body: { note: 'No' } })] : [],
    );
    const decided = await Promise.all(decisions);
    expect(decided.map((r) => r.status)).toEqual(decided.map(() => 200));
    // An edited rejected expense submitted again, with a new amount.
    const again = drafts[2];
    expect((await base.rest('PUT', `/api/events/${event.id}/expenses/${again.id}`, { as: boss, body: { amount: 5000 } })).status).toBe(200);
    expect((await base.rest('POST', path(again.id, 'submit'), { as: clerks[0] })).status).toBe(200);

    const queue = (await base.rest('GET', '/api/approvals?limit=100', { as: boss })).body;
    const expected = new Map<string, { currency: string; amount: number; count: number }>();
    for (const e of queue.data as { currency: string; amount: number }[]) {
      const t = expected.get(e.currency) ?? { currency: e.currency, amount: 0, count: 0 };
      expected.set(e.currency, { ...t, amount: t.amount + e.amount, count: t.count + 1 });
    }
    const totals = [...expected.values()].sort((a, b) => a.currency.localeCompare(b.currency));
    expect(queue.data.length).toBe(4);
    expect(queue.meta.totals).toEqual(totals);
    const dashboard = gqlData(await base.gql('{ dashboard { pendingApprovals { count amounts { currency amount count } } } }', {}, { as: boss }));
    expect(dashboard.dashboard.pendingApprovals).toEqual({ count: 4, amounts: totals });
    // Deleting a draft or rejected expense never touches the totals; the queue emptied is no totals at all.
    for (const e of queue.data as { id: string }[]) expect((await base.rest('POST', path(e.id, 'approve'), { as: boss })).status).toBe(200);
    expect((await base.rest('GET', '/api/approvals', { as: boss })).body.meta.totals).toEqual([]);
  });

  test('needs basic.approval.view on both surfaces', async () => {
    const member = await base.caller(['basic.expense.view', 'basic.expense.approve']);
    expectRestError(await base.rest('GET', '/api/approvals', { as: member }), 403, 'FORBIDDEN');
    expectGqlError(await base.gql(`{ approvals { total } }`, {}, { as: member }), 'FORBIDDEN', ['approvals']);
    const approver = await base.caller(['basic.approval.view']);
    expect((await base.rest('GET', '/api/approvals', { as: approver })).status).toBe(200);
  });
});
