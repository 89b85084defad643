import { randomBytes } from 'node:crypto';
import { MODULES } from '../../src/modules';
import { notificationModule } from '../../src/modules/notifications';
import { expectRestError } from '../support/assertions';
import { CLIENT_ID, CLIENT_SECRET, FakeXero } from '../support/fake-xero';
import { createVia, freshCaller } from '../support/fixtures';
import { startTestBase, TestBase } from '../support/harness';

/**
 * One composition root: each server keeps what it was made of — its modules' event handlers and
 * notices, and its modules' configured clients — even when another server with a different
 * configuration and module list starts later in the same process (it used to be "the last server
 * started wins": the second start replaced the first's handlers and Xero client).
 */
jest.setTimeout(90_000);

let fake: FakeXero;
/** Xero configured; every module. Started first. */
let first: TestBase;
/** Xero not configured; no notifications module. Started second, in the same process. */
let second: TestBase;

beforeAll(async () => {
  fake = await FakeXero.start();
  first = await startTestBase({
    XERO_CLIENT_ID: CLIENT_ID,
    XERO_CLIENT_SECRET: CLIENT_SECRET,
    XERO_IDENTITY_URL: fake.url,
    XERO_API_URL: fake.url,
    XERO_TOKEN_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  });
  second = await startTestBase({}, { modules: MODULES.filter((m) => m !== notificationModule) });
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  await fake?.close();
});

const connect = (base: TestBase, as: Awaited<ReturnType<TestBase['caller']>>) =>
  base.rest('POST', '/api/xero/connection', { as, body: { code: fake.issueCode(), redirectUri: 'https://app.kisum.test/xero' } });

test('each server keeps its own Xero configuration: the first connects through its client, the second has none', async () => {
  const there = await freshCaller(first);
  expect((await connect(first, there)).status).toBe(200);
  expect((await first.rest('GET', '/api/xero/status', { as: there })).body.data).toMatchObject({ connected: true });

  const here = await freshCaller(second);
  const refused = expectRestError(await connect(second, here), 503, 'INTEGRATION_UNAVAILABLE');
  expect(refused.message).toMatch(/not configured/);
});

test("each server runs its own modules' handlers: the first notifies an assignee, the second (no notifications) does not", async () => {
  const assigned = async (base: TestBase) => {
    const boss = await freshCaller(base);
    const worker = await base.caller(undefined, { company: boss.companyId });
    await createVia(base, boss, '/api/tasks', { title: 'Load the van', assigneeId: worker.userId });
    return base.sql<{ kind: string; recipient_id: string }>(`SELECT kind, recipient_id FROM notifications WHERE company_id = $1`, [boss.companyId]).then((rows) =>
      rows.map((r) => [r.kind, r.recipient_id === worker.userId]),
    );
  };
  expect(await assigned(first)).toEqual([['task.assigned', true]]);
  expect(await assigned(second)).toEqual([]);
  // The module list is the server's too: the second serves no notifications.
  expect((await second.rest('GET', '/api/notifications', { as: await freshCaller(second) })).status).toBe(404);
  expect(first.server.composition).not.toBe(second.server.composition);
});
