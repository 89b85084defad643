import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, JWK, JWTPayload, SignJWT } from 'jose';

/**
 * DEV/TEST ONLY. Signs JWTs the way Auth does (RS256 and ES256 keys, published as a JWKS), so the
 * dev default and the test suite exercise Base's real verification path. Never used in production.
 */
export type SigningAlg = 'RS256' | 'ES256';

interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface MintOptions {
  alg?: SigningAlg;
  /** Seconds from now; negative for an already expired token. */
  expiresIn?: number;
  notBefore?: number;
  /** Seconds from now for `iat` (positive: a token from the future). */
  issuedAt?: number;
  issuer?: string;
  audience?: string | string[];
  /** Sign with this kid's key but label it differently, or use an unpublished key. */
  kid?: string;
  key?: CryptoKey;
  omitExp?: boolean;
  /** The issuer's now (`iat`, `exp` and `nbf` count from it): the machine's time unless given. */
  now?: Date;
}

export class TokenIssuer {
  private constructor(
    private readonly keys: SigningKey[],
    readonly issuer: string,
    readonly audience: string,
  ) {}

  /** Fresh keys, or the ones kept in `keyFile` so dev tokens survive a restart. */
  static async create(issuer: string, audience: string, keyFile?: string): Promise<TokenIssuer> {
    if (keyFile && existsSync(keyFile)) {
      const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as { kid: string; alg: SigningAlg; jwk: JWK }[];
      const keys = await Promise.all(stored.map(async (k) => toKey(k.kid, k.alg, k.jwk)));
      return new TokenIssuer(keys, issuer, audience);
    }
    const generated = await Promise.all(
      (['RS256', 'ES256'] as const).map(async (alg, i) => {
        const { privateKey } = await generateKeyPair(alg, { extractable: true });
        return { kid: `dev-${alg.toLowerCase()}-${Date.now().toString(36)}-${i}`, alg, jwk: await exportJWK(privateKey) };
      }),
    );
    if (keyFile) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, JSON.stringify(generated), { mode: 0o600 });
    }
    return new TokenIssuer(await Promise.all(generated.map((k) => toKey(k.kid, k.alg, k.jwk))), issuer, audience);
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  kid(alg: SigningAlg = 'RS256'): string {
    return this.key(alg).kid;
  }

  async mint(claims: JWTPayload, options: MintOptions = {}): Promise<string> {
    const key = this.key(options.alg ?? 'RS256');
    const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const jwt = new SignJWT({ ...claims })
      .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? this.audience)
      .setIssuedAt(now + (options.issuedAt ?? 0));
    if (!options.omitExp) jwt.setExpirationTime(now + (options.expiresIn ?? 3600));
    if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(options.key ?? key.privateKey);
  }

  private key(alg: SigningAlg): SigningKey {
    return this.keys.find((k) => k.alg === alg)!;
  }
}

async function toKey(kid: string, alg: SigningAlg, jwk: JWK): Promise<SigningKey> {
  const privateKey = (await importJWK(jwk, alg)) as CryptoKey;
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  return { kid, alg, privateKey, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } };
}
