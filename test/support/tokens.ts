import { createPublicKey, randomBytes } from 'node:crypto';
import { generateKeyPair, JWK, SignJWT } from 'jose';
import { AUDIENCE, FakeAuth, ISSUER } from './fake-auth';

/**
 * Hand-crafted hostile tokens for the token cases of auth-contract.md §1: things the dev
 * TokenIssuer refuses to make (alg `none`, HMAC keyed with public material, foreign keys).
 */

const b64json = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowS = (): number => Math.floor(Date.now() / 1000);

/** The claims a valid token of FakeAuth carries, plus `extra`. */
export function validClaims(sub: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowS();
  return { sub, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 3600, ...extra };
}

/** `alg: none`: base64url header + payload + an empty signature, made by hand. */
export function unsignedToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return `${b64json({ alg: 'none', typ: 'JWT', ...header })}.${b64json(claims)}.`;
}

/** The RSA public JWK FakeAuth publishes in its JWKS. */
export function publishedRsaJwk(auth: FakeAuth): JWK {
  const jwk = auth.issuer.jwks().keys.find((k) => k.kty === 'RSA');
  if (!jwk) throw new Error('FakeAuth publishes no RSA key');
  return jwk;
}

/**
 * The classic key-confusion attack: HS256 keyed with the RSA *public* key material (the PEM text
 * or the raw modulus bytes), labelled with the published RSA kid.
 */
export async function hs256WithPublicKey(auth: FakeAuth, sub: string, material: 'pem' | 'modulus'): Promise<string> {
  const jwk = publishedRsaJwk(auth);
  const secret =
    material === 'pem'
      ? Buffer.from(
          createPublicKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' })
            .export({ type: 'spki', format: 'pem' })
            .toString(),
        )
      : Buffer.from(jwk.n!, 'base64url');
  return new SignJWT({ sub })
    .setProtectedHeader({ alg: 'HS256', kid: jwk.kid, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new Uint8Array(secret));
}

/** Signed by a key that is not in the JWKS, but labelled with a kid that is. */
export async function foreignKeyToken(auth: FakeAuth, sub: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<string> {
  const { privateKey } = await generateKeyPair(alg);
  return auth.token(sub, { alg, key: privateKey, kid: auth.issuer.kid(alg) });
}

/** A well-signed token (the real RS256 key) whose kid is published nowhere. */
export function unknownKidToken(auth: FakeAuth, sub: string): Promise<string> {
  return auth.token(sub, { kid: `unknown-${randomBytes(6).toString('hex')}` });
}

export const bearer = (token: string): string => `Bearer ${token}`;
