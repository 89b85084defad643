import { useTestBase } from '../support/harness';
import type { Caller } from '../support/harness';
import { KIT_SERVE, REMIND } from './fixture';
import { queueJobs } from '../jobs/support';

/**
 * The kit's workflow features, through both surfaces, on the fixture family: nested children,
 * operation sets, domain events with their transaction, the history and its permission, jobs a
 * change schedules, and sweeps.
 */
const base = useTestBase({}, KIT_SERVE);
let admin: Caller;
beforeAll(async () => {
  admin = await base.caller();
});

const tour = async (actor: Caller, title = 'Spring tour') => {
  const res = await base.rest('POST', '/api/kitTours', { as: actor, body: { title } });
  expect(res.status).toBe(201);
  return res.body.data as { id: string; status: string; version: number };
};
const jobsOf = (companyId: string) =>
  base.sql<{ kind: string; status: string }>(`SELECT kind, status FROM ${queueJobs(base.schema)} WHERE company_id = $1 AND kind = $2`, [companyId, REMIND]);

describe('nested families', () => {
  test('a stop is created, listed and read under its tour; through another tour it is 404', async () => {
    const spring = await tour(admin);
    const autumn = await tour(admin, 'Autumn tour');
    const created = await base.rest('POST', `/api/kitTours/${spring.id}/stops`, { as: admin, body: { city: 'Oslo' } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ city: 'Oslo', tourId: spring.id });
    const stop = created.body.data.id;

    const list = await base.rest('GET', `/api/kitTours/${spring.id}/stops`, { as: admin });
    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([stop]);
    expect((await base.rest('GET', `/api/kitTours/${autumn.id}/stops`, { as: admin })).body.meta.total).toBe(0);

    expect((await base.rest('GET', `/api/kitTours/${spring.id}/stops/${stop}`, { as: admin })).status).toBe(200);
    const elsewhere = await base.rest('GET', `/api/kitTours/${autumn.id}/stops/${stop}`, { as: admin });
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await base.rest('DELETE', `/api/kitTours/${autumn.id}/stops/${stop}`, { as: admin })).status).toBe(404);
    expect((await base.rest('GET', `/api/kitTours/${spring.id}/stops/${stop}`, { as: admin })).status).toBe(200);
  });

  test('a parent that does not exist, or is another company\u2019s, is 404 for listing and creating', async () => {
    const outsider = await base.caller(undefined, { company: base.companyB });
    const theirs = await tour(outsider, 'Their tour');
    for (const parent of [theirs.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const list = await base.rest('GET', `/api/kitTours/${parent}/stops`, { as: admin });
      expect([list.status, list.body.error.message]).toEqual([404, 'KitTour not found']);
      const create = await base.rest('POST', `/api/kitTours/${parent}/stops`, { as: admin, body: { city: 'Nowhere' } });
      expect(create.status).toBe(404);
    }
    const [{ n }] = await base.sql<{ n: string }>(`SELECT count(*) AS n FROM "${base.schema}".kit_stops WHERE city = 'Nowhere'`);
    expect(Number(n)).toBe(0);
  });

  test('GraphQL takes the parent id as an argument', async () => {
    const spring = await tour(admin);
    const made = await base.gql(
      `mutation($t: ID!) { createKitStop(tourId: $t, input: { city: "Bergen" }) { id tourId city } }`,
      { t: spring.id },
      { as: admin },
    );
    expect(made.body.data.createKitStop).toMatchObject({ tourId: spring.id, city: 'Bergen' });
    const listed = await base.gql(`query($t: ID!) { kitStops(tourId: $t) { total items { city } } }`, { t: spring.id }, { as: admin });
    expect(listed.body.data.kitStops).toEqual({ total: 1, items: [{ city: 'Bergen' }] });
  });
});

