import { randomBytes, randomUUID } from 'node:crypto';
import { SealedSecrets } from '../../src/modules/xero/sealed-secrets';
import { expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { CLIENT_ID, CLIENT_SECRET, FakeXero } from '../support/fake-xero';
import { createVia, freshCaller } from '../support/fixtures';
import { Caller, startTestBase, TestBase } from '../support/harness';
import { RecordingServer } from '../support/recording-server';
import { createEvent } from '../events/support';
import { eventually, makeKindDue, queueJobs } from '../jobs/support';

/**
 * The Xero sync against a fake Xero over real HTTP: connecting (tokens sealed at rest), vendors,
 * approved expenses and income sent once each and updated (never duplicated), voids, a crash between
 * sending and storing, two workers, the per-minute limit under a burst, 429 / 500 / timeouts, token
 * refresh and rotation, key rotation, permissions and isolation between companies.
 */
jest.setTimeout(90_000);

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
let fake: FakeXero;
let base: TestBase;
/** Where the redirect faults point: nothing may ever reach it. */
let elsewhere: RecordingServer;
const env = () => ({
  XERO_CLIENT_ID: CLIENT_ID,
  XERO_CLIENT_SECRET: CLIENT_SECRET,
  XERO_IDENTITY_URL: fake.url,
  XERO_API_URL: fake.url,
  XERO_TOKEN_KEYS: `k1:${keyA}`,
  XERO_TIMEOUT_MS: '700',
  // A send that failed waits long enough that a run never meets its retry too; tests make it due (dueNow).
  XERO_RETRY_BASE_MS: '60000',
  XERO_RETRY_MAX_MS: '60000',
  XERO_MAX_ATTEMPTS: '3',
});

beforeAll(async () => {
  fake = await FakeXero.start();
  elsewhere = await RecordingServer.start();
  base = await startTestBase(env());
});
afterAll(async () => {
  await base?.close();
  await fake?.close();
  await elsewhere?.close();
});
const redirectElsewhere = (path: string) => ({ kind: 'redirect' as const, location: `${elsewhere.url}${path}` });

/** A company of its own, connected to an organisation of its own (its own call budget). */
async function connected(): Promise<Caller> {
  const actor = await freshCaller(base);
  fake.tenantId = randomUUID();
  const answer = await base.rest('POST', '/api/xero/connection', { as: actor, body: { code: fake.issueCode(), redirectUri: 'https://app.kisum.test/xero' } });
  expect(answer.status).toBe(200);
  return actor;
}

/** Make waiting Xero sends due now (a test does not wait out backoffs). Through the file's Base: it owns the schema. */
const dueNow = () => makeKindDue(base, 'xero.sync');

/** Run the jobs of `b` (an instance on the same schema) until nothing is due; with `pull`, waiting sends are made due again each round. */
async function drain(b: TestBase = base, pull = false, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (pull) await dueNow();
    if ((await b.server.jobs.runOnce()) === 0) return;
  }
}

const items = (actor: Caller) =>
  base.sql<{ record_type: string; record_id: string; status: string; xero_id: string | null; attempts: number; last_error: string | null }>(
    `SELECT * FROM xero_sync_items WHERE company_id = $1 ORDER BY created_at`,
    [actor.companyId],
  );
const contactsFor = (name: string) => [...fake.contacts.values()].filter((c) => c.Name === name);
const accountingCallsOf = (tenantId: string) => fake.accounting().filter((c) => c.headers['xero-tenant-id'] === tenantId);

/** An approved expense of a new event (submitted by another member, approved by `actor`). */
async function approvedExpense(actor: Caller, body: Record<string, unknown>): Promise<{ id: string; eventId: string }> {
  const other = await base.caller(undefined, { company: actor.companyId });
  const event = await createEvent(base, actor, { currency: 'EUR' });
  const expense = await createVia(base, actor, `/api/events/${event.id}/expenses`, { category: 'production', description: 'PA hire', amount: 123456, ...body });
  expect((await base.rest('POST', `/api/events/${event.id}/expenses/${expense.id}/submit`, { as: other, body: {} })).status).toBe(200);
  expect((await base.rest('POST', `/api/events/${event.id}/expenses/${expense.id}/approve`, { as: actor, body: {} })).status).toBe(200);
  return { id: expense.id, eventId: event.id };
}

