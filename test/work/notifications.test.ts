import { ConflictError } from '../../src/shared/errors';
import type { DomainEvent } from '../../src/core/events';
import type { FamilyModule, Module } from '../../src/core/module';
import { MODULES } from '../../src/modules';
import { taskModule } from '../../src/modules/tasks';
import { useTestBase } from '../support/harness';
import type { Caller } from '../support/harness';
import { expectGqlError, expectRestError, gqlData } from '../support/assertions';
import { allBut, createVia, freshCaller } from '../support/fixtures';

/**
 * Notifications (`/api/notifications`, `basic.notification.view`): made from the domain events that
 * declare a notice, in the transaction of the change, exactly one per event and affected user and
 * none for whoever caused it; only ever the caller's own (another user's is 404 on every path); read
 * one, read all, unread=true, the unread count; old ones removed by a periodic job.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A handler on every event that runs after the notifications' one (Tasks listed after Notifications)
 * and refuses a task titled "Doomed": the change fails after its notification was written.
 */
const vetoDoomed = async (event: DomainEvent) => {
  if (event.type === 'task.assigned' && event.payload.title === 'Doomed') throw new ConflictError('vetoed after the event was recorded');
};
const modules: Module[] = [...MODULES.filter((m) => m !== taskModule), { ...taskModule, handlers: { '*': [vetoDoomed] } } as FamilyModule];
const base = useTestBase({ NOTIFICATION_MAX_AGE_DAYS: '30' }, { modules });

let day = 0;
const freshDate = () => `2035-${String((Math.floor(day / 28) % 12) + 1).padStart(2, '0')}-${String((day++ % 28) + 1).padStart(2, '0')}`;

/** Users of one fresh company. */
async function team(n: number): Promise<Caller[]> {
  const first = await freshCaller(base);
  const rest = await Promise.all(Array.from({ length: n - 1 }, () => base.caller(undefined, { company: first.companyId })));
  return [first, ...rest];
}
const act = async (actor: Caller, path: string, body: Record<string, unknown> = {}) => {
  const res = await base.rest('POST', path, { as: actor, body });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
};
/** Every notification of the company, straight from the table: who got what about which record. */
const allOf = (companyId: string) =>
  base.sql<{ recipient_id: string; kind: string; entity_id: string; body: string | null; created_by: string; event_id: string }>(
    `SELECT recipient_id, kind, entity_id, body, created_by, event_id FROM "${base.schema}".notifications WHERE company_id = $1 ORDER BY created_at, kind, recipient_id`,
    [companyId],
  );
const inbox = async (actor: Caller, query = '') => {
  const res = await base.rest('GET', `/api/notifications${query}`, { as: actor });
  expect(res.status).toBe(200);
  return res.body;
};

