import type { Answer } from '../support/harness';
import { useTestBase } from '../support/harness';
import { expectRestError } from '../support/assertions';
import { AGENCIES_QUERY, expectDeniedOnBoth, expectGqlList, expectGrantedOnBoth, expectRestList } from '../support/surfaces';
import { bearer } from '../support/tokens';

/**
 * auth-contract.md §2, "Rules on top of the answer": a grant is reused for at most
 * AUTH_ACCESS_CACHE_TTL_MS per (token, company); concurrent requests with the same key share one
 * call; denials and failures are never cached; a 503 never becomes a grant. Counted with
 * FakeAuth's effective-access call counter. The TTL runs on the Base's clock, which the tests move.
 */
const TTL_MS = 10_000;
/** Short of the TTL by more than the requests in between take. */
const MARGIN_MS = 2000;

describe(`AUTH_ACCESS_CACHE_TTL_MS=${TTL_MS}`, () => {
  const base = useTestBase({ AUTH_ACCESS_CACHE_TTL_MS: String(TTL_MS) });

  beforeAll(async () => {
    await expectGrantedOnBoth(base, (await base.caller()).headers); // warm up: JWKS, pool, schema
  });
  afterEach(() => base.auth.reset());

  /** Auth calls made while running `work`. */
  async function callsDuring(work: () => Promise<void>): Promise<number> {
    const before = base.auth.calls;
    await work();
    return base.auth.calls - before;
  }
  const restList = async (headers: Record<string, string>) => expectRestList(await base.rest('GET', '/api/agencies', { headers }));

  test('two sequential requests with the same token and company → one Auth call (REST then GraphQL share it)', async () => {
    const actor = await base.caller();
    expect(await callsDuring(() => expectGrantedOnBoth(base, actor.headers))).toBe(1);
  });

  test('the grant is reused until the TTL is over, and not after: Auth is called again', async () => {
    const actor = await base.caller();
    expect(await callsDuring(() => restList(actor.headers))).toBe(1);
    expect(await callsDuring(() => restList(actor.headers))).toBe(0);
    base.clock.advance(TTL_MS - MARGIN_MS);
    expect(await callsDuring(() => restList(actor.headers))).toBe(0);
    base.clock.advance(MARGIN_MS);
    expect(await callsDuring(() => restList(actor.headers))).toBe(1);
    expect(await callsDuring(() => restList(actor.headers))).toBe(0); // the new grant is kept in turn
  });

  test('20 concurrent requests with a fresh token → exactly one Auth call, all granted', async () => {
    const actor = await base.caller();
    base.auth.delayMs = 150; // real time: the first call is still in flight when the others arrive
    let answers: Answer[] = [];
    const calls = await callsDuring(async () => {
      answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 ? base.gql(AGENCIES_QUERY, undefined, { as: actor }) : base.rest('GET', '/api/agencies', { as: actor }),
        ),
      );
    });
    expect(calls).toBe(1);
    answers.forEach((a, i) => (i % 2 ? expectGqlList(a) : expectRestList(a)));
  });

  test('concurrent requests during a failure all get 503, and the failure is not kept', async () => {
    const actor = await base.caller();
    base.auth.fault = { kind: 'status', status: 500 };
    base.auth.delayMs = 100; // real time: the calls overlap
    const answers = await Promise.all(Array.from({ length: 5 }, () => base.rest('GET', '/api/agencies', { as: actor })));
    answers.forEach((a) => expectRestError(a, 503, 'ACCESS_UNAVAILABLE'));
    base.auth.reset();
    expect(await callsDuring(() => restList(actor.headers))).toBe(1);
  });

  test('a 503 is never cached: fault 500 → 503; fault cleared → 200 and Auth is called again', async () => {
    const actor = await base.caller();
    base.auth.fault = { kind: 'status', status: 500 };
    expect(await callsDuring(() => expectDeniedOnBoth(base, actor.headers, 503, 'ACCESS_UNAVAILABLE'))).toBe(2);
    base.auth.fault = null;
    expect(await callsDuring(() => expectGrantedOnBoth(base, actor.headers))).toBe(1);
  });

  test('an inconsistent answer (503) is never cached either', async () => {
    const actor = await base.caller();
    base.auth.fault = { kind: 'company-mismatch' };
    await expectDeniedOnBoth(base, actor.headers, 503, 'ACCESS_UNAVAILABLE');
    base.auth.fault = null;
    expect(await callsDuring(() => expectGrantedOnBoth(base, actor.headers))).toBe(1);
  });

  test('a denial (403) is not cached: suspended → 403; reinstated → 200 with a new Auth call', async () => {
    const actor = await base.caller();
    base.auth.fault = { kind: 'membership', membership: 'suspended' };
    expect(await callsDuring(() => expectDeniedOnBoth(base, actor.headers, 403, 'FORBIDDEN'))).toBe(2);
    base.auth.fault = null;
    expect(await callsDuring(() => expectGrantedOnBoth(base, actor.headers))).toBe(1);
  });

  test('a "not a member" denial is not cached: once Auth grants the company, the same token gets in', async () => {
    const actor = await base.caller(); // companyA only
    const inB = { authorization: bearer(actor.token), 'x-org': base.companyB };
    await expectDeniedOnBoth(base, inB, 403, 'FORBIDDEN');
    base.auth.grant(actor.userId, base.companyB, ['basic.agency.view']);
    expect(await callsDuring(() => expectGrantedOnBoth(base, inB))).toBe(1);
  });

  test('an Auth 401 is not cached as anything and a cached grant does not outlive its TTL when Auth turns it down', async () => {
    const actor = await base.caller();
    expect(await callsDuring(() => restList(actor.headers))).toBe(1);
    base.auth.reject(actor.token); // the session is revoked at Auth
    // Within the TTL the grant may still be reused (the contract allows it)…
    expect(await callsDuring(() => restList(actor.headers))).toBe(0);
    base.clock.advance(TTL_MS);
    // …but not after: Auth is asked again and its 401 stands, on both surfaces, each time.
    expect(await callsDuring(() => expectDeniedOnBoth(base, actor.headers, 401, 'UNAUTHENTICATED'))).toBe(2);
  });

  test('a cached grant is not served past its TTL when Auth is down: 503, not stale access', async () => {
    const actor = await base.caller();
    await restList(actor.headers);
    base.auth.fault = { kind: 'status', status: 502 };
    base.clock.advance(TTL_MS);
    await expectDeniedOnBoth(base, actor.headers, 503, 'ACCESS_UNAVAILABLE');
  });

  test('a different company with the same token → a separate call (and separate entries)', async () => {
    const actor = await base.caller();
    base.auth.grant(actor.userId, base.companyB, ['basic.agency.view']);
    const inB = { authorization: bearer(actor.token), 'x-org': base.companyB };
    expect(await callsDuring(() => restList(actor.headers))).toBe(1);
    expect(await callsDuring(() => restList(inB))).toBe(1);
    expect(await callsDuring(() => restList(actor.headers))).toBe(0);
    expect(await callsDuring(() => restList(inB))).toBe(0);
  });

  test('a different token for the same user and company → a separate call', async () => {
    const actor = await base.caller();
    const other = await base.auth.token(actor.userId, { alg: 'ES256' });
    expect(await callsDuring(() => restList(actor.headers))).toBe(1);
    expect(await callsDuring(() => restList({ authorization: bearer(other), 'x-org': actor.companyId }))).toBe(1);
  });

  test('the company key is case-insensitive: upper- and lower-case x-org share one entry', async () => {
    const actor = await base.caller();
    expect(await callsDuring(() => restList(actor.headers))).toBe(1);
    expect(await callsDuring(() => restList({ ...actor.headers, 'x-org': actor.companyId.toUpperCase() }))).toBe(0);
  });
});

describe('AUTH_ACCESS_CACHE_TTL_MS=0 disables the cache', () => {
  const base = useTestBase({ AUTH_ACCESS_CACHE_TTL_MS: '0' });

  test('every request calls Auth', async () => {
    const actor = await base.caller();
    const before = base.auth.calls;
    for (let i = 0; i < 3; i++) await expectGrantedOnBoth(base, actor.headers);
    expect(base.auth.calls - before).toBe(6);
  });

  test('a denial right after a grant is seen at once (nothing reused)', async () => {
    const actor = await base.caller();
    await expectGrantedOnBoth(base, actor.headers);
    base.auth.fault = { kind: 'membership', membership: 'suspended' };
    try {
      await expectDeniedOnBoth(base, actor.headers, 403, 'FORBIDDEN');
    } finally {
      base.auth.fault = null;
    }
  });
});
