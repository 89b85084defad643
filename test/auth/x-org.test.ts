import type { Caller } from '../support/harness';
import { useTestBase } from '../support/harness';
import { expectGqlRequestError, expectRestError } from '../support/assertions';
import { callBoth, expectDeniedOnBoth, expectGrantedOnBoth } from '../support/surfaces';
import { bearer } from '../support/tokens';

/**
 * auth-contract.md §3 and §4: `x-org` is required, must be a UUID (any version, any case), is
 * checked after the token and before Auth is consulted, and is never guessed.
 */
const base = useTestBase();
let actor: Caller;

beforeAll(async () => {
  actor = await base.caller();
});

/** A well-formed company id to mangle (test.each tables are built before beforeAll runs). */
const SAMPLE = '4b1e6f0e-7c1a-4a63-9a40-2f0d3c1b9e11';
const auth = () => ({ authorization: bearer(actor.token) });

/** 400 BAD_REQUEST on both surfaces, and Auth was not asked. */
async function expectBadOrg(headers: Record<string, string>): Promise<void> {
  const before = base.auth.calls;
  await expectDeniedOnBoth(base, headers, 400, 'BAD_REQUEST');
  expect(base.auth.calls - before).toBe(0);
}

test('the control case: a valid token and the actor’s company', async () => {
  await expectGrantedOnBoth(base, actor.headers);
});

test('missing x-org → 400 BAD_REQUEST (no company is guessed)', async () => {
  await expectBadOrg(auth());
});

test('empty x-org → 400', async () => {
  await expectBadOrg({ ...auth(), 'x-org': '' });
});

test.each([
  ['not a UUID', 'acme'],
  ['a number', '42'],
  ['a UUID without dashes', SAMPLE.replace(/-/g, '')],
  ['a UUID in braces', `{${SAMPLE}}`],
  ['a UUID with a trailing character', `${SAMPLE}x`],
  ['a UUID with a non-hex character', 'g4b1e6f0-7c1a-4a63-9a40-2f0d3c1b9e11'],
  ['a truncated UUID', '4b1e6f0e-7c1a-4a63-9a40-2f0d3c1b9e1'],
  ['SQL', "' OR 1=1 --"],
])('malformed x-org (%s) → 400', async (_label, org) => {
  await expectBadOrg({ ...auth(), 'x-org': org });
});

test('two x-org values (comma-joined by HTTP) → 400, neither is picked', async () => {
  const headers = new Headers({ authorization: bearer(actor.token) });
  headers.append('x-org', actor.companyId);
  headers.append('x-org', base.companyB);
  const before = base.auth.calls;
  const rest = await fetch(`${base.url}/api/agencies`, { headers });
  expect(rest.status).toBe(400);
  expect((await rest.json()).error.code).toBe('BAD_REQUEST');
  headers.set('content-type', 'application/json');
  const gql = await fetch(`${base.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: '{ agencies { total } }' }) });
  expect(gql.status).toBe(400);
  expect((await gql.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  expect(base.auth.calls - before).toBe(0);
});

test('order of checks: no token and a malformed x-org → 401 (token first)', async () => {
  await expectDeniedOnBoth(base, { 'x-org': 'not-a-uuid' }, 401, 'UNAUTHENTICATED');
});

test('order of checks: a garbage token and a malformed x-org → 401 (token first)', async () => {
  await expectDeniedOnBoth(base, { authorization: 'Bearer garbage', 'x-org': 'not-a-uuid' }, 401, 'UNAUTHENTICATED');
});

test('order of checks: an expired token and no x-org → 401', async () => {
  const expired = await base.auth.token(actor.userId, { expiresIn: -120 });
  await expectDeniedOnBoth(base, { authorization: bearer(expired) }, 401, 'UNAUTHENTICATED');
});

test('order of checks: a malformed x-org is 400 even when Auth is down (Auth is not consulted)', async () => {
  base.auth.fault = { kind: 'status', status: 500 };
  try {
    await expectBadOrg({ ...auth(), 'x-org': 'nope' });
  } finally {
    base.auth.fault = null;
  }
});

test('an upper-case UUID is accepted and resolves the same company', async () => {
  const fresh = await base.caller(); // nothing cached for this token yet: Auth must be asked
  const before = base.auth.calls;
  await expectGrantedOnBoth(base, { authorization: bearer(fresh.token), 'x-org': fresh.companyId.toUpperCase() });
  expect(base.auth.calls - before).toBeGreaterThanOrEqual(1);
  expect(base.auth.lastAccessRequest?.xOrg?.toLowerCase()).toBe(fresh.companyId);
});

test('a UUID of any version is accepted (v1-style here)', async () => {
  const v1Company = 'c232ab00-9414-11ec-b3c8-9f68deced846';
  const member = await base.caller(undefined, { company: v1Company });
  await expectGrantedOnBoth(base, member.headers);
});

test('a well-formed x-org of a company the actor does not belong to → 403, never a fallback', async () => {
  const { rest, gql } = await callBoth(base, { ...auth(), 'x-org': base.companyB });
  expectRestError(rest, 403, 'FORBIDDEN');
  expectGqlRequestError(gql, 403, 'FORBIDDEN');
  expect(base.auth.lastAccessRequest?.xOrg).toBe(base.companyB);
});
