import type { Caller } from '../support/harness';
import { useTestBase } from '../support/harness';
import type { AuthFault } from '../support/fake-auth';
import { expectDeniedOnBoth, expectGrantedOnBoth } from '../support/surfaces';
import { bearer } from '../support/tokens';

/**
 * auth-contract.md §2, every row of the effective-access table, on both surfaces. Each case uses a
 * fresh actor (a fresh token), so no grant cached by an earlier case can hide the answer under test.
 * (Timeouts and refused connections are in auth-unreachable.test.ts: they need their own Base.)
 */
const base = useTestBase();
afterEach(() => base.auth.reset());

/** A fresh actor, then `fault`, then the request on both surfaces; Auth must have been asked. */
async function withFault(fault: AuthFault | null, status: number, code: string | null, actor?: Caller): Promise<void> {
  const who = actor ?? (await base.caller());
  base.auth.fault = fault;
  const before = base.auth.calls;
  if (code === null) await expectGrantedOnBoth(base, who.headers);
  else await expectDeniedOnBoth(base, who.headers, status, code);
  expect(base.auth.calls - before).toBeGreaterThanOrEqual(1);
}

describe('200 from Auth', () => {
  test('membership "active" with basic → granted', async () => {
    await withFault(null, 200, null);
  });

  test('Base forwards the caller’s JWT unchanged and the x-org it was sent', async () => {
    const actor = await base.caller();
    await expectGrantedOnBoth(base, actor.headers);
    expect(base.auth.lastAccessRequest).toEqual({ authorization: `Bearer ${actor.token}`, xOrg: actor.companyId });
  });

  test.each(['invited', 'suspended', 'removed', 'Active', 'ACTIVE', 'active '])('membership %p → 403 FORBIDDEN', async (membership) => {
    await withFault({ kind: 'membership', membership }, 403, 'FORBIDDEN');
  });

  test('companyId ≠ the x-org sent → 503 ACCESS_UNAVAILABLE (fail closed)', async () => {
    await withFault({ kind: 'company-mismatch' }, 503, 'ACCESS_UNAVAILABLE');
  });

  test('userId ≠ the token’s sub → 503 ACCESS_UNAVAILABLE', async () => {
    await withFault({ kind: 'user-mismatch' }, 503, 'ACCESS_UNAVAILABLE');
  });

  test('a body that does not match the schema → 503', async () => {
    await withFault({ kind: 'malformed' }, 503, 'ACCESS_UNAVAILABLE');
  });

  test('a body that is not JSON → 503', async () => {
    await withFault({ kind: 'not-json' }, 503, 'ACCESS_UNAVAILABLE');
  });

  test('the basic module missing → 403 FORBIDDEN', async () => {
    await withFault({ kind: 'no-basic' }, 403, 'FORBIDDEN');
  });

  test('no modules at all → 403 FORBIDDEN', async () => {
    const actor = await base.caller();
    base.auth.grant(actor.userId, actor.companyId, ['basic.agency.view'], { modules: [] });
    await withFault(null, 403, 'FORBIDDEN', actor);
  });
});

describe('Auth rejects', () => {
  test('401 (Auth rejects the token) → 401 UNAUTHENTICATED', async () => {
    const actor = await base.caller();
    base.auth.reject(actor.token);
    await withFault(null, 401, 'UNAUTHENTICATED', actor);
  });

  test('403: not a member of the company sent (granted in companyA, x-org companyB) → 403', async () => {
    const actor = await base.caller(); // a member of companyA only
    await expectDeniedOnBoth(base, { authorization: bearer(actor.token), 'x-org': base.companyB }, 403, 'FORBIDDEN');
    expect(base.auth.lastAccessRequest?.xOrg).toBe(base.companyB);
    // …and the same token still works for its own company: nothing was mixed up.
    await expectGrantedOnBoth(base, actor.headers);
  });

  test('403 from Auth → 403 FORBIDDEN', async () => {
    await withFault({ kind: 'status', status: 403 }, 403, 'FORBIDDEN');
  });

  test('404 from Auth (unknown company) → 403 FORBIDDEN', async () => {
    await withFault({ kind: 'status', status: 404 }, 403, 'FORBIDDEN');
  });
});

describe('access cannot be resolved → 503 ACCESS_UNAVAILABLE, never a grant', () => {
  test.each([500, 502, 503, 504, 400, 409, 429, 201, 204, 302])('Auth answers %i → 503', async (status) => {
    await withFault({ kind: 'status', status }, 503, 'ACCESS_UNAVAILABLE');
  });

  test('a redirect is not followed into a grant: 307 → 503', async () => {
    // FakeAuth answers 307 to the same endpoint, which would then grant. "Any other status" is 503.
    await withFault({ kind: 'redirect' }, 503, 'ACCESS_UNAVAILABLE');
  });

  test('the connection is dropped without an answer → 503', async () => {
    await withFault({ kind: 'refuse' }, 503, 'ACCESS_UNAVAILABLE');
  });
});
