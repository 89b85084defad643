import { useTestBase } from '../support/harness';
import type { Caller } from '../support/harness';
import { expectGqlError, expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { familySuite } from '../support/family-suite';
import { allBut, createVia, freshCaller } from '../support/fixtures';
import { stateMachineSuite } from '../support/state-machine-suite';
import { taskFamily } from '../../src/modules/tasks';

/**
 * Tasks (`/api/tasks`, `basic.task.*`): the family contract on both surfaces, the filters
 * (assignee=me, status, eventId, dueBefore, overdue), links to an event or offer of the company
 * (Event.tasks and Offer.tasks, paged, under basic.task.view), the status machine with reopen, and the
 * `task.assigned` event when a task becomes someone else's.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const base = useTestBase();

let day = 0;
const freshDate = () => `2034-${String((Math.floor(day / 28) % 12) + 1).padStart(2, '0')}-${String((day++ % 28) + 1).padStart(2, '0')}`;
const createEvent = (actor: Caller, name = 'Show') => createVia(base, actor, '/api/events', { name, startsAt: '2034-06-15T20:00:00Z' });
const createOffer = async (actor: Caller) =>
  createVia(base, actor, '/api/offers', {
    artistId: (await createVia(base, actor, '/api/artists', { name: 'Band' })).id,
    venueId: (await createVia(base, actor, '/api/venues', { name: 'Hall' })).id,
    date: freshDate(),
    dealType: 'flat',
    guarantee: 100000,
  });
const createTask = (actor: Caller, body: Record<string, unknown> = {}) => createVia(base, actor, '/api/tasks', { title: 'Call the venue', ...body });
const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);

familySuite(base, {
  resource: 'task',
  typeName: 'Task',
  singular: 'task',
  plural: 'tasks',
  path: '/api/tasks',
  table: 'tasks',
  label: 'title',
  search: true,
  fullBody: async (b, actor) => ({
    title: 'Book the hotel',
    status: 'todo',
    description: 'Two rooms, near the venue.',
    priority: 'high',
    dueAt: '2034-05-01T09:00:00.000Z',
    assigneeId: 'user-somebody-else',
    eventId: (await createEvent(actor)).id,
    offerId: (await createOffer(actor)).id,
  }),
  minimalBody: (title) => ({ title }),
  minimalDefaults: { description: null, status: 'todo', priority: 'normal', dueAt: null, assigneeId: null, eventId: null, offerId: null },
  toGraphql: (rest) => ({
    ...rest,
    ...('status' in rest ? { status: upper(rest.status) } : {}),
    ...('priority' in rest ? { priority: upper(rest.priority) } : {}),
  }),
  graphqlInput: ({ status: _status, ...rest }) => ({ ...rest, ...('priority' in rest ? { priority: upper(rest.priority) } : {}) }),
  selection: 'id createdAt updatedAt createdBy version title description status priority dueAt assigneeId eventId offerId',
  clearable: 'description',
});

const reachBy: Record<string, string[]> = { todo: [], in_progress: ['start'], done: ['complete'], cancelled: ['cancel'] };
stateMachineSuite({
  base,
  family: taskFamily,
  caller: () => base.caller(),
  path: (id) => `/api/tasks/${id}`,
  async reach(actor, state) {
    const task = await createTask(actor, { title: `In ${state}` });
    for (const action of reachBy[state]) {
      const res = await base.rest('POST', `/api/tasks/${task.id}/${action}`, { as: actor, body: {} });
      if (res.status !== 200) throw new Error(`${action} failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return task.id;
  },
});

describe('the status machine', () => {
  test('done and cancelled tasks reopen to todo; start, complete and cancel from where they may', async () => {
    const actor = await freshCaller(base);
    const task = await createTask(actor);
    const move = async (action: string) => (await base.rest('POST', `/api/tasks/${task.id}/${action}`, { as: actor, body: {} })).body.data?.status;
    expect(await move('start')).toBe('in_progress');
    expect(await move('complete')).toBe('done');
    expect(await move('reopen')).toBe('todo');
    expect(await move('cancel')).toBe('cancelled');
    expect(await move('reopen')).toBe('todo');
    const reopenOpen = await base.rest('POST', `/api/tasks/${task.id}/reopen`, { as: actor, body: {} });
    expect(expectRestError(reopenOpen, 409, 'CONFLICT').message).toMatch(/todo.*done, cancelled/);
  });

  test('the status is not writable by PUT (ignored) and is not a create field', async () => {
    const actor = await freshCaller(base);
    const task = await createTask(actor);
    const res = await base.rest('PUT', `/api/tasks/${task.id}`, { as: actor, body: { status: 'done', title: 'Renamed' } });
    expect(res.body.data).toMatchObject({ status: 'todo', title: 'Renamed' });
  });
});

describe('filters', () => {
  const titles = async (actor: Caller, query: string) => {
    const res = await base.rest('GET', `/api/tasks?${query}`, { as: actor });
    expect(res.status).toBe(200);
    return res.body.data.map((t: any) => t.title).sort();
  };

  test('assignee=me is the caller; another id is that user; status, eventId and offerId narrow', async () => {
    const me = await freshCaller(base);
    const colleague = await base.caller(undefined, { company: me.companyId });
    const event = await createEvent(me);
    const offer = await createOffer(me);
    await createTask(me, { title: 'Mine', assigneeId: me.userId, eventId: event.id });
    await createTask(me, { title: 'Theirs', assigneeId: colleague.userId, offerId: offer.id });
    await createTask(me, { title: 'Nobody' });
    const done = await createTask(me, { title: 'Mine done', assigneeId: me.userId });
    await base.rest('POST', `/api/tasks/${done.id}/complete`, { as: me, body: {} });

    expect(await titles(me, 'assignee=me')).toEqual(['Mine', 'Mine done']);
    expect(await titles(colleague, 'assignee=me')).toEqual(['Theirs']);
    expect(await titles(me, `assignee=${colleague.userId}`)).toEqual(['Theirs']);
    expect(await titles(me, 'assignee=me&status=todo')).toEqual(['Mine']);
    expect(await titles(me, `eventId=${event.id}`)).toEqual(['Mine']);
    expect(await titles(me, `offerId=${offer.id}`)).toEqual(['Theirs']);

    const gql = gqlData(await base.gql('{ tasks(filter: { assignee: "me", status: DONE }) { total items { title } } }', {}, { as: me }));
    expect(gql.tasks).toEqual({ total: 1, items: [{ title: 'Mine done' }] });
  });

  test('overdue=true is open tasks past their due time; false is every other; dueBefore is strictly before', async () => {
    const me = await freshCaller(base);
    const now = base.clock.now().getTime();
    const past = new Date(now - 3_600_000).toISOString();
    const future = new Date(now + 86_400_000).toISOString();
    await createTask(me, { title: 'Late', dueAt: past });
    const started = await createTask(me, { title: 'Late started', dueAt: past });
    await base.rest('POST', `/api/tasks/${started.id}/start`, { as: me, body: {} });
    const finished = await createTask(me, { title: 'Late but done', dueAt: past });
    await base.rest('POST', `/api/tasks/${finished.id}/complete`, { as: me, body: {} });
    const dropped = await createTask(me, { title: 'Late but cancelled', dueAt: past });
    await base.rest('POST', `/api/tasks/${dropped.id}/cancel`, { as: me, body: {} });
    await createTask(me, { title: 'Later', dueAt: future });
    await createTask(me, { title: 'Whenever' });

    expect(await titles(me, 'overdue=true')).toEqual(['Late', 'Late started']);
    expect(await titles(me, 'overdue=false')).toEqual(['Late but cancelled', 'Late but done', 'Later', 'Whenever']);
    expect(await titles(me, `dueBefore=${encodeURIComponent(future)}`)).toEqual(['Late', 'Late but cancelled', 'Late but done', 'Late started']);
    expect(await titles(me, `dueBefore=${encodeURIComponent(new Date(now + 2 * 86_400_000).toISOString())}&overdue=false`)).toEqual([
      'Late but cancelled',
      'Late but done',
      'Later',
    ]);
    const gql = gqlData(await base.gql('{ tasks(filter: { overdue: true }) { items { title } } }', {}, { as: me }));
    expect(gql.tasks.items.map((t: any) => t.title)).toEqual(['Late', 'Late started']);

    // Overdue by the clock: a minute before "Later" is due it is not; just past its due time it is.
    base.clock.advanceTo(new Date(Date.parse(future) - 60_000));
    expect(await titles(me, 'overdue=true')).toEqual(['Late', 'Late started']);
    base.clock.advanceTo(new Date(Date.parse(future) + 1));
    expect(await titles(me, 'overdue=true')).toEqual(['Late', 'Late started', 'Later']);
  });

  test('bad filter values are 400 naming them', async () => {
    const me = await freshCaller(base);
    expectRestValidation(await base.rest('GET', '/api/tasks?overdue=yes', { as: me }), ['overdue']);
    expectRestValidation(await base.rest('GET', '/api/tasks?dueBefore=tomorrow', { as: me }), ['dueBefore']);
    expectRestValidation(await base.rest('GET', '/api/tasks?status=waiting', { as: me }), ['status']);
    expectRestValidation(await base.rest('GET', '/api/tasks?eventId=nope', { as: me }), ['eventId']);
  });
});

describe('links to events and offers', () => {
  test('an event or offer of another company, or none at all, is refused and nothing is written', async () => {
    const me = await freshCaller(base);
    const outsider = await freshCaller(base);
    const theirEvent = await createEvent(outsider);
    const theirOffer = await createOffer(outsider);
    for (const body of [{ eventId: theirEvent.id }, { offerId: theirOffer.id }, { eventId: '00000000-0000-4000-8000-00000000dead' }]) {
      const res = await base.rest('POST', '/api/tasks', { as: me, body: { title: 'Sneaky', ...body } });
      expectRestValidation(res, Object.keys(body));
    }
    expect((await base.rest('GET', '/api/tasks', { as: me })).body.meta.total).toBe(0);
  });

  test('Event.tasks and Offer.tasks: a page each, under basic.task.view, in one statement per page of parents', async () => {
    const me = await freshCaller(base);
    const events = [await createEvent(me, 'One'), await createEvent(me, 'Two')];
    const offer = await createOffer(me);
    await createTask(me, { title: 'Later', eventId: events[0].id, dueAt: '2034-02-01T00:00:00Z' });
    await createTask(me, { title: 'Sooner', eventId: events[0].id, dueAt: '2034-01-01T00:00:00Z' });
    await createTask(me, { title: 'Other', eventId: events[1].id });
    await createTask(me, { title: 'Offer task', offerId: offer.id });

    const query = `{ events { items { name tasks(limit: 1) { total items { title } } } } offer(id: "${offer.id}") { tasks { total items { title event { id } } } } }`;
    const before = base.statements();
    const data = gqlData(await base.gql(query, {}, { as: me }));
    const spent = base.statements() - before;
    expect(data.events.items).toEqual([
      { name: 'One', tasks: { total: 2, items: [{ title: 'Sooner' }] } },
      { name: 'Two', tasks: { total: 1, items: [{ title: 'Other' }] } },
    ]);
    expect(data.offer.tasks).toEqual({ total: 1, items: [{ title: 'Offer task', event: null }] });
    expect(spent).toBeLessThanOrEqual(12);

    const blind = await base.caller(allBut('basic.task.view'), { company: me.companyId });
    const denied = await base.gql(`{ event(id: "${events[0].id}") { name tasks { total } } }`, {}, { as: blind });
    expectGqlError(denied, 'FORBIDDEN', ['event', 'tasks']);
    expect(denied.body.data.event.name).toBe('One');
  });

  test('an event or offer that tasks name cannot be deleted: 409 naming the tasks', async () => {
    const me = await freshCaller(base);
    const event = await createEvent(me);
    const offer = await createOffer(me);
    await createTask(me, { eventId: event.id });
    await createTask(me, { offerId: offer.id });
    const eventDelete = expectRestError(await base.rest('DELETE', `/api/events/${event.id}`, { as: me }), 409, 'CONFLICT');
    expect(eventDelete.message).toMatch(/task/i);
    const offerDelete = expectRestError(await base.rest('DELETE', `/api/offers/${offer.id}`, { as: me }), 409, 'CONFLICT');
    expect(offerDelete.message).toMatch(/task/i);
  });
});

describe('the assignment event', () => {
  const assigned = (taskId: string) =>
    base.sql<{ payload: any; actor_id: string }>(`SELECT payload, actor_id FROM "${base.schema}".domain_events WHERE entity_id = $1 AND type = 'task.assigned' ORDER BY occurred_at, id`, [taskId]);

  test('created for someone else: one task.assigned affecting them; created for yourself or nobody: none', async () => {
    const me = await freshCaller(base);
    const colleague = await base.caller(undefined, { company: me.companyId });
    const theirs = await createTask(me, { assigneeId: colleague.userId });
    expect(await assigned(theirs.id)).toEqual([{ actor_id: me.userId, payload: expect.objectContaining({ from: null, to: colleague.userId, affects: [colleague.userId] }) }]);
    expect(await assigned((await createTask(me, { assigneeId: me.userId })).id)).toEqual([]);
    expect(await assigned((await createTask(me)).id)).toEqual([]);
  });

  test('reassigned to someone: one event for them; the same assignee again, taking it yourself, or unassigning: none', async () => {
    const me = await freshCaller(base);
    const first = await base.caller(undefined, { company: me.companyId });
    const second = await base.caller(undefined, { company: me.companyId });
    const task = await createTask(me);
    const put = (body: Record<string, unknown>, as = me) => base.rest('PUT', `/api/tasks/${task.id}`, { as, body });

    expect((await put({ assigneeId: first.userId })).status).toBe(200);
    expect((await put({ assigneeId: first.userId, title: 'Same person' })).status).toBe(200);
    expect((await put({ assigneeId: second.userId })).status).toBe(200);
    expect((await put({ assigneeId: second.userId }, second)).status).toBe(200);
    expect((await put({ assigneeId: first.userId }, first)).status).toBe(200); // takes it back themselves
    expect((await put({ assigneeId: null })).status).toBe(200);

    const events = await assigned(task.id);
    expect(events.map((e) => [e.actor_id, e.payload.from, e.payload.to, e.payload.affects])).toEqual([
      [me.userId, null, first.userId, [first.userId]],
      [me.userId, first.userId, second.userId, [second.userId]],
    ]);
  });

  test('over GraphQL too', async () => {
    const me = await freshCaller(base);
    const colleague = await base.caller(undefined, { company: me.companyId });
    const made = gqlData(await base.gql('mutation($i: TaskCreateInput!) { createTask(input: $i) { id assigneeId } }', { i: { title: 'Via GraphQL', assigneeId: colleague.userId } }, { as: me }));
    expect((await assigned(made.createTask.id)).map((e) => e.payload.affects)).toEqual([[colleague.userId]]);
  });
});
