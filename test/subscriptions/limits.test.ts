import WebSocket from 'ws';
import { Caller, useTestBase } from '../support/harness';
import { createVia } from '../support/fixtures';
import { eventually } from '../support/waiting';
import { live, openSocket, Socket, subscriptionErrors, WAIT_MS } from './support';

/**
 * The bounds of one instance: sockets (SUBSCRIPTIONS_MAX_CONNECTIONS), subscriptions per socket
 * (SUBSCRIPTIONS_MAX_PER_CONNECTION), changes waiting for one subscriber (SUBSCRIPTIONS_MAX_QUEUE: a
 * slow consumer is dropped, not buffered), and what /metrics says of them.
 */
const base = useTestBase({
  SUBSCRIPTIONS_MAX_CONNECTIONS: '2',
  SUBSCRIPTIONS_MAX_PER_CONNECTION: '2',
  SUBSCRIPTIONS_MAX_QUEUE: '2',
  // Every delivery asks Auth (no cached access): a delivery held up there holds up the subscriber.
  AUTH_ACCESS_CACHE_TTL_MS: '0',
  AUTH_TIMEOUT_MS: '20000',
  METRICS_TOKEN: 'metrics-token-0123456789',
});
let admin: Caller;
const sockets: Socket[] = [];
const open = (as: Caller) => {
  const socket = openSocket(base, as);
  sockets.push(socket);
  return socket;
};
afterEach(async () => {
  base.auth.reset();
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});
beforeAll(async () => {
  admin = await base.caller();
});

const EVENT_CHANGED = 'subscription($id: ID!) { eventChanged(id: $id) { id name } }';
const event = () => createVia(base, admin, '/api/events', { name: 'Limits', startsAt: '2032-05-01T20:00:00Z' });

/** The upgrade's answer when the server refuses it before making a socket. */
const upgradeRefusal = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const timer = setTimeout(() => reject(new Error('no answer to the upgrade')), WAIT_MS);
    ws.on('error', () => undefined); // the refusal itself, reported again as an error
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      clearTimeout(timer);
      ws.close();
      reject(new Error('the upgrade was accepted'));
    });
  });

const metric = async (name: string): Promise<string[]> => {
  const res = await fetch(`${base.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
  return (await res.text()).split('\n').filter((line) => line.startsWith(name));
};

test('past SUBSCRIPTIONS_MAX_CONNECTIONS the upgrade is refused with 503; a closed socket frees its place', async () => {
  const [first] = [open(admin), open(admin)];
  await Promise.all(sockets.map((s) => s.acknowledged()));
  expect(await metric('graphql_subscription_sockets')).toEqual(['graphql_subscription_sockets 2']);
  expect(await upgradeRefusal()).toBe(503);
  await first.close();
  await eventually(async () => (await metric('graphql_subscription_sockets'))[0] === 'graphql_subscription_sockets 1', WAIT_MS, 'the socket gone');
  const again = open(admin);
  await again.acknowledged();
  expect((await metric('graphql_subscription_drops_total')).join('\n')).toMatch(/reason="too_many_connections"} 1/);
});

test('past SUBSCRIPTIONS_MAX_PER_CONNECTION a subscription is refused (RATE_LIMITED); the others go on', async () => {
  const created = await event();
  const socket = open(admin);
  const kept = [socket.subscribe(EVENT_CHANGED, { id: created.id }), socket.subscribe(EVENT_CHANGED, { id: created.id })];
  const [refused] = await subscriptionErrors(socket.subscribe(EVENT_CHANGED, { id: created.id }));
  expect(refused.extensions?.code).toBe('RATE_LIMITED');
  await live(base, 2);
  const res = await base.rest('PUT', `/api/events/${created.id}`, { as: admin, body: { name: 'Limits, renamed' } });
  expect(res.status).toBe(200);
  for (const subscription of kept) await subscription.until((m) => m.data?.eventChanged?.name === 'Limits, renamed');
  expect((await metric('graphql_subscription_deliveries_total')).join('\n')).toMatch(/subscription="eventChanged"} [2-9]/);
});

test('a subscriber that falls SUBSCRIPTIONS_MAX_QUEUE changes behind is dropped: closed 4429', async () => {
  const created = await event();
  const socket = open(admin);
  const changes = socket.subscribe(EVENT_CHANGED, { id: created.id });
  await live(base, 1);
  const res = await base.rest('PUT', `/api/events/${created.id}`, { as: admin, body: { name: 'Queued 0' } });
  expect(res.status).toBe(200);
  await changes.until((m) => m.data?.eventChanged?.name === 'Queued 0');
  // Auth stops answering: the next delivery waits on it, and the changes behind it pile up. They are
  // sent as the database would send them (NOTIFY), since a write would wait on Auth too.
  base.auth.fault = { kind: 'timeout' };
  for (let i = 0; i < 4; i++) {
    const change = { companyId: admin.companyId, type: 'event.updated', entityType: 'Event', entityId: created.id, eventId: created.id, recipients: [] };
    await base.sql('SELECT pg_notify($1, $2)', ['base_changes', JSON.stringify(change)]);
  }
  expect(await socket.closed.next()).toMatchObject({ code: 4429, reason: 'Slow consumer' });
  expect((await metric('graphql_subscription_drops_total')).join('\n')).toMatch(/reason="slow_consumer"} 1/);
});
