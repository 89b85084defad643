import { useTestBase } from '../support/harness';
import { capturedLines, loggedThrough } from '../support/log-capture';
import { createAgency } from '../support/fixtures';

/**
 * Logs never hold customer data: a failing write's values (names, emails, notes) stay out of every
 * line, at every level; client errors are not logged at error level. The real logger is kept, its
 * destination swapped for memory (as in test/auth/logs.test.ts).
 */
jest.mock('pino', () => jest.requireActual('../support/log-capture').pinoToMemory());
const lines = capturedLines();

const base = useTestBase({ LOG_LEVEL: 'trace' });

test('a failing write leaves no customer value in the logs, and client errors are not errors', async () => {
  const admin = await base.caller();
  const existing = await createAgency(base, admin);
  const secretName = `Customer Name ${Date.now()}`;
  const secretEmail = `private-${Date.now()}@customer.example`;
  const secretNotes = `confidential note ${Date.now()}`;
  lines.length = 0;

  // Duplicate key: PostgreSQL refuses the INSERT (its detail quotes the key); the answer is 409.
  const duplicate = await base.rest('POST', '/api/agencies', {
    as: admin,
    body: { key: existing.key, name: secretName, email: secretEmail, notes: secretNotes },
  });
  expect(duplicate.status).toBe(409);
  const gqlDuplicate = await base.gql('mutation($i: AgencyCreateInput!) { createAgency(input: $i) { id } }', {
    i: { key: existing.key, name: secretName, email: secretEmail, notes: secretNotes },
  }, { as: admin });
  expect(gqlDuplicate.body.errors?.[0].extensions?.code).toBe('CONFLICT');
  // Validation failures and a NUL are client errors too.
  expect((await base.rest('POST', '/api/agencies', { as: admin, body: { key: 'x', name: `${secretName}\u0000` }, headers: { 'x-request-id': 'nul-write' } })).status).toBe(400);
  await loggedThrough('nul-write');

  const log = lines.join('');
  expect(log).toContain('sql error'); // the failing statement was logged, by its shape
  expect(log).toMatch(/INSERT INTO/);
  for (const secret of [secretName, secretEmail, secretNotes, existing.key]) expect(log).not.toContain(secret);
  const errorLines = lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
  expect(errorLines).toEqual([]);
});

test('a value written and then searched for appears in no log line at trace level (statements, errors, access lines)', async () => {
  const admin = await base.caller();
  const secret = `Zqx${Date.now()}Secret`;
  lines.length = 0;
  expect((await base.rest('POST', '/api/agencies', { as: admin, body: { key: `k${Date.now()}`, name: secret } })).status).toBe(201);
  // Reads sent in one round trip, their parameters written into the statement (the page and its total).
  const found = await base.rest('GET', `/api/agencies?q=${secret}`, { as: admin });
  expect(found.body.data.map((a: { name: string }) => a.name)).toEqual([secret]);
  const gql = await base.gql('query($q: String) { agencies(filter: { q: $q }) { total items { name } } }', { q: secret }, { as: admin, headers: { 'x-request-id': 'search-gql' } });
  expect(gql.body.data?.agencies.items).toEqual([{ name: secret }]);
  await loggedThrough('search-gql');
  const log = lines.join('');
  expect(log).toMatch(/"msg":"sql"/); // statements were logged, by their shape
  expect(log).not.toContain(secret);
});

test('every answered request has one access line: method, url, status, duration and request id', async () => {
  const admin = await base.caller();
  lines.length = 0;
  const answer = await base.rest('GET', '/api/agencies?limit=1', { as: admin, headers: { 'x-request-id': 'access-line-1' } });
  expect(answer.status).toBe(200);
  await loggedThrough('access-line-1');
  const access = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
  expect(access).toEqual([
    expect.objectContaining({ level: 30, requestId: 'access-line-1', req: { method: 'GET', url: '/api/agencies?limit=…' }, res: { statusCode: 200 }, responseTime: expect.any(Number) }),
  ]);
});