describe('made by the domain: one per event and affected user, never the actor', () => {
  test('task assigned: the assignee, once; not the one who assigned it, nor anyone else; not when taken yourself', async () => {
    const [boss, worker, bystander] = await team(3);
    const task = await createVia(base, boss, '/api/tasks', { title: 'Load the van', assigneeId: worker.userId });
    await createVia(base, boss, '/api/tasks', { title: 'My own', assigneeId: boss.userId });
    await base.rest('PUT', `/api/tasks/${task.id}`, { as: boss, body: { title: 'Load the van today' } }); // same assignee: nothing new

    const rows = await allOf(boss.companyId);
    expect(rows.map((r) => [r.recipient_id, r.kind, r.entity_id, r.body, r.created_by])).toEqual([
      [worker.userId, 'task.assigned', task.id, 'Load the van', boss.userId],
    ]);
    const mine = await inbox(worker);
    expect(mine.meta.total).toBe(1);
    expect(mine.data[0]).toMatchObject({ kind: 'task.assigned', title: 'A task was assigned to you', entityType: 'Task', entityId: task.id, readAt: null, recipientId: worker.userId });
    expect((await inbox(boss)).meta.total).toBe(0);
    expect((await inbox(bystander)).meta.total).toBe(0);
  });

  test('expense approved or rejected: who submitted it; not who decided', async () => {
    const [submitter, approver] = await team(2);
    const event = await createVia(base, submitter, '/api/events', { name: 'Show', startsAt: '2035-06-01T20:00:00Z' });
    const expense = (description: string) => createVia(base, submitter, `/api/events/${event.id}/expenses`, { category: 'travel', description, amount: 1000 });
    const good = await expense('Train');
    const bad = await expense('Limousine');
    await act(submitter, `/api/events/${event.id}/expenses/${good.id}/submit`);
    await act(submitter, `/api/events/${event.id}/expenses/${bad.id}/submit`);
    await act(approver, `/api/events/${event.id}/expenses/${good.id}/approve`);
    await act(approver, `/api/events/${event.id}/expenses/${bad.id}/reject`, { note: 'Take the bus' });

    const rows = await allOf(submitter.companyId);
    expect(rows.map((r) => [r.recipient_id, r.kind, r.entity_id, r.body])).toEqual([
      [submitter.userId, 'expense.approved', good.id, null],
      [submitter.userId, 'expense.rejected', bad.id, 'Take the bus'],
    ]);
  });

  test('holds: challenged, moved up, released (by another, or by a confirmation) tell their holder; your own moves tell you nothing', async () => {
    const [first, second, third, booker] = await team(4);
    const venue = await createVia(base, first, '/api/venues', { name: 'Hall' });
    const date = freshDate();
    const hold = (actor: Caller) => createVia(base, actor, '/api/avails', { venueId: venue.id, date });
    const h1 = await hold(first);
    const h2 = await hold(second);
    const h3 = await hold(third);

    await act(second, `/api/avails/${h2.id}/challenge`); // first is challenged
    await act(first, `/api/avails/${h1.id}/release`); // first gives up its own hold: second and third move up
    await act(booker, `/api/avails/${h2.id}/confirm`); // someone else confirms second's hold: third is released

    const rows = await allOf(first.companyId);
    // The moves of one change share a time: compared in any order.
    const sorted = (list: string[][]) => list.map((r) => JSON.stringify(r)).sort();
    expect(sorted(rows.map((r) => [r.recipient_id, r.kind, r.entity_id]))).toEqual(
      sorted([
        [first.userId, 'avail.challenged', h1.id],
        [second.userId, 'avail.moved-up', h2.id],
        [third.userId, 'avail.moved-up', h3.id],
        [third.userId, 'avail.released', h3.id],
      ]),
    );
    expect(rows.find((r) => r.kind === 'avail.released')!.body).toBe('Released: the slot was confirmed.');

    // Released by someone else: the holder hears of it.
    const other = await hold(first);
    await act(booker, `/api/avails/${other.id}/release`);
    const after = await allOf(first.companyId);
    expect(after.slice(rows.length).map((r) => [r.recipient_id, r.kind, r.entity_id, r.created_by])).toEqual([[first.userId, 'avail.released', other.id, booker.userId]]);
  });

  test('offer accepted or declined, agreement signed: who made the offer; not who answered', async () => {
    const [maker, promoter] = await team(2);
    const offer = async () =>
      createVia(base, maker, '/api/offers', {
        artistId: (await createVia(base, maker, '/api/artists', { name: 'Band' })).id,
        venueId: (await createVia(base, maker, '/api/venues', { name: 'Club' })).id,
        date: freshDate(),
        dealType: 'flat',
        guarantee: 50000,
      });
    const accepted = await offer();
    const declined = await offer();
    await act(maker, `/api/offers/${accepted.id}/send`);
    await act(maker, `/api/offers/${declined.id}/send`);
    const acceptedNow = await act(promoter, `/api/offers/${accepted.id}/accept`);
    await act(promoter, `/api/offers/${declined.id}/decline`);
    await act(promoter, `/api/agreements/${acceptedNow.agreementId}/send`);
    await act(promoter, `/api/agreements/${acceptedNow.agreementId}/sign`, { signerName: 'Signer', signerEmail: 'signer@example.com' });

    const rows = await allOf(maker.companyId);
    expect(rows.map((r) => [r.recipient_id, r.kind, r.entity_id])).toEqual([
      [maker.userId, 'offer.accepted', accepted.id],
      [maker.userId, 'offer.declined', declined.id],
      [maker.userId, 'agreement.signed', acceptedNow.agreementId],
    ]);
    // Answering your own offer tells nobody.
    const own = await offer();
    await act(maker, `/api/offers/${own.id}/send`);
    await act(maker, `/api/offers/${own.id}/decline`);
    expect((await allOf(maker.companyId)).length).toBe(rows.length);
  });

  test('each notification names a distinct event: never two for one event and recipient', async () => {
    const [boss, worker] = await team(2);
    for (const title of ['One', 'Two']) await createVia(base, boss, '/api/tasks', { title, assigneeId: worker.userId });
    const rows = await allOf(boss.companyId);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => `${r.event_id}:${r.recipient_id}`)).size).toBe(2);
    const [{ type }] = await base.sql<{ type: string }>(`SELECT type FROM "${base.schema}".domain_events WHERE id = $1`, [rows[0].event_id]);
    expect(type).toBe('task.assigned');
  });

  test('a change that fails after its event was recorded notifies nobody, and leaves nothing', async () => {
    const [boss, worker] = await team(2);
    const doomed = await base.rest('POST', '/api/tasks', { as: boss, body: { title: 'Doomed', assigneeId: worker.userId } });
    expectRestError(doomed, 409, 'CONFLICT');
    const kept = await createVia(base, boss, '/api/tasks', { title: 'Kept' });
    const reassigned = await base.rest('PUT', `/api/tasks/${kept.id}`, { as: boss, body: { title: 'Doomed', assigneeId: worker.userId } });
    expectRestError(reassigned, 409, 'CONFLICT');

    expect(await allOf(boss.companyId)).toEqual([]);
    const tasks = await base.sql<{ title: string; assignee_id: string | null }>(`SELECT title, assignee_id FROM "${base.schema}".tasks WHERE company_id = $1`, [boss.companyId]);
    expect(tasks).toEqual([{ title: 'Kept', assignee_id: null }]);
    expect((await inbox(worker)).meta.total).toBe(0);
  });
});

