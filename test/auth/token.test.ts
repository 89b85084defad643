import { randomBytes } from 'node:crypto';
import type { Caller } from '../support/harness';
import { useTestBase } from '../support/harness';
import { expectGqlRequestError, expectRestError } from '../support/assertions';
import { callBoth, expectDeniedOnBoth, expectGrantedOnBoth } from '../support/surfaces';
import {
  bearer,
  foreignKeyToken,
  hs256WithPublicKey,
  publishedRsaJwk,
  unknownKidToken,
  unsignedToken,
  validClaims,
} from '../support/tokens';

/**
 * auth-contract.md §1, the token: verified locally against Auth's JWKS, RS256/ES256 only, `sub`,
 * `iss`, `aud`, `exp` required, 30 s of clock tolerance. Every rejection is a 401 UNAUTHENTICATED
 * on both surfaces, and Auth's effective-access endpoint is never consulted for a token Base
 * itself rejects.
 */
const base = useTestBase();
let actor: Caller;

const withToken = (token: string, org = actor.companyId) => ({ authorization: bearer(token), 'x-org': org });

/** 401 UNAUTHENTICATED on both surfaces, and no effective-access call to Auth. */
async function expectRejectedLocally(headers: Record<string, string>): Promise<void> {
  const before = base.auth.calls;
  await expectDeniedOnBoth(base, headers, 401, 'UNAUTHENTICATED');
  expect(base.auth.calls - before).toBe(0);
}

// First, on a cold Base (the JWKS not fetched yet): a flood of unknown kids must not hammer Auth.
describe('unknown kid refresh has a cool-down', () => {
  test('20 concurrent tokens with random unknown kids cause at most 2 JWKS fetches, all 401', async () => {
    actor = await base.caller();
    base.auth.reset();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => unknownKidToken(base.auth, actor.userId)));
    const answers = await Promise.all(tokens.map((t) => base.rest('GET', '/api/agencies', { headers: withToken(t) })));
    for (const a of answers) expectRestError(a, 401, 'UNAUTHENTICATED');
    expect(base.auth.jwksCalls).toBeGreaterThanOrEqual(1); // fetched lazily, on first need
    expect(base.auth.jwksCalls).toBeLessThanOrEqual(2);
    expect(base.auth.calls).toBe(0);

    // 20 more, one after the other (REST and GraphQL alternately): still within the cool-down.
    for (let i = 0; i < 20; i++) {
      const headers = withToken(await unknownKidToken(base.auth, actor.userId));
      const answer = i % 2 ? await base.gql('{ agencies { total } }', undefined, { headers }) : await base.rest('GET', '/api/agencies', { headers });
      expect(answer.status).toBe(401);
    }
    expect(base.auth.jwksCalls).toBeLessThanOrEqual(2);
    expect(base.auth.calls).toBe(0);
  });
});

