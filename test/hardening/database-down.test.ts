import { useTestBase } from '../support/harness';
import { TcpProxy } from '../support/tcp-proxy';
import { AGENCIES_QUERY } from '../support/surfaces';
import { eventually } from '../support/waiting';
import { expectRestError } from '../support/assertions';

/**
 * PostgreSQL frozen (a network split) or gone (a stopped server), through a proxy between Base and
 * PostgreSQL: requests and /ready answer 503 within seconds, and Base recovers by itself.
 */
const env: Record<string, string> = {
  DATABASE_CONNECT_TIMEOUT_MS: '1000',
  DATABASE_QUERY_TIMEOUT_MS: '1500',
  DATABASE_STATEMENT_TIMEOUT_MS: '1000',
};
let proxy: TcpProxy;
beforeAll(async () => {
  proxy = await TcpProxy.start(process.env.DATABASE_URL!);
  env.DATABASE_URL = proxy.urlFor(process.env.DATABASE_URL!);
});
const base = useTestBase(env);
afterAll(() => proxy?.close());

const BOUND_MS = 6000;

/** Real time: how soon a database that does not answer is reported is what is tested. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await work();
  return { value, ms: Date.now() - start };
}

async function expectDown(): Promise<void> {
  const admin = await base.caller();
  const rest = await timed(() => base.rest('GET', '/api/agencies', { as: admin }));
  expectRestError(rest.value, 503, 'DATABASE_UNAVAILABLE');
  expect(rest.ms).toBeLessThan(BOUND_MS);

  const write = await timed(() => base.rest('POST', '/api/agencies', { as: admin, body: { key: 'down-probe', name: 'Down' } }));
  expectRestError(write.value, 503, 'DATABASE_UNAVAILABLE');
  expect(write.ms).toBeLessThan(BOUND_MS * 2);

  const gql = await timed(() => base.gql(AGENCIES_QUERY, undefined, { as: admin }));
  expect({ status: gql.value.status, codes: gql.value.body.errors?.map((e) => [e.path, e.extensions?.code]) }).toEqual({
    status: 503,
    codes: [[['agencies'], 'DATABASE_UNAVAILABLE']],
  });
  expect(gql.ms).toBeLessThan(BOUND_MS);

  const ready = await timed(() => base.rest('GET', '/ready'));
  expect(ready.value.status).toBe(503);
  expect(ready.ms).toBeLessThan(3000);
}

async function expectRecovered(): Promise<void> {
  const admin = await base.caller();
  await eventually(async () => (await base.rest('GET', '/ready')).status === 200, 10_000, '/ready answering 200');
  expect((await base.rest('GET', '/api/agencies', { as: admin })).status).toBe(200);
  const gql = await base.gql(AGENCIES_QUERY, undefined, { as: admin });
  expect({ status: gql.status, errors: gql.body.errors }).toEqual({ status: 200, errors: undefined });
}

test('a frozen database: 503 DATABASE_UNAVAILABLE within seconds on both surfaces, /ready false; recovery when it answers again', async () => {
  await expectRecovered();
  proxy.freeze();
  try {
    await expectDown();
  } finally {
    proxy.thaw();
  }
  await expectRecovered();
}, 60_000);

test('a frozen database holds a request for one query timeout, not two: the timed-out connection is closed, not reused', async () => {
  await expectRecovered();
  const admin = await base.caller();
  const pool = (base.server.dataSource.driver as unknown as { master: { on(e: 'remove', l: () => void): void; off(e: 'remove', l: () => void): void } }).master;
  let removed = 0;
  const onRemove = () => removed++;
  pool.on('remove', onRemove);
  proxy.freeze();
  try {
    const write = await timed(() => base.rest('POST', '/api/agencies', { as: admin, body: { key: 'frozen-probe', name: 'Frozen' } }));
    expectRestError(write.value, 503, 'DATABASE_UNAVAILABLE');
    // One query timeout (1.5 s) and the answer; a ROLLBACK on the same connection would wait 1.5 s more.
    expect(write.ms).toBeLessThan(2 * Number(env.DATABASE_QUERY_TIMEOUT_MS));
    expect(removed).toBeGreaterThanOrEqual(1);
  } finally {
    pool.off('remove', onRemove);
    proxy.thaw();
  }
  await expectRecovered();
}, 60_000);

test('a stopped database: 503 at once, then recovery without a restart when it is back', async () => {
  await proxy.kill();
  try {
    await expectDown();
  } finally {
    await proxy.revive();
  }
  await expectRecovered();
}, 60_000);