describe('reading your notifications', () => {
  async function inboxOfThree() {
    const [boss, worker] = await team(2);
    const ids: string[] = [];
    for (const title of ['First', 'Second', 'Third']) {
      const task = await createVia(base, boss, '/api/tasks', { title, assigneeId: worker.userId });
      ids.push(task.id);
    }
    const listed = await inbox(worker);
    return { boss, worker, notes: listed.data as any[] };
  }

  test('newest first; read one (PUT, idempotent), unread=true/false, the unread count, read all', async () => {
    const { worker, notes } = await inboxOfThree();
    expect(notes.map((n) => n.body)).toEqual(['Third', 'Second', 'First']);
    const count = async () => gqlData(await base.gql('{ unreadNotificationCount }', {}, { as: worker })).unreadNotificationCount;
    expect(await count()).toBe(3);
    expect((await base.rest('GET', '/api/notifications/unread-count', { as: worker })).body).toEqual({ data: { count: 3 } });

    const read = await base.rest('PUT', `/api/notifications/${notes[1].id}/read`, { as: worker });
    expect(read.status).toBe(200);
    expect(Date.parse(read.body.data.readAt)).not.toBeNaN();
    const again = await base.rest('PUT', `/api/notifications/${notes[1].id}/read`, { as: worker });
    expect(again.body.data.readAt).toBe(read.body.data.readAt);
    expect((await base.rest('POST', `/api/notifications/${notes[1].id}/read`, { as: worker })).status).toBe(405);

    expect((await inbox(worker, '?unread=true')).data.map((n: any) => n.body)).toEqual(['Third', 'First']);
    expect((await inbox(worker, '?unread=false')).data.map((n: any) => n.body)).toEqual(['Second']);
    expect(await count()).toBe(2);
    const gqlUnread = gqlData(await base.gql('{ notifications(filter: { unread: true }) { total items { body } } }', {}, { as: worker }));
    expect(gqlUnread.notifications).toEqual({ total: 2, items: [{ body: 'Third' }, { body: 'First' }] });

    const viaGql = gqlData(await base.gql('mutation($id: ID!) { readNotification(id: $id) { id readAt } }', { id: notes[0].id }, { as: worker }));
    expect(viaGql.readNotification.readAt).not.toBeNull();
    expect(await count()).toBe(1);

    expect((await base.rest('POST', '/api/notifications/read-all', { as: worker })).body).toEqual({ data: { count: 1 } });
    expect(await count()).toBe(0);
    expect(gqlData(await base.gql('mutation { readAllNotifications }', {}, { as: worker })).readAllNotifications).toBe(0);
    expect((await inbox(worker, '?unread=true')).meta.total).toBe(0);
    expectRestError(await base.rest('GET', '/api/notifications?unread=maybe', { as: worker }), 400, 'VALIDATION_FAILED');
  });

  test("another user's notification is 404 on every path, and read-all and the count never touch it", async () => {
    const { boss, worker, notes } = await inboxOfThree();
    const colleague = await base.caller(undefined, { company: worker.companyId });
    const id = notes[0].id;
    for (const snoop of [boss, colleague]) {
      expectRestError(await base.rest('GET', `/api/notifications/${id}`, { as: snoop }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('PUT', `/api/notifications/${id}/read`, { as: snoop }), 404, 'NOT_FOUND');
      expect((await base.rest('GET', `/api/notifications/${id}/history`, { as: snoop })).status).toBe(404);
      expect(gqlData(await base.gql('query($id: ID!) { notification(id: $id) { id } }', { id }, { as: snoop })).notification).toBeNull();
      expectGqlError(await base.gql('mutation($id: ID!) { readNotification(id: $id) { id } }', { id }, { as: snoop }), 'NOT_FOUND');
      const entities = await base.gql(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Notification { id title } } }',
        { r: [{ __typename: 'Notification', id }] },
        { as: snoop },
      );
      expect(gqlData(entities)._entities).toEqual([null]);
      expect((await inbox(snoop)).meta.total).toBe(0);
      expect((await base.rest('POST', '/api/notifications/read-all', { as: snoop })).body).toEqual({ data: { count: 0 } });
      expect(gqlData(await base.gql('{ unreadNotificationCount }', {}, { as: snoop })).unreadNotificationCount).toBe(0);
    }
    // Another company, even with the recipient's own user id in the token, sees nothing.
    const elsewhere = await base.caller(undefined, { company: base.companyB });
    expectRestError(await base.rest('GET', `/api/notifications/${id}`, { as: elsewhere }), 404, 'NOT_FOUND');

    // The owner's stay as they were, and the owner reads them.
    expect(gqlData(await base.gql('{ unreadNotificationCount }', {}, { as: worker })).unreadNotificationCount).toBe(3);
    expect((await base.rest('GET', `/api/notifications/${id}`, { as: worker })).body.data.id).toBe(id);
    const theirs = await base.gql('query($r: [_Any!]!) { _entities(representations: $r) { ... on Notification { id } } }', { r: [{ __typename: 'Notification', id }] }, { as: worker });
    expect(gqlData(theirs)._entities).toEqual([{ id }]);
  });

  test('needs basic.notification.view; there is no history, create, update or delete', async () => {
    const { worker, notes } = await inboxOfThree();
    const blind = await base.caller(allBut('basic.notification.view'), { company: worker.companyId });
    expectRestError(await base.rest('GET', '/api/notifications', { as: blind }), 403, 'FORBIDDEN');
    expectRestError(await base.rest('POST', '/api/notifications/read-all', { as: blind }), 403, 'FORBIDDEN');
    expectGqlError(await base.gql('{ unreadNotificationCount }', {}, { as: blind }), 'FORBIDDEN');
    expect((await base.rest('POST', '/api/notifications', { as: worker, body: { title: 'x' } })).status).toBe(405);
    expect((await base.rest('DELETE', `/api/notifications/${notes[0].id}`, { as: worker })).status).toBe(405);
    const fields = gqlData(await base.gql('{ __type(name: "Notification") { fields { name } } }', {}, { as: worker })).__type.fields.map((f: any) => f.name);
    expect(fields).not.toContain('history');
  });
});