describe('the token is required and verified locally (401 UNAUTHENTICATED)', () => {
  beforeAll(async () => {
    actor = await base.caller();
  });

  test('a valid RS256 token with x-org works (the control case)', async () => {
    await expectGrantedOnBoth(base, actor.headers);
  });

  test('a valid ES256 token works (allow-list RS256 + ES256)', async () => {
    await expectGrantedOnBoth(base, withToken(await base.auth.token(actor.userId, { alg: 'ES256' })));
  });

  test('an aud array containing kisum-base is accepted', async () => {
    const token = await base.auth.token(actor.userId, { audience: ['other-service', 'kisum-base'] });
    await expectGrantedOnBoth(base, withToken(token));
  });

  test('missing Authorization', async () => {
    await expectRejectedLocally({ 'x-org': actor.companyId });
  });

  test.each([
    ['a raw token without scheme', (t: string) => t],
    ['Basic scheme', (t: string) => `Basic ${t}`],
    ['Token scheme', (t: string) => `Token ${t}`],
    ['"Bearer" alone', () => 'Bearer'],
    ['"Bearer " with nothing after', () => 'Bearer '],
    ['two tokens', (t: string) => `Bearer ${t} ${t}`],
  ])('Authorization that is not "Bearer <token>": %s', async (_label, make) => {
    await expectRejectedLocally({ authorization: make(actor.token), 'x-org': actor.companyId });
  });

  test.each([
    ['garbage', 'garbage'],
    ['three garbage segments', 'aaa.bbb.ccc'],
    ['random bytes', randomBytes(48).toString('base64url')],
  ])('a garbage token: %s', async (_label, token) => {
    await expectRejectedLocally(withToken(token));
  });

  test('a token tampered with after signing (payload swapped) is rejected', async () => {
    const [h, , s] = actor.token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify(validClaims('someone-else'))).toString('base64url')}.${s}`;
    await expectRejectedLocally(withToken(forged));
  });

  test('expired beyond the 30 s tolerance (60 s ago)', async () => {
    await expectRejectedLocally(withToken(await base.auth.token(actor.userId, { expiresIn: -60 })));
  });

  test('expired only 10 s ago is still ACCEPTED (clock tolerance)', async () => {
    await expectGrantedOnBoth(base, withToken(await base.auth.token(actor.userId, { expiresIn: -10 })));
  });

  test('not yet valid: nbf 120 s in the future', async () => {
    await expectRejectedLocally(withToken(await base.auth.token(actor.userId, { notBefore: 120 })));
  });

  test('nbf 10 s in the future is within the tolerance and accepted', async () => {
    await expectGrantedOnBoth(base, withToken(await base.auth.token(actor.userId, { notBefore: 10 })));
  });

  test('wrong iss', async () => {
    await expectRejectedLocally(withToken(await base.auth.token(actor.userId, { issuer: 'evil-auth' })));
  });

  test('wrong aud', async () => {
    await expectRejectedLocally(withToken(await base.auth.token(actor.userId, { audience: 'kisum-other' })));
  });

  test('signed by a foreign RS256 key that claims a published kid', async () => {
    await expectRejectedLocally(withToken(await foreignKeyToken(base.auth, actor.userId, 'RS256')));
  });

  test('signed by a foreign ES256 key that claims a published kid', async () => {
    await expectRejectedLocally(withToken(await foreignKeyToken(base.auth, actor.userId, 'ES256')));
  });

  test('alg none (hand-made, empty signature)', async () => {
    await expectRejectedLocally(withToken(unsignedToken(validClaims(actor.userId))));
    // …also when it names a published kid.
    const kid = publishedRsaJwk(base.auth).kid;
    await expectRejectedLocally(withToken(unsignedToken(validClaims(actor.userId), { kid })));
  });

  test('HS256 keyed with the RSA public key PEM text', async () => {
    await expectRejectedLocally(withToken(await hs256WithPublicKey(base.auth, actor.userId, 'pem')));
  });

  test('HS256 keyed with the RSA public modulus bytes (n)', async () => {
    await expectRejectedLocally(withToken(await hs256WithPublicKey(base.auth, actor.userId, 'modulus')));
  });

  test('a well-signed token with an unknown kid', async () => {
    await expectRejectedLocally(withToken(await unknownKidToken(base.auth, actor.userId)));
  });

  test('no sub', async () => {
    await expectRejectedLocally(withToken(await base.auth.token(undefined)));
  });

  test('empty-string sub', async () => {
    await expectRejectedLocally(withToken(await base.auth.token('')));
  });

  test('whitespace-only sub', async () => {
    await expectRejectedLocally(withToken(await base.auth.token('   ')));
  });

  test('a non-string sub', async () => {
    await expectRejectedLocally(withToken(await base.auth.token(undefined, {}, { sub: 12345 })));
  });

  test('no exp', async () => {
    await expectRejectedLocally(withToken(await base.auth.token(actor.userId, { omitExp: true })));
  });

  test('the token is verified on every request: a grant cached for it does not outlive its expiry', async () => {
    // Accepted until exp + the 30 s tolerance, by the Base's clock (Auth's too); grants are kept 10 s.
    const token = await base.auth.token(actor.userId, { expiresIn: 60 });
    const headers = withToken(token);
    await expectGrantedOnBoth(base, headers); // the verification and the grant are now cached
    base.clock.advance(85_000); // past exp, 5 s inside the tolerance
    await expectGrantedOnBoth(base, headers); // verified again (the cached verification ended at exp); a fresh grant cached
    base.clock.advance(5_000); // past the tolerance, while that grant still stands
    const before = base.auth.calls;
    await expectDeniedOnBoth(base, headers, 401, 'UNAUTHENTICATED');
    expect(base.auth.calls - before).toBe(0);
  });

  test('token checks come before everything: a rejected token with an x-org of another company is still 401', async () => {
    const { rest, gql } = await callBoth(base, withToken(await base.auth.token(actor.userId, { expiresIn: -3600 }), base.companyB));
    expectRestError(rest, 401, 'UNAUTHENTICATED');
    expectGqlRequestError(gql, 401, 'UNAUTHENTICATED');
  });
});
