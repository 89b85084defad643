import { JwksFault } from '../support/fake-auth';
import { useTestBase } from '../support/harness';
import { expectDeniedOnBoth, expectGrantedOnBoth } from '../support/surfaces';
import { bearer } from '../support/tokens';

/** Tokens from the future, and a key set Auth serves broken. */
describe('a token from the future', () => {
  const base = useTestBase();

  test('iat beyond the 30 s tolerance is 401 on both surfaces; within it the token works', async () => {
    const actor = await base.caller();
    const future = await base.auth.token(actor.userId, { issuedAt: 120 });
    await expectDeniedOnBoth(base, { authorization: bearer(future), 'x-org': actor.companyId }, 401, 'UNAUTHENTICATED');
    const skewed = await base.auth.token(actor.userId, { issuedAt: 10 });
    await expectGrantedOnBoth(base, { authorization: bearer(skewed), 'x-org': actor.companyId });
  });

  test('nbf beyond the tolerance is 401 until the clock comes within it; an iat from the future likewise', async () => {
    const actor = await base.caller();
    const notYet = await base.auth.token(actor.userId, { notBefore: 120 });
    const early = await base.auth.token(actor.userId, { issuedAt: 120 });
    const denied = () => Promise.all([notYet, early].map((t) => expectDeniedOnBoth(base, { authorization: bearer(t), 'x-org': actor.companyId }, 401, 'UNAUTHENTICATED')));
    await denied();
    base.clock.advance(80_000); // 40 s before both, 10 s outside the tolerance
    await denied();
    base.clock.advance(20_000); // within the 30 s tolerance of both
    for (const token of [notYet, early]) await expectGrantedOnBoth(base, { authorization: bearer(token), 'x-org': actor.companyId });
  });
});

// Each fault gets a Base of its own: the key set is fetched once and then cached.
describe.each<JwksFault>(['status-500', 'not-json', 'wrong-shape'])('Auth serves its key set broken (%s)', (fault) => {
  const base = useTestBase();

  test('a valid token is 503 ACCESS_UNAVAILABLE, not 401; once the key set is back, it is granted', async () => {
    const actor = await base.caller();
    base.auth.jwksFault = fault;
    await expectDeniedOnBoth(base, actor.headers, 503, 'ACCESS_UNAVAILABLE');
    expect(base.auth.jwksCalls).toBeGreaterThan(0);
    base.auth.jwksFault = null;
    await expectGrantedOnBoth(base, actor.headers);
  });
});