describe('removal of old notifications', () => {
  test('older than NOTIFICATION_MAX_AGE_DAYS are removed in every company, in batches; younger stay', async () => {
    const insert = (companyId: string, ageDays: number, count: number) =>
      base.sql(
        `INSERT INTO "${base.schema}".notifications (company_id, recipient_id, event_id, kind, title, entity_type, entity_id, created_by, created_at)
         SELECT $1, 'user-old', gen_random_uuid(), 'task.assigned', 'Old', 'Task', gen_random_uuid(), 'someone', now() - $2 * interval '1 day'
           FROM generate_series(1, $3)`,
        [companyId, ageDays, count],
      );
    const [ours] = await team(1);
    const theirs = await freshCaller(base);
    await insert(ours.companyId, 31, 1500); // more than one batch
    await insert(theirs.companyId, 45, 3);
    await insert(ours.companyId, 29, 2);
    await insert(theirs.companyId, 1, 1);

    await base.server.jobs.triggerPeriodic('notification.remove-old');
    await base.server.jobs.runOnce();
    const left = await base.sql<{ company_id: string; n: number }>(
      `SELECT company_id, count(*)::int AS n FROM "${base.schema}".notifications WHERE company_id IN ($1, $2) GROUP BY company_id ORDER BY n DESC`,
      [ours.companyId, theirs.companyId],
    );
    expect(left).toEqual([
      { company_id: ours.companyId, n: 2 },
      { company_id: theirs.companyId, n: 1 },
    ]);
  });
});
