import type { Caller, TestBase } from '../support/harness';
import { useTestBase } from '../support/harness';
import { expectDeniedOnBoth, expectGrantedOnBoth } from '../support/surfaces';
import { bearer, unknownKidToken } from '../support/tokens';

/**
 * A signing key Auth drops from its JWKS (compromised, rotated out) stops every token it signed as
 * soon as Base has fetched the new set, on both surfaces, however long those tokens still have until
 * their `exp`. Tokens of the keys still published keep working.
 */

/** An actor with a 30-day RS256 token and a 30-day ES256 token, both already verified (and so cached) by Base. */
async function verifiedTokens(base: TestBase): Promise<{ actor: Caller; rs256: Record<string, string>; es256: Record<string, string> }> {
  const actor = await base.caller();
  const headers = async (alg: 'RS256' | 'ES256') => ({
    authorization: bearer(await base.auth.token(actor.userId, { alg, expiresIn: 30 * 24 * 3600 })),
    'x-org': actor.companyId,
  });
  const rs256 = await headers('RS256');
  const es256 = await headers('ES256');
  await expectGrantedOnBoth(base, rs256);
  await expectGrantedOnBoth(base, es256);
  return { actor, rs256, es256 };
}

describe('a key dropped from the JWKS, seen when a token with an unknown kid makes Base fetch the set again', () => {
  // No cool-down: the unknown kid fetches the set at once (the default 30 s would need a wait).
  const base = useTestBase({ AUTH_JWKS_COOLDOWN_MS: '0' });
  afterEach(() => base.auth.reset()); // every key published again

  test('the dropped key’s 30-day token is 401 on both surfaces; the other key’s token works without another fetch', async () => {
    const { actor, rs256, es256 } = await verifiedTokens(base);
    base.auth.withdrawnKids.add(base.auth.issuer.kid('RS256'));

    const fetchesBefore = base.auth.jwksCalls;
    await expectDeniedOnBoth(base, { authorization: bearer(await unknownKidToken(base.auth, actor.userId)), 'x-org': actor.companyId }, 401, 'UNAUTHENTICATED');
    expect(base.auth.jwksCalls).toBeGreaterThan(fetchesBefore); // Base now holds the set without the RS256 key

    await expectDeniedOnBoth(base, rs256, 401, 'UNAUTHENTICATED');
    const fetchesAfter = base.auth.jwksCalls;
    await expectGrantedOnBoth(base, es256);
    await expectGrantedOnBoth(base, es256);
    // The ES256 token's verification still stands on the new set: no fetch, no signature check needed.
    expect(base.auth.jwksCalls).toBe(fetchesAfter);
  });

  test('once Auth publishes the key again, its tokens are accepted again', async () => {
    const { actor, rs256 } = await verifiedTokens(base);
    const kid = base.auth.issuer.kid('RS256');
    base.auth.withdrawnKids.add(kid);
    await expectDeniedOnBoth(base, { authorization: bearer(await unknownKidToken(base.auth, actor.userId)), 'x-org': actor.companyId }, 401, 'UNAUTHENTICATED');
    await expectDeniedOnBoth(base, rs256, 401, 'UNAUTHENTICATED');
    base.auth.withdrawnKids.delete(kid);
    await expectGrantedOnBoth(base, rs256); // its unknown kid fetches the set again, which has the key
  });
});

describe('a key dropped from the JWKS, seen when the fetched set reaches its max age', () => {
  // Max age 0: the set is due for a fetch at every request, so a dropped key is seen at the next one.
  const base = useTestBase({ AUTH_JWKS_MAX_AGE_MS: '0' });
  afterEach(() => base.auth.reset());

  test('an already verified token of the dropped key is 401 on both surfaces at the next request', async () => {
    const { rs256, es256 } = await verifiedTokens(base);
    base.auth.withdrawnKids.add(base.auth.issuer.kid('RS256'));
    await expectDeniedOnBoth(base, rs256, 401, 'UNAUTHENTICATED');
    await expectGrantedOnBoth(base, es256);
  });

  test('the key set unreachable past its max age: an already verified token is 503, never served from the cache', async () => {
    const { rs256 } = await verifiedTokens(base);
    base.auth.jwksFault = 'status-500';
    await expectDeniedOnBoth(base, rs256, 503, 'ACCESS_UNAVAILABLE');
    base.auth.jwksFault = null;
    await expectGrantedOnBoth(base, rs256);
  });
});
