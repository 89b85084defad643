import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook as Verifier } from 'standardwebhooks';
import { recordEvent } from '../../src/core/events';
import { TenantScope } from '../../src/db/tenant-scope';
import { expectRestError, expectRestValidation } from '../support/assertions';
import { freshCaller } from '../support/fixtures';
import { Caller, startTestBase, TestBase } from '../support/harness';
import { jobsOfKind, makeKindDue } from '../jobs/support';

/**
 * Outbound webhooks against a receiver over real HTTP, verified with the Standard Webhooks
 * reference library: a signed delivery after a commit and none after a rollback, a retry under the
 * same id after a 500, ordering per record, disabling after a run of failures (and the creator
 * told), secret rotation, isolation between companies, SSRF refused with production settings.
 */
jest.setTimeout(90_000);

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver that records every request and answers each with the next status of its script (then 200). */
class Receiver {
  readonly received: Received[] = [];
  script: number[] = [];
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<Receiver> {
    const holder: { self?: Receiver } = {};
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        holder.self!.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = holder.self!.script.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status} ${'x'.repeat(3000)}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.self = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    return holder.self;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let base: TestBase;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await Receiver.start();
  base = await startTestBase({ WEBHOOKS_RETRY_BASE_MS: '60000', WEBHOOKS_RETRY_MAX_MS: '60000', WEBHOOKS_DISABLE_AFTER_FAILURES: '3', WEBHOOKS_TIMEOUT_MS: '3000' });
});
afterAll(async () => {
  await base?.close();
  await receiver?.close();
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.script = [];
});

/** Run every due delivery, as often as new ones become due at once (a delivery that waited for an earlier one). */
async function deliverAll(): Promise<void> {
  for (let i = 0; i < 10; i++) if ((await base.server.jobs.runOnce()) === 0) return;
}

async function subscribe(actor: Caller, events = ['vendor.created', 'vendor.updated']): Promise<{ id: string; secret: string }> {
  const answer = await base.rest('POST', '/api/webhooks', { as: actor, body: { url: receiver.url, events, description: 'the books' } });
  expect(answer.status).toBe(201);
  return answer.body.data;
}

const createVendor = async (actor: Caller, name = 'Sound Co') => {
  const answer = await base.rest('POST', '/api/vendors', { as: actor, body: { name, category: 'sound' } });
  expect(answer.status).toBe(201);
  return answer.body.data as { id: string; version: number };
};

const deliveries = async (actor: Caller, webhookId: string) => {
  const answer = await base.rest('GET', `/api/webhooks/${webhookId}/deliveries`, { as: actor });
  expect(answer.status).toBe(200);
  return answer.body.data as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
};

test('a webhook is made with its secret shown once, and its events are checked against the catalog', async () => {
  const actor = await freshCaller(base);
  const made = await subscribe(actor);
  expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const read = await base.rest('GET', `/api/webhooks/${made.id}`, { as: actor });
  expect(read.status).toBe(200);
  expect(read.body.data).not.toHaveProperty('secret');
  expect(read.body.data).not.toHaveProperty('sealedSecret');
  expect(read.body.data).toMatchObject({ url: receiver.url, events: ['vendor.created', 'vendor.updated'], status: 'active' });
  const [row] = await base.sql<{ sealed_secret: string }>(`SELECT sealed_secret FROM webhooks WHERE id = $1`, [made.id]);
  expect(row.sealed_secret).not.toContain(made.secret.slice(6));

  expectRestValidation(await base.rest('POST', '/api/webhooks', { as: actor, body: { url: receiver.url, events: ['vendor.exploded'] } }), ['events']);
  expectRestValidation(await base.rest('POST', '/api/webhooks', { as: actor, body: { url: 'ftp://example.com', events: ['vendor.created'] } }), ['url']);
  expectRestValidation(await base.rest('POST', '/api/webhooks', { as: actor, body: { events: ['vendor.created'] } }), ['url']);

  const viewer = await base.caller(['basic.webhook.view'], { company: actor.companyId });
  expectRestError(await base.rest('POST', '/api/webhooks', { as: viewer, body: { url: receiver.url, events: ['vendor.created'] } }), 403, 'FORBIDDEN');
  expectRestError(await base.rest('POST', `/api/webhooks/${made.id}/rotate-secret`, { as: viewer }), 403, 'FORBIDDEN');
  expect((await base.rest('GET', `/api/webhooks/${made.id}/deliveries`, { as: viewer })).status).toBe(200);
  const nobody = await base.caller([], { company: actor.companyId });
  expectRestError(await base.rest('GET', '/api/webhooks', { as: nobody }), 403, 'FORBIDDEN');
  const other = await freshCaller(base);
  expectRestError(await base.rest('GET', `/api/webhooks/${made.id}`, { as: other }), 404, 'NOT_FOUND');
});