describe('connection', () => {
  test('connect exchanges the code, reads the tenant and stores the tokens sealed; status says so on both surfaces', async () => {
    const actor = await connected();
    const grant = fake.currentGrant()!;
    const status = await base.rest('GET', '/api/xero/status', { as: actor });
    expect(status.body.data).toEqual({ connected: true, tenantName: 'Kisum Test Org', lastSyncAt: null, pending: 0, failed: 0 });
    const token = fake.calls.filter((c) => c.path === '/connect/token').pop()!;
    expect(token.headers.authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`);
    expect(new URLSearchParams(token.body).get('grant_type')).toBe('authorization_code');

    const [row] = await base.sql<{ access_token: string; refresh_token: string; tenant_id: string }>(
      `SELECT * FROM xero_connections WHERE company_id = $1`,
      [actor.companyId],
    );
    expect(row.tenant_id).toBe(fake.tenantId);
    // Unreadable in the database: neither token appears, and only the configured key opens them.
    const everything = JSON.stringify(await base.sql(`SELECT * FROM xero_connections`));
    expect(everything).not.toContain(grant.accessToken);
    expect(everything).not.toContain(grant.refreshToken);
    expect(row.access_token).toMatch(/^v1\.k1\./);
    const right = new SealedSecrets([{ id: 'k1', key: Buffer.from(keyA, 'base64') }]);
    expect(right.open(row.refresh_token, `xero:${actor.companyId}:refresh`).plaintext).toBe(grant.refreshToken);
    expect(() => new SealedSecrets([{ id: 'k1', key: randomBytes(32) }]).open(row.refresh_token, `xero:${actor.companyId}:refresh`)).toThrow();
    // Bound to its company and column: moved elsewhere it does not open.
    expect(() => right.open(row.refresh_token, `xero:${randomUUID()}:refresh`)).toThrow();
    expect(() => right.open(row.refresh_token, `xero:${actor.companyId}:access`)).toThrow();

    const gql = gqlData(await base.gql('{ xeroStatus { connected tenantName pending failed } }', {}, { as: actor }));
    expect(gql.xeroStatus).toEqual({ connected: true, tenantName: 'Kisum Test Org', pending: 0, failed: 0 });
  });

  test('bad input is 400 per field; a code Xero refuses is 400 on code; Xero down is 503; nothing is stored', async () => {
    const actor = await freshCaller(base);
    expectRestValidation(await base.rest('POST', '/api/xero/connection', { as: actor, body: {} }), ['code', 'redirectUri']);
    const refused = await base.rest('POST', '/api/xero/connection', { as: actor, body: { code: 'not-issued', redirectUri: 'https://x.test' } });
    expect(expectRestError(refused, 400, 'VALIDATION_FAILED').details).toEqual([{ field: 'code', message: expect.stringContaining('invalid_grant') }]);
    fake.tokenFaults.push({ kind: 'status', status: 500 });
    expectRestError(await base.rest('POST', '/api/xero/connection', { as: actor, body: { code: fake.issueCode(), redirectUri: 'https://x.test' } }), 503, 'INTEGRATION_UNAVAILABLE');
    fake.tokenFaults.push({ kind: 'hang' });
    expectRestError(await base.rest('POST', '/api/xero/connection', { as: actor, body: { code: fake.issueCode(), redirectUri: 'https://x.test' } }), 503, 'INTEGRATION_UNAVAILABLE');
    expect(await base.sql(`SELECT 1 FROM xero_connections WHERE company_id = $1`, [actor.companyId])).toHaveLength(0);
  });

  test('a 307 from the token endpoint is not followed: the code is not re-posted elsewhere, the connect is 503, nothing is stored', async () => {
    const actor = await freshCaller(base);
    fake.tokenFaults.push(redirectElsewhere('/connect/token'));
    const answer = await base.rest('POST', '/api/xero/connection', { as: actor, body: { code: fake.issueCode(), redirectUri: 'https://x.test' } });
    expectRestError(answer, 503, 'INTEGRATION_UNAVAILABLE');
    expect(elsewhere.requests).toEqual([]);
    expect(await base.sql(`SELECT 1 FROM xero_connections WHERE company_id = $1`, [actor.companyId])).toHaveLength(0);
  });

  test('disconnect revokes the refresh token at Xero and forgets the tokens', async () => {
    const actor = await connected();
    const refresh = fake.currentGrant()!.refreshToken;
    expect((await base.rest('DELETE', '/api/xero/connection', { as: actor })).status).toBe(204);
    expect(fake.revoked).toContain(refresh);
    expect(await base.sql(`SELECT 1 FROM xero_connections WHERE company_id = $1`, [actor.companyId])).toHaveLength(0);
    expect((await base.rest('GET', '/api/xero/status', { as: actor })).body.data.connected).toBe(false);
    // Changes after that are not queued for Xero.
    await createVia(base, actor, '/api/vendors', { name: 'After', category: 'sound' });
    expect(await items(actor)).toHaveLength(0);
  });
});

describe('sync', () => {
  test('a vendor becomes a contact; a change is an update of the same contact, under a new Idempotency-Key', async () => {
    const actor = await connected();
    const vendor = await createVia(base, actor, '/api/vendors', { name: 'Sound Co', category: 'sound', email: 'hi@sound.test', phone: '+44 20 7946 0000', taxNumber: 'GB123' });
    expect(await items(actor)).toEqual([expect.objectContaining({ record_type: 'vendor', status: 'pending' })]);
    await drain();
    const [contact] = contactsFor('Sound Co');
    expect(contact).toMatchObject({ EmailAddress: 'hi@sound.test', TaxNumber: 'GB123', Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '+44 20 7946 0000' }] });
    const [item] = await items(actor);
    expect(item).toMatchObject({ status: 'synced', xero_id: contact.ContactID });

    expect((await base.rest('PUT', `/api/vendors/${vendor.id}`, { as: actor, body: { name: 'Sound Company' } })).status).toBe(200);
    await drain();
    expect(contactsFor('Sound Co')).toHaveLength(0);
    expect(contactsFor('Sound Company')).toEqual([expect.objectContaining({ ContactID: contact.ContactID })]);
    const calls = accountingCallsOf(fake.tenantId);
    expect(calls).toHaveLength(2);
    expect(JSON.parse(calls[1].body).Contacts[0].ContactID).toBe(contact.ContactID);
    expect(calls[0].headers['idempotency-key']).not.toBe(calls[1].headers['idempotency-key']);
    for (const c of calls) expect(c.headers).toMatchObject({ 'xero-tenant-id': fake.tenantId, accept: 'application/json', authorization: expect.stringMatching(/^Bearer access-/) });
    expect((await base.rest('GET', '/api/xero/status', { as: actor })).body.data).toMatchObject({ pending: 0, failed: 0, lastSyncAt: expect.any(String) });

    // Deleted: archived in Xero, never deleted.
    expect((await base.rest('DELETE', `/api/vendors/${vendor.id}`, { as: actor })).status).toBe(204);
    await drain();
    expect(fake.contacts.get(contact.ContactID as string)).toMatchObject({ ContactStatus: 'ARCHIVED' });
    expect((await items(actor))[0].status).toBe('voided');
  });

  test("an approved expense becomes a bill (ACCPAY) against its vendor's contact, in exact decimals", async () => {
    const actor = await connected();
    const vendor = await createVia(base, actor, '/api/vendors', { name: 'Lights Ltd', category: 'lighting' });
    const expense = await approvedExpense(actor, { vendorId: vendor.id, amount: 123456, dueAt: '2031-07-01T00:00:00.000Z' });
    await drain(base, true);
    const bills = [...fake.invoices.values()].filter((i) => i.Type === 'ACCPAY' && String(i.Reference).includes(expense.id));
    expect(bills).toHaveLength(1);
    expect(bills[0]).toMatchObject({
      Contact: { ContactID: contactsFor('Lights Ltd')[0].ContactID },
      CurrencyCode: 'EUR',
      Status: 'AUTHORISED',
      DueDate: '2031-07-01',
      LineItems: [{ Description: 'PA hire', Quantity: 1, UnitAmount: 1234.56 }],
    });
    const sent = accountingCallsOf(fake.tenantId).find((c) => c.path.endsWith('/Invoices'))!;
    expect(sent.body).toContain('"UnitAmount":1234.56');
    expect((await items(actor)).map((i) => [i.record_type, i.status])).toEqual([['vendor', 'synced'], ['expense', 'synced']]);
  });

  test('VAT on a bill: its tax on the net line when the company is VAT-registered, else part of the cost', async () => {
    const actor = await connected();
    // 1000.00 at 19 %: VAT 190.00.
    const unregistered = await approvedExpense(actor, { amount: 100000, vatRate: 1900 });
    await drain();
    expect((await base.rest('PUT', '/api/companies/current', { as: actor, body: { vatRegistered: true } })).status).toBe(200);
    const registered = await approvedExpense(actor, { amount: 100000, vatRate: 1900 });
    await drain();
    const billOf = (id: string) => [...fake.invoices.values()].find((i) => String(i.Reference).includes(id));
    expect(billOf(unregistered.id)).toMatchObject({ LineAmountTypes: 'NoTax', LineItems: [{ UnitAmount: 1190 }] });
    expect(billOf(registered.id)).toMatchObject({ LineAmountTypes: 'Exclusive', LineItems: [{ UnitAmount: 1000, TaxAmount: 190 }] });
  });

  test('a draft or submitted expense is not sent; an expense without a vendor is billed to a named contact', async () => {
    const actor = await connected();
    const event = await createEvent(base, actor);
    await createVia(base, actor, `/api/events/${event.id}/expenses`, { category: 'travel', description: 'Draft', amount: 100 });
    expect(await items(actor)).toHaveLength(0);
    await approvedExpense(actor, { amount: 5 });
    await drain();
    const [bill] = [...fake.invoices.values()].filter((i) => (i.LineItems as { UnitAmount: number }[])[0].UnitAmount === 0.05);
    expect(bill).toMatchObject({ Type: 'ACCPAY', Contact: { Name: 'Kisum expenses without a vendor' } });
  });

  test('income becomes an invoice (ACCREC), updated in place, voided when deleted; JPY has no decimals', async () => {
    const actor = await connected();
    const event = await createEvent(base, actor, { currency: 'JPY' });
    const income = await createVia(base, actor, `/api/events/${event.id}/incomes`, { category: 'bar', description: 'Bar', amount: 150000, receivedAt: '2031-06-02T01:00:00.000Z' });
    await drain();
    const sent = accountingCallsOf(fake.tenantId);
    expect(sent[0].body).toContain('"UnitAmount":150000}');
    const [invoice] = [...fake.invoices.values()].filter((i) => String(i.Reference).includes(income.id));
    expect(invoice).toMatchObject({ Type: 'ACCREC', CurrencyCode: 'JPY', Date: '2031-06-02', Status: 'AUTHORISED', Contact: { Name: 'Kisum event income' } });

    expect((await base.rest('PUT', `/api/events/${event.id}/incomes/${income.id}`, { as: actor, body: { amount: 160000 } })).status).toBe(200);
    await drain();
    expect([...fake.invoices.values()].filter((i) => String(i.Reference).includes(income.id))).toHaveLength(1);
    expect(fake.invoices.get(invoice.InvoiceID as string)).toMatchObject({ LineItems: [{ UnitAmount: 160000 }] });

    expect((await base.rest('DELETE', `/api/events/${event.id}/incomes/${income.id}`, { as: actor })).status).toBe(204);
    await drain();
    expect(fake.invoices.get(invoice.InvoiceID as string)).toMatchObject({ Status: 'VOIDED' });
    expect((await items(actor))[0]).toMatchObject({ status: 'voided', xero_id: invoice.InvoiceID });
  });

  test('a crash after sending and before storing the id sends nothing twice (the Idempotency-Key)', async () => {
    const actor = await connected();
    fake.apiFaults.push({ kind: 'lose-answer' });
    await createVia(base, actor, '/api/vendors', { name: 'Lost Answer', category: 'sound' });
    await drain(base, true);
    const calls = accountingCallsOf(fake.tenantId);
    expect(calls).toHaveLength(2);
    expect(calls[0].headers['idempotency-key']).toBe(calls[1].headers['idempotency-key']);
    expect(contactsFor('Lost Answer')).toHaveLength(1);
    expect((await items(actor))[0]).toMatchObject({ status: 'synced', xero_id: contactsFor('Lost Answer')[0].ContactID });
  });

  test('a change made while its send is on the way is sent after it, as an update', async () => {
    const actor = await connected();
    const vendor = await createVia(base, actor, '/api/vendors', { name: 'Racing', category: 'sound' });
    fake.delayMs = 300; // real time: the send is held at Xero while the change comes in
    try {
      const sent = fake.accounting().length;
      const run = base.server.jobs.runOnce();
      await eventually(async () => fake.accounting().length > sent);
      expect((await base.rest('PUT', `/api/vendors/${vendor.id}`, { as: actor, body: { name: 'Racing 2' } })).status).toBe(200);
      await run;
    } finally {
      fake.delayMs = 0;
    }
    await drain(base, true);
    expect(contactsFor('Racing')).toHaveLength(0);
    expect(contactsFor('Racing 2')).toHaveLength(1);
    expect((await items(actor))[0].status).toBe('synced');
  });
});

describe('failures', () => {
  test("a 429 waits out Retry-After (for every worker of the tenant), then sends", async () => {
    const actor = await connected();
    fake.apiFaults.push({ kind: 'status', status: 429, retryAfter: 1 });
    await createVia(base, actor, '/api/vendors', { name: 'Patient', category: 'sound' });
    await drain();
    // The send comes back after Retry-After, a job of its own that has used no attempt.
    const [job] = await base.sql<{ wait_ms: number; attempts: number }>(
      `SELECT wait_ms, attempts FROM ${queueJobs(base.schema)} WHERE kind = 'xero.sync' AND company_id = $1 AND status = 'pending'`,
      [actor.companyId],
    );
    expect(job.wait_ms).toBeGreaterThan(500);
    expect(job.attempts).toBe(0);
    expect((await items(actor))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    // Made due early, it still waits: the pause is the tenant's, in the database.
    await dueNow();
    await base.server.jobs.runOnce();
    expect(accountingCallsOf(fake.tenantId)).toHaveLength(1);
    base.clock.advance(1000);
    await drain(base, true);
    expect(contactsFor('Patient')).toHaveLength(1);
  });

  test("failures retry with backoff, then stay failed with Xero's message in the sync log; POST /xero/sync queues them again", async () => {
    const actor = await connected();
    const body = { Type: 'ValidationException', Title: 'A validation exception occurred', Elements: [{ ValidationErrors: [{ Message: 'Account code 999 is not valid' }] }] };
    fake.apiFaults.push({ kind: 'status', status: 500 }, { kind: 'hang' }, { kind: 'status', status: 400, body });
    await createVia(base, actor, '/api/vendors', { name: 'Doomed', category: 'sound' });
    await drain(base, true);
    expect(accountingCallsOf(fake.tenantId)).toHaveLength(3);
    const [item] = await items(actor);
    expect(item).toMatchObject({ status: 'failed', attempts: 3 });
    expect(item.last_error).toBe('A validation exception occurred: Account code 999 is not valid');

    const log = await base.rest('GET', '/api/xero/sync-log?status=failed', { as: actor });
    expect(log.body.data).toEqual([expect.objectContaining({ recordType: 'vendor', status: 'failed', lastError: item.last_error, attempts: 3 })]);
    expect(log.body.meta).toMatchObject({ total: 1 });
    const gql = gqlData(await base.gql('{ xeroSyncLog(status: FAILED) { items { recordType status lastError } total } }', {}, { as: actor }));
    expect(gql.xeroSyncLog).toEqual({ items: [{ recordType: 'VENDOR', status: 'FAILED', lastError: item.last_error }], total: 1 });
    expect((await base.rest('GET', '/api/xero/status', { as: actor })).body.data).toMatchObject({ failed: 1, pending: 0 });

    const again = await base.rest('POST', '/api/xero/sync', { as: actor });
    expect(again.status).toBe(202);
    expect(again.body.data).toEqual({ queued: 1 });
    await drain(base, true);
    expect(contactsFor('Doomed')).toHaveLength(1);
    expect((await items(actor))[0]).toMatchObject({ status: 'synced', attempts: 0, last_error: null });
  });

  test('a 307 from the accounting API is not followed: the contact is not re-posted elsewhere, the item waits for a retry', async () => {
    const actor = await connected();
    fake.apiFaults.push(redirectElsewhere('/api.xro/2.0/Contacts'));
    await createVia(base, actor, '/api/vendors', { name: 'Redirected', category: 'sound' });
    await base.server.jobs.runOnce();
    expect(elsewhere.requests).toEqual([]);
    expect((await items(actor))[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('redirect (not followed)') });
  });

  test('the timeout ends a call Xero never answers', async () => {
    const actor = await connected();
    // Earlier tests' items waiting for a retry go first, or one of them would meet the hang.
    await drain(base, true);
    fake.apiFaults.push({ kind: 'hang' });
    await createVia(base, actor, '/api/vendors', { name: 'Slow', category: 'sound' });
    await base.server.jobs.runOnce();
    expect((await items(actor))[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Xero did not answer within 700 ms' });
  });
});

describe('tokens', () => {
  test('an expired access token is refreshed; the rotated refresh token is stored (sealed) and the old one is dead', async () => {
    const actor = await connected();
    const actorTenant = fake.tenantId;
    const before = fake.currentGrant()!.refreshToken;
    fake.expireAccessToken();
    await createVia(base, actor, '/api/vendors', { name: 'After expiry', category: 'sound' });
    await drain();
    expect(contactsFor('After expiry')).toHaveLength(1);
    const grant = fake.grantOf(actorTenant);
    expect(grant.refreshToken).not.toBe(before);
    const [row] = await base.sql<{ refresh_token: string }>(`SELECT refresh_token FROM xero_connections WHERE company_id = $1`, [actor.companyId]);
    const secrets = new SealedSecrets([{ id: 'k1', key: Buffer.from(keyA, 'base64') }]);
    expect(secrets.open(row.refresh_token, `xero:${actor.companyId}:refresh`).plaintext).toBe(grant.refreshToken);
    const refreshes = fake.calls.filter((c) => c.path === '/connect/token' && new URLSearchParams(c.body).get('refresh_token') === before);
    expect(refreshes).toHaveLength(1);
  });

  test('a token about to expire is refreshed before it is used (two minutes ahead), not earlier', async () => {
    // A short-lived token, so moving the clock past its margin leaves the other tests' tokens (1800 s) alone.
    fake.accessTtl = 300;
    let actor: Caller;
    try {
      actor = await connected();
    } finally {
      fake.accessTtl = 1800;
    }
    const refreshes = () => fake.calls.filter((c) => c.path === '/connect/token').length;
    const refreshesBefore = refreshes();
    const send = async (name: string) => {
      await createVia(base, actor, '/api/vendors', { name, category: 'sound' });
      await drain();
      expect(contactsFor(name)).toHaveLength(1);
    };
    base.clock.advance((300 - 120 - 60) * 1000); // a minute before the refresh margin
    await send('Not yet refreshed');
    expect(refreshes()).toBe(refreshesBefore);
    base.clock.advance(60_000); // within two minutes of its expiry
    await send('Early refresh');
    expect(refreshes()).toBe(refreshesBefore + 1);
    expect(accountingCallsOf(fake.tenantId).map((c) => c.status)).toEqual([200, 200]);
  });

  test('a 307 from the token endpoint on refresh is not followed: the refresh token is not re-posted elsewhere', async () => {
    const actor = await connected();
    fake.expireAccessToken();
    for (let i = 0; i < 3; i++) fake.tokenFaults.push(redirectElsewhere('/connect/token'));
    await createVia(base, actor, '/api/vendors', { name: 'Redirected refresh', category: 'sound' });
    await drain(base, true);
    expect(elsewhere.requests).toEqual([]);
    expect(contactsFor('Redirected refresh')).toHaveLength(0);
    const [item] = await items(actor);
    expect(item).toMatchObject({ status: 'failed', last_error: expect.stringContaining('redirect (not followed)') });
  });

  test('a refresh Xero refuses leaves the item failed, saying to connect again', async () => {
    const actor = await connected();
    fake.expireAccessToken();
    for (let i = 0; i < 3; i++) fake.tokenFaults.push({ kind: 'status', status: 400, body: { error: 'invalid_grant' } });
    await createVia(base, actor, '/api/vendors', { name: 'Refused refresh', category: 'sound' });
    await drain(base, true);
    const [item] = await items(actor);
    expect(item).toMatchObject({ status: "failed", last_error: expect.stringContaining("connect Xero again") });
  });
});

describe('limits and workers', () => {
  test('two workers at once send nothing twice', async () => {
    const second = await startTestBase({ ...env(), DATABASE_SCHEMA: base.schema }, { clock: base.clock });
    try {
      const actor = await connected();
      for (let i = 0; i < 12; i++) await createVia(base, actor, '/api/vendors', { name: `Pair ${i}`, category: 'sound' });
      fake.delayMs = 30;
      await Promise.all([drain(base, true), drain(second, true)]);
      fake.delayMs = 0;
      await drain(base, true);
      for (let i = 0; i < 12; i++) expect(contactsFor(`Pair ${i}`)).toHaveLength(1);
      const keys = accountingCallsOf(fake.tenantId).map((c) => c.headers['idempotency-key']);
      expect(new Set(keys).size).toBe(keys.length);
      expect((await items(actor)).every((i) => i.status === 'synced')).toBe(true);
    } finally {
      fake.delayMs = 0;
      await second.close();
    }
  });

  test('a burst of 200 changes keeps to 60 calls a minute and 5 at once; the rest wait for the window', async () => {
    const actor = await connected();
    const event = await createEvent(base, actor);
    const vendorsBefore = await base.sql<{ n: number }>(`SELECT count(*)::int AS n FROM xero_sync_items WHERE company_id = $1`, [actor.companyId]);
    expect(vendorsBefore[0].n).toBe(0);
    for (let i = 0; i < 200; i++) await createVia(base, actor, `/api/events/${event.id}/incomes`, { category: 'bar', description: `Burst ${i}`, amount: i + 1 });
    fake.maxInFlight = 0;
    fake.delayMs = 20;
    const runners = await startTestBase({ ...env(), DATABASE_SCHEMA: base.schema, JOBS_CONCURRENCY: '8' }, { clock: base.clock });
    try {
      // Each round runs every send that is due: a few rounds bring every one to the window.
      await Promise.all([drain(base, true, 5), drain(runners, true, 5)]);
    } finally {
      fake.delayMs = 0;
      await runners.close();
    }
    const calls = accountingCallsOf(fake.tenantId);
    expect(calls).toHaveLength(60);
    expect(calls.filter((c) => c.status === 429)).toHaveLength(0);
    expect(fake.maxInFlight).toBeLessThanOrEqual(5);
    const waiting = await base.sql<{ n: number; soonest: number }>(
      `SELECT count(*)::int AS n, min(wait_ms / 1000)::float AS soonest FROM ${queueJobs(base.schema)} WHERE kind = 'xero.sync' AND company_id = $1 AND status = 'pending'`,
      [actor.companyId],
    );
    expect(waiting[0].n).toBe(140);
    // Made due again, they are refused by the window, not sent, and wait for it to make room.
    await dueNow();
    await base.server.jobs.runOnce();
    expect(accountingCallsOf(fake.tenantId)).toHaveLength(60);
    const [later] = await base.sql<{ latest: number }>(
      `SELECT max(wait_ms / 1000)::float AS latest FROM ${queueJobs(base.schema)} WHERE kind = 'xero.sync' AND company_id = $1 AND status = 'pending'`,
      [actor.companyId],
    );
    expect(later.latest).toBeGreaterThan(1);
    expect((await base.rest('GET', '/api/xero/status', { as: actor })).body.data).toMatchObject({ pending: 140, failed: 0 });
  });
});

describe('keys, permissions and isolation', () => {
  test('after a key rotation, tokens sealed under the old key still open and are sealed again under the new one', async () => {
    const actor = await connected();
    const rotated = await startTestBase({ ...env(), DATABASE_SCHEMA: base.schema, XERO_TOKEN_KEYS: `k2:${keyB},k1:${keyA}` }, { clock: base.clock });
    try {
      await createVia(base, actor, '/api/vendors', { name: 'Rotated', category: 'sound' });
      await drain(rotated);
      expect(contactsFor('Rotated')).toHaveLength(1);
      const [row] = await base.sql<{ access_token: string; refresh_token: string }>(`SELECT * FROM xero_connections WHERE company_id = $1`, [actor.companyId]);
      expect(row.access_token).toMatch(/^v1\.k2\./);
      expect(row.refresh_token).toMatch(/^v1\.k2\./);
    } finally {
      await rotated.close();
    }
  });

  test('view reads, manage changes, nothing else does; another company sees none of it', async () => {
    const actor = await connected();
    await createVia(base, actor, '/api/vendors', { name: 'Mine', category: 'sound' });
    const viewer = await base.caller(['basic.xero.view'], { company: actor.companyId });
    const nobody = await base.caller(['basic.vendor.view'], { company: actor.companyId });
    expect((await base.rest('GET', '/api/xero/status', { as: viewer })).status).toBe(200);
    expect((await base.rest('GET', '/api/xero/sync-log', { as: viewer })).status).toBe(200);
    expectRestError(await base.rest('POST', '/api/xero/sync', { as: viewer }), 403, 'FORBIDDEN');
    expectRestError(await base.rest('DELETE', '/api/xero/connection', { as: viewer }), 403, 'FORBIDDEN');
    expectRestError(await base.rest('POST', '/api/xero/connection', { as: viewer, body: { code: 'x', redirectUri: 'https://x.test' } }), 403, 'FORBIDDEN');
    expectRestError(await base.rest('GET', '/api/xero/status', { as: nobody }), 403, 'FORBIDDEN');
    expectRestError(await base.rest('GET', '/api/xero/sync-log', { as: nobody }), 403, 'FORBIDDEN');
    const denied = await base.gql('mutation { syncXero { queued } }', {}, { as: viewer });
    expect(denied.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const outsider = await freshCaller(base);
    expect((await base.rest('GET', '/api/xero/status', { as: outsider })).body.data).toEqual({ connected: false, tenantName: null, lastSyncAt: null, pending: 0, failed: 0 });
    expect((await base.rest('GET', '/api/xero/sync-log', { as: outsider })).body.data).toEqual([]);
    expect((await base.rest('GET', '/api/xero/sync-log', { as: actor })).body.data).toHaveLength(1);
    // Disconnecting another company leaves this one connected.
    expect((await base.rest('DELETE', '/api/xero/connection', { as: outsider })).status).toBe(204);
    expect((await base.rest('GET', '/api/xero/status', { as: actor })).body.data.connected).toBe(true);
  });
});
