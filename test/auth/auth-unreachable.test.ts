import { useTestBase } from '../support/harness';
import { expectGqlRequestError, expectRestError } from '../support/assertions';
import { AGENCIES_QUERY, expectGrantedOnBoth } from '../support/surfaces';

/**
 * auth-contract.md §2, the last row: a timeout or a refused connection is 503 ACCESS_UNAVAILABLE,
 * fast (AUTH_TIMEOUT_MS), and never a grant. Its own Base, with a short timeout; the refused case
 * shuts FakeAuth down for good, so it runs last.
 */
// Well under the 2000 ms default, so finishing before it proves the configured timeout is the one used.
const TIMEOUT_MS = 200;
const base = useTestBase({ AUTH_TIMEOUT_MS: String(TIMEOUT_MS) });

/** Real time: the outside call's timeout is what is tested. */
async function timed<T>(work: () => Promise<T>): Promise<{ answer: T; ms: number }> {
  const started = performance.now();
  const answer = await work();
  return { answer, ms: performance.now() - started };
}

test('Auth never answers → 503 after roughly AUTH_TIMEOUT_MS, on both surfaces', async () => {
  // Warm up (JWKS, pool) so the timing below measures the effective-access call only.
  await expectGrantedOnBoth(base, (await base.caller()).headers);

  const actor = await base.caller();
  base.auth.fault = { kind: 'timeout' };
  try {
    const rest = await timed(() => base.rest('GET', '/api/agencies', { as: actor }));
    expectRestError(rest.answer, 503, 'ACCESS_UNAVAILABLE');
    expect(rest.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(rest.ms).toBeLessThan(TIMEOUT_MS + 1500);

    const gql = await timed(() => base.gql(AGENCIES_QUERY, undefined, { as: actor }));
    expectGqlRequestError(gql.answer, 503, 'ACCESS_UNAVAILABLE');
    expect(gql.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(gql.ms).toBeLessThan(TIMEOUT_MS + 1500);
  } finally {
    base.auth.fault = null;
  }
  // The timeout was not cached as anything: Auth answers again, the same token is granted.
  const before = base.auth.calls;
  await expectGrantedOnBoth(base, actor.headers);
  expect(base.auth.calls - before).toBe(1);
});

test('a slow Auth (answers after the timeout) is still 503: a late answer is not a grant', async () => {
  const actor = await base.caller();
  base.auth.delayMs = TIMEOUT_MS + 150;
  try {
    const rest = await base.rest('GET', '/api/agencies', { as: actor });
    expectRestError(rest, 503, 'ACCESS_UNAVAILABLE');
  } finally {
    base.auth.delayMs = 0;
  }
});

test('Auth refuses connections (it is down; the JWKS is already cached) → 503 on both surfaces', async () => {
  const actor = await base.caller();
  await expectGrantedOnBoth(base, (await base.caller()).headers); // the JWKS is in Base's cache
  await base.auth.close(); // nothing listens on Auth's port any more: ECONNREFUSED

  const rest = await timed(() => base.rest('GET', '/api/agencies', { as: actor }));
  expectRestError(rest.answer, 503, 'ACCESS_UNAVAILABLE');
  expect(rest.ms).toBeLessThan(TIMEOUT_MS + 1500);
  expectGqlRequestError(await base.gql(AGENCIES_QUERY, undefined, { as: actor }), 503, 'ACCESS_UNAVAILABLE');
});