test('a committed change is delivered signed, verifiable with the reference library, with the record as REST shows it', async () => {
  const actor = await freshCaller(base);
  const hook = await subscribe(actor);
  const vendor = await createVendor(actor);
  await deliverAll();
  expect(receiver.received).toHaveLength(1);
  const [{ headers, body }] = receiver.received;
  const verified = new Verifier(hook.secret).verify(body, headers as Record<string, string>) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(verified).toMatchObject({ type: 'vendor.created', data: { id: vendor.id, name: 'Sound Co', category: 'sound' } });
  expect(headers['webhook-signature']).toMatch(/^v1,/);
  const [delivery] = await deliveries(actor, hook.id);
  expect(delivery).toMatchObject({ id: headers['webhook-id'], status: 'delivered', attempts: 1, responseStatus: 200, eventType: 'vendor.created', entityId: vendor.id });
  expect(delivery.responseExcerpt.length).toBeLessThanOrEqual(1024);
  expect(typeof delivery.durationMs).toBe('number');
});

test('a change that rolls back sends nothing', async () => {
  const actor = await freshCaller(base);
  await subscribe(actor);
  const scope = new TenantScope(base.server.dataSource.manager, { companyId: actor.companyId, userId: actor.userId }, null, undefined, base.clock, base.server.composition);
  await expect(
    scope.transaction(async (tx) => {
      await recordEvent(tx, { type: 'vendor.created', entityType: 'Vendor', entityId: randomUUID() });
      throw new Error('the change fails after its event');
    }),
  ).rejects.toThrow('the change fails');
  expect(await base.sql(`SELECT 1 FROM webhook_deliveries WHERE company_id = $1`, [actor.companyId])).toHaveLength(0);
  expect((await jobsOfKind(base, 'webhook.deliver')).filter((j) => j.company_id === actor.companyId)).toHaveLength(0);
});

test('a failed delivery is retried later under the same webhook-id, and deliveries of one record go in order', async () => {
  const actor = await freshCaller(base);
  const hook = await subscribe(actor);
  receiver.script = [500];
  const vendor = await createVendor(actor);
  const changed = await base.rest('PUT', `/api/vendors/${vendor.id}`, { as: actor, body: { name: 'Sound Co Ltd', version: vendor.version } });
  expect(changed.status).toBe(200);
  await deliverAll();
  // The first failed; the second waits behind it.
  expect(receiver.received).toHaveLength(1);
  const firstId = receiver.received[0].headers['webhook-id'];
  const waiting = await deliveries(actor, hook.id);
  expect(waiting.find((d) => d.id === firstId)).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500, lastError: 'the endpoint answered 500' });
  expect(waiting.find((d) => d.id === firstId)!.nextAttemptAt).not.toBeNull();
  expect(waiting.find((d) => d.id !== firstId)).toMatchObject({ status: 'pending', attempts: 0 });

  await makeKindDue(base, 'webhook.deliver', actor.companyId);
  await deliverAll();
  await makeKindDue(base, 'webhook.deliver', actor.companyId);
  await deliverAll();
  const types = receiver.received.map((r) => [r.headers['webhook-id'], JSON.parse(r.body).type]);
  expect(types).toEqual([
    [firstId, 'vendor.created'],
    [firstId, 'vendor.created'],
    [expect.any(String), 'vendor.updated'],
  ]);
  for (const r of receiver.received) new Verifier(hook.secret).verify(r.body, r.headers as Record<string, string>);
  expect((await deliveries(actor, hook.id)).map((d) => d.status)).toEqual(['delivered', 'delivered']);
});