describe('operation sets', () => {
  test('an operation a family does not have is 405 with Allow on REST and absent from the schema', async () => {
    const spring = await tour(admin);
    const stop = (await base.rest('POST', `/api/kitTours/${spring.id}/stops`, { as: admin, body: { city: 'Riga' } })).body.data;
    const put = await base.rest('PUT', `/api/kitTours/${spring.id}/stops/${stop.id}`, { as: admin, body: { city: 'Tallinn' } });
    expect([put.status, put.body.error.code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
    expect(put.headers.get('allow')).toBe('GET, DELETE, HEAD');
    const mutations = await base.gql('{ __type(name: "Mutation") { fields { name } } }', {}, { as: admin });
    const names = mutations.body.data.__type.fields.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['createKitStop', 'deleteKitStop', 'updateKitTour', 'announceKitTour']));
    expect(names).not.toContain('updateKitStop');
  });

  test('an action needs its own permission on both surfaces', async () => {
    const spring = await tour(admin);
    const viewer = await base.caller(['basic.event.view']);
    const rest = await base.rest('POST', `/api/kitTours/${spring.id}/cancel`, { as: viewer });
    expect([rest.status, rest.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const gql = await base.gql(`mutation($id: ID!) { cancelKitTour(id: $id) { id } }`, { id: spring.id }, { as: viewer });
    expect(gql.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await base.rest('GET', `/api/kitTours/${spring.id}`, { as: admin })).body.data.status).toBe('draft');
  });

  test('action input is validated with per-field details, and nothing changes', async () => {
    const spring = await tour(admin);
    const bad = await base.rest('POST', `/api/kitTours/${spring.id}/announce`, { as: admin, body: { remindAt: 'soon', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { field: 'remindAt', message: expect.any(String) },
      { field: 'extra', message: 'is not a known field' },
    ]);
    expect((await base.rest('GET', `/api/kitTours/${spring.id}`, { as: admin })).body.data).toMatchObject({ status: 'draft', version: 1 });
  });
});

describe('domain events and the history', () => {
  test('every write and action records one event with who, when and the version; newest first', async () => {
    const spring = await tour(admin);
    await base.rest('PUT', `/api/kitTours/${spring.id}`, { as: admin, body: { title: 'Spring tour 2031' } });
    await base.rest('POST', `/api/kitTours/${spring.id}/cancel`, { as: admin });
    const history = await base.rest('GET', `/api/kitTours/${spring.id}/history`, { as: admin });
    expect(history.status).toBe(200);
    expect(history.body.data.map((e: { type: string; version: number; actorId: string }) => [e.type, e.version, e.actorId])).toEqual([
      ['kitTour.cancelled', 3, admin.userId],
      ['kitTour.updated', 2, admin.userId],
      ['kitTour.created', 1, admin.userId],
    ]);
    expect(history.body.data[1].payload).toEqual({ title: 'Spring tour 2031' });
    expect(history.body.data[0].payload).toEqual({ from: 'draft', to: 'cancelled' });
    const gql = await base.gql(`query($id: ID!) { kitTour(id: $id) { history(limit: 2) { total items { type } } } }`, { id: spring.id }, { as: admin });
    expect(gql.body.data.kitTour.history).toEqual({ total: 3, items: [{ type: 'kitTour.cancelled' }, { type: 'kitTour.updated' }] });
  });

  test('a change that rolls back records no event, changes nothing and schedules nothing', async () => {
    const spring = await tour(admin);
    const jobsBefore = (await jobsOf(admin.companyId)).length;
    const res = await base.rest('POST', `/api/kitTours/${spring.id}/explode`, { as: admin });
    expect([res.status, res.body.error.message]).toEqual([409, 'exploded on purpose']);
    const after = (await base.rest('GET', `/api/kitTours/${spring.id}`, { as: admin })).body.data;
    expect(after).toMatchObject({ title: 'Spring tour', version: 1 });
    const history = await base.rest('GET', `/api/kitTours/${spring.id}/history`, { as: admin });
    expect(history.body.data.map((e: { type: string }) => e.type)).toEqual(['kitTour.created']);
    expect((await jobsOf(admin.companyId)).length).toBe(jobsBefore);
  });

  test('an action that ends elsewhere than its declared `to` is an error: nothing changes, no event', async () => {
    const spring = await tour(admin);
    const res = await base.rest('POST', `/api/kitTours/${spring.id}/stray`, { as: admin });
    expect([res.status, res.body.error.code]).toEqual([500, 'INTERNAL_SERVER_ERROR']);
    expect((await base.rest('GET', `/api/kitTours/${spring.id}`, { as: admin })).body.data).toMatchObject({ status: 'draft', version: 1 });
    const history = await base.rest('GET', `/api/kitTours/${spring.id}/history`, { as: admin });
    expect(history.body.data.map((e: { type: string }) => e.type)).toEqual(['kitTour.created']);
  });

  test('the history needs the view permission and stays in its company', async () => {
    const spring = await tour(admin);
    const editorOnly = await base.caller(['basic.event.edit']);
    expect((await base.rest('GET', `/api/kitTours/${spring.id}/history`, { as: editorOnly })).status).toBe(403);
    const outsider = await base.caller(undefined, { company: base.companyB });
    expect((await base.rest('GET', `/api/kitTours/${spring.id}/history`, { as: outsider })).status).toBe(404);
    const gql = await base.gql(`query($id: ID!) { kitTour(id: $id) { id history { total } } }`, { id: spring.id }, { as: outsider });
    expect(gql.body.data.kitTour).toBeNull();
  });

  test('an agency\u2019s history shows its create, updates and delete with who and when, also after the delete', async () => {
    const other = await base.caller();
    const made = await base.rest('POST', '/api/agencies', { as: admin, body: { key: 'hist-agency', name: 'History Agency' } });
    const id = made.body.data.id;
    await base.rest('PUT', `/api/agencies/${id}`, { as: other, body: { name: 'History Agency Ltd' } });
    await base.rest('PUT', `/api/agencies/${id}`, { as: other, body: {} }); // changes nothing: no entry
    expect((await base.rest('DELETE', `/api/agencies/${id}`, { as: admin })).status).toBe(204);
    const history = await base.rest('GET', `/api/agencies/${id}/history`, { as: admin });
    expect(history.status).toBe(200);
    expect(history.body.data.map((e: { type: string; actorId: string }) => [e.type, e.actorId])).toEqual([
      ['agency.deleted', admin.userId],
      ['agency.updated', other.userId],
      ['agency.created', admin.userId],
    ]);
    for (const entry of history.body.data) expect(Date.parse(entry.occurredAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await base.rest('GET', '/api/agencies/00000000-0000-4000-8000-000000000000/history', { as: admin })).status).toBe(404);
  });
});

describe('handlers of other families\u2019 events', () => {
  test('run inside the transaction that recorded the event: the consequence commits with the change', async () => {
    const spring = await tour(admin);
    for (const city of ['Oslo', 'Bergen']) await base.rest('POST', `/api/kitTours/${spring.id}/stops`, { as: admin, body: { city } });
    expect((await base.rest('POST', `/api/kitTours/${spring.id}/cancel`, { as: admin })).status).toBe(200);
    expect((await base.rest('GET', `/api/kitTours/${spring.id}/stops`, { as: admin })).body.meta.total).toBe(0);
    const [{ n }] = await base.sql<{ n: string }>(
      `SELECT count(*) AS n FROM "${base.schema}".domain_events WHERE type = 'kitStop.deleted' AND actor_id = $1`,
      [admin.userId],
    );
    expect(Number(n)).toBe(2);
  });

  test('a handler that refuses rolls the whole change back: no state change, no event, nothing deleted', async () => {
    const spring = await tour(admin);
    for (const city of ['Oslo', 'Veto']) await base.rest('POST', `/api/kitTours/${spring.id}/stops`, { as: admin, body: { city } });
    const refused = await base.rest('POST', `/api/kitTours/${spring.id}/cancel`, { as: admin });
    expect([refused.status, refused.body.error.message]).toEqual([409, 'a stop vetoes the cancellation']);
    expect((await base.rest('GET', `/api/kitTours/${spring.id}`, { as: admin })).body.data).toMatchObject({ status: 'draft', version: 1 });
    expect((await base.rest('GET', `/api/kitTours/${spring.id}/stops`, { as: admin })).body.meta.total).toBe(2);
    const history = await base.rest('GET', `/api/kitTours/${spring.id}/history`, { as: admin });
    expect(history.body.data.map((e: { type: string }) => e.type)).toEqual(['kitTour.created']);
  });
});

describe('jobs declared by a family', () => {
  test('an action schedules its job in its transaction; the runner runs it in the company, once, when due', async () => {
    const spring = await tour(admin);
    const due = new Date(Date.now() - 1000).toISOString();
    expect((await base.rest('POST', `/api/kitTours/${spring.id}/announce`, { as: admin, body: { remindAt: due } })).status).toBe(200);
    expect(await jobsOf(admin.companyId)).toContainEqual({ kind: REMIND, status: 'pending' });
    await base.server.jobs.runOnce();
    const after = (await base.rest('GET', `/api/kitTours/${spring.id}`, { as: admin })).body.data;
    expect(after.reminders).toBe(1);
    const history = await base.rest('GET', `/api/kitTours/${spring.id}/history?limit=1`, { as: admin });
    expect(history.body.data[0]).toMatchObject({ type: 'kitTour.updated', actorId: 'system:jobs', payload: { reminders: 1 } });
    await base.server.jobs.runOnce();
    expect((await base.rest('GET', `/api/kitTours/${spring.id}`, { as: admin })).body.data.reminders).toBe(1);
  });

  test('a job scheduled for later does not run before its time', async () => {
    const spring = await tour(admin);
    await base.rest('POST', `/api/kitTours/${spring.id}/announce`, { as: admin, body: { remindAt: '2030-01-01T00:00:00Z' } });
    await base.server.jobs.runOnce();
    expect((await base.rest('GET', `/api/kitTours/${spring.id}`, { as: admin })).body.data.reminders).toBe(0);
  });

  test('a sweep finds due records in every company and moves each in its own company', async () => {
    const outsider = await base.caller(undefined, { company: base.companyB });
    const ours = await tour(admin, 'stale draft A');
    const theirs = await tour(outsider, 'stale draft B');
    const fresh = await tour(admin, 'fresh draft');
    // Its minute, now, as the crontab would add it.
    await base.server.jobs.triggerPeriodic('kitTour.cancel-stale-drafts');
    await base.server.jobs.runOnce();
    expect((await base.rest('GET', `/api/kitTours/${ours.id}`, { as: admin })).body.data.status).toBe('cancelled');
    expect((await base.rest('GET', `/api/kitTours/${theirs.id}`, { as: outsider })).body.data.status).toBe('cancelled');
    expect((await base.rest('GET', `/api/kitTours/${fresh.id}`, { as: admin })).body.data.status).toBe('draft');
    const [{ company_id }] = await base.sql<{ company_id: string }>(
      `SELECT company_id FROM "${base.schema}".domain_events WHERE entity_id = $1 AND type = 'kitTour.cancelled'`,
      [theirs.id],
    );
    expect(company_id).toBe(base.companyB);
  });
});
