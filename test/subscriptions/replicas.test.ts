import { Caller, startTestBase, TestBase } from '../support/harness';
import { createVia } from '../support/fixtures';
import { live, openSocket, Socket, WAIT_MS } from './support';
import { eventually } from '../support/waiting';

/**
 * Two Base servers on one database, as replicas share one PostgreSQL: a change committed on one
 * reaches the subscribers of the other (LISTEN/NOTIFY), and stopping a server closes its sockets.
 */
let first: TestBase;
let second: TestBase;
let writer: Caller;
let watcher: Caller;
const sockets: Socket[] = [];
beforeAll(async () => {
  first = await startTestBase();
  second = await startTestBase({ DATABASE_SCHEMA: first.schema }, { clock: first.clock });
  writer = await first.caller();
  // Each server has its own fake Auth: the watcher's token is the second's, in the first's company.
  watcher = await second.caller(['basic.avail.view'], { company: first.companyA });
});
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  await second?.close();
  await first?.close();
});

test('a release on server A moves the hold up for a subscriber on server B', async () => {
  const venueId = (await createVia(first, writer, '/api/venues', { name: 'Shared hall' })).id;
  const date = '2032-07-14';
  const holds = [];
  for (let i = 0; i < 3; i++) holds.push(await createVia(first, writer, '/api/avails', { venueId, date }));
  const socket = openSocket(second, watcher);
  sockets.push(socket);
  const ladder = socket.subscribe('subscription($v: ID, $d: LocalDate!) { ladderChanged(venueId: $v, date: $d) { id holdLevel status } }', { v: venueId, d: date });
  await live(second, 1);

  const released = await first.rest('POST', `/api/avails/${holds[0].id}/release`, { as: writer, body: {} });
  expect(released.status).toBe(200);
  // One release is three changes (released, two moved up), told once it committed: the ladder after
  // the whole release, sent once.
  const value = (await ladder.until((m) => m.data?.ladderChanged?.length === 2)).data.ladderChanged;
  expect(value).toEqual([
    { id: holds[1].id, holdLevel: 1, status: 'HELD' },
    { id: holds[2].id, holdLevel: 2, status: 'HELD' },
  ]);
  // Sent once: the next value is the next release's.
  expect((await first.rest('POST', `/api/avails/${holds[1].id}/release`, { as: writer, body: {} })).status).toBe(200);
  expect((await ladder.next()).data.ladderChanged).toEqual([{ id: holds[2].id, holdLevel: 1, status: 'HELD' }]);
});

test('a listener whose connection drops connects again, and changes reach its subscribers after', async () => {
  const name = `kisum-base changes ${first.schema}`;
  const listeners = async () => (await first.sql<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid', [name])).map((r) => r.pid);
  const before = await listeners();
  expect(before).toHaveLength(2); // one per server
  await first.sql('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
  await eventually(async () => {
    const now = await listeners();
    return now.length === 2 && now.every((pid) => !before.includes(pid));
  }, WAIT_MS, 'both listeners back');

  const created = await createVia(first, writer, '/api/events', { name: 'After the drop', startsAt: '2032-05-01T20:00:00Z' });
  const reader = await second.caller(['basic.event.view'], { company: first.companyA });
  const socket = openSocket(second, reader);
  sockets.push(socket);
  const changes = socket.subscribe('subscription($id: ID!) { eventChanged(id: $id) { name } }', { id: created.id });
  await live(second, 2);
  expect((await first.rest('PUT', `/api/events/${created.id}`, { as: writer, body: { name: 'After the drop, renamed' } })).status).toBe(200);
  await changes.until((m) => m.data?.eventChanged?.name === 'After the drop, renamed');
});

test('stopping a server closes its sockets with 1001 (going away) before its pool', async () => {
  const socket = openSocket(second, watcher);
  sockets.push(socket);
  await socket.acknowledged();
  await second.server.stop();
  expect((await socket.closed.next()).code).toBe(1001);
});