test('a run of failures disables the webhook and tells its creator', async () => {
  const actor = await freshCaller(base);
  const hook = await subscribe(actor, ['vendor.created']);
  receiver.script = [500, 500, 500];
  for (const name of ['A', 'B', 'C']) await createVendor(actor, name);
  await deliverAll();
  expect(receiver.received).toHaveLength(3);
  const read = await base.rest('GET', `/api/webhooks/${hook.id}`, { as: actor });
  expect(read.body.data).toMatchObject({ status: 'disabled', consecutiveFailures: 3 });
  expect(read.body.data.disabledReason).toContain('3 failed attempts in a row');
  const notices = await base.rest('GET', '/api/notifications?kind=webhook.disabled', { as: actor });
  expect(notices.body.data).toEqual([expect.objectContaining({ kind: 'webhook.disabled', entityId: hook.id })]);
  // Disabled: nothing more is sent, and what waited fails.
  await createVendor(actor, 'D');
  await makeKindDue(base, 'webhook.deliver', actor.companyId);
  await deliverAll();
  expect(receiver.received).toHaveLength(3);
  expect((await deliveries(actor, hook.id)).every((d) => d.status === 'failed')).toBe(true);

  const enabled = await base.rest('POST', `/api/webhooks/${hook.id}/enable`, { as: actor });
  expect(enabled.body.data).toMatchObject({ status: 'active', consecutiveFailures: 0 });
  await createVendor(actor, 'E');
  await deliverAll();
  expect(receiver.received).toHaveLength(4);
});

test('rotate-secret shows a new secret once; deliveries verify with it and no longer with the old one', async () => {
  const actor = await freshCaller(base);
  const hook = await subscribe(actor, ['vendor.created']);
  const rotated = await base.rest('POST', `/api/webhooks/${hook.id}/rotate-secret`, { as: actor });
  expect(rotated.status).toBe(200);
  const secret = rotated.body.data.secret as string;
  expect(secret).toMatch(/^whsec_/);
  expect(secret).not.toBe(hook.secret);
  await createVendor(actor);
  await deliverAll();
  const [{ body, headers }] = receiver.received;
  expect(() => new Verifier(secret).verify(body, headers as Record<string, string>)).not.toThrow();
  expect(() => new Verifier(hook.secret).verify(body, headers as Record<string, string>)).toThrow();
  const history = await base.rest('GET', `/api/webhooks/${hook.id}/history`, { as: actor });
  expect(JSON.stringify(history.body)).not.toContain(secret.slice(6));
});

test("another company's changes never reach this company's endpoint", async () => {
  const actor = await freshCaller(base);
  await subscribe(actor);
  const other = await freshCaller(base);
  await createVendor(other);
  await deliverAll();
  expect(receiver.received).toHaveLength(0);
});

// Last of the file's deliveries: it moves the clock a day on, and receivers check a delivery's timestamp against real time.
test('a delivery is retried for 24 hours, then fails for good', async () => {
  const actor = await freshCaller(base);
  const hook = await subscribe(actor, ['vendor.created']);
  receiver.script = [503];
  await createVendor(actor);
  await deliverAll();
  base.clock.advance(25 * 3_600_000);
  receiver.script = [503];
  await makeKindDue(base, 'webhook.deliver', actor.companyId);
  await deliverAll();
  const [delivery] = await deliveries(actor, hook.id);
  expect(delivery).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: null });
});

describe('with production settings', () => {
  let prod: TestBase;
  beforeAll(async () => {
    prod = await startTestBase({ NODE_ENV: 'production', WEBHOOKS_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}` });
  });
  afterAll(() => prod?.close());

  test.each([
    'https://127.0.0.1/hook',
    'https://10.1.2.3/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://localhost/hook',
    'http://example.com/hook',
  ])('%s is refused', async (url) => {
    const actor = await prod.caller(['basic.webhook.manage', 'basic.webhook.view'], { company: randomUUID() });
    const answer = await prod.rest('POST', '/api/webhooks', { as: actor, body: { url, events: ['vendor.created'] } });
    expectRestValidation(answer, ['url']);
    expect(await prod.sql(`SELECT 1 FROM webhooks WHERE company_id = $1`, [actor.companyId])).toHaveLength(0);
  });
});
