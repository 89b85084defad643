import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, type JSONWebKeySet, jwksCache, jwtVerify, JWTVerifyGetKey, type JWTHeaderParameters, type RemoteJWKSet } from 'jose';
import { LRUCache } from 'lru-cache';
import { Clock, systemClock } from '../shared/clock';
import { AccessUnavailableError, UnauthenticatedError } from '../shared/errors';

export interface VerifiedToken {
  /** The raw compact JWT, forwarded unchanged to Auth. */
  raw: string;
  userId: string;
  expiresAt: number;
}

export interface TokenVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** How long a JWKS is reused before it is fetched again. */
  jwksCacheMaxAgeMs?: number;
  /** Minimum time between two JWKS fetches triggered by an unknown `kid`. */
  jwksCooldownMs?: number;
  jwksTimeoutMs?: number;
  /** Verified tokens kept (by their hash) until they expire; 0 verifies every request again. */
  verifiedCacheMax?: number;
  /** The server's clock: what `exp`, `nbf` and `iat` are checked against, and the cache's expiries. */
  clock?: Clock;
}

/** A verification kept for the next requests with the same token, and the key it rests on. */
interface CachedVerification {
  token: VerifiedToken;
  /** The `kid` the token named (undefined: it named none, and rests on the whole set). */
  kid: string | undefined;
  /** The published keys it rests on (keysNamed), as they were when it was verified. */
  keys: string;
  /** The last fetched key set found still to hold those keys (skips the comparison until the next fetch). */
  checkedAgainst: JSONWebKeySet;
}

const ALGORITHMS = ['RS256', 'ES256'];
const CLOCK_TOLERANCE_S = 30;

/** The key set could not be had (timeout, HTTP error, not JSON, wrong shape): nothing is known about the token. */
class KeySetUnavailable extends Error {}

/** Failures of the key lookup that are the token's fault (its `kid` or `alg` matches no published key). */
const TOKEN_KEY_ERRORS = [joseErrors.JWKSNoMatchingKey, joseErrors.JWKSMultipleMatchingKeys, joseErrors.JOSEAlgNotAllowed];

/**
 * Verifies Auth's JWTs locally against its JWKS. jose's remote key set fetches lazily, caches,
 * refetches when an unknown `kid` arrives and applies the cool-down between such refetches.
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly remote: RemoteJWKSet;
  /** jose writes the key set it last fetched here (`jwks`, a new object per fetch): read, never written. */
  private readonly fetchedKeySet: { jwks?: JSONWebKeySet } = {};
  /**
   * A token's signature and claims do not change: once verified, the next requests with it skip the
   * signature check (a third of a small request's CPU). Keyed by the token's hash, bounded in size;
   * an entry counts until the token expires by the clock, and only while the key set it was verified
   * against is fresh and still publishes its key: a key Auth drops stops every token it signed as
   * soon as Base has fetched the new set, not at each token's `exp`. (The key set's own freshness is
   * jose's, on the machine's time: it bounds how long a fetched set is trusted, an outside call's cache.)
   */
  private readonly verified: LRUCache<string, CachedVerification> | null;
  private readonly clock: Clock;

  constructor(private readonly options: TokenVerifierOptions) {
    const max = options.verifiedCacheMax ?? 10_000;
    this.clock = options.clock ?? systemClock;
    this.verified = max > 0 ? new LRUCache<string, CachedVerification>({ max }) : null;
    const remote = createRemoteJWKSet(new URL(options.jwksUrl), {
      cacheMaxAge: options.jwksCacheMaxAgeMs ?? 10 * 60_000,
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      timeoutDuration: options.jwksTimeoutMs ?? 5_000,
      [jwksCache]: this.fetchedKeySet as Record<string, never>,
    });
    this.remote = remote;
    this.keys = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (err) {
        if (TOKEN_KEY_ERRORS.some((kind) => err instanceof kind)) throw err;
        throw new KeySetUnavailable(err instanceof Error ? err.message : String(err));
      }
    };
  }

  async verify(authorization: string | undefined): Promise<VerifiedToken> {
    if (!authorization) throw new UnauthenticatedError('Missing bearer token');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>"');
    const raw = match[1];
    const key = this.verified ? createHash('sha256').update(raw).digest('base64url') : '';
    const known = this.verified?.get(key);
    const now = this.clock.now();
    if (known) {
      if (known.token.expiresAt * 1000 > now.getTime() && this.stillPublished(known)) return known.token;
      this.verified?.delete(key);
    }
    try {
      const { payload, protectedHeader } = await jwtVerify(raw, this.keys, {
        algorithms: ALGORITHMS,
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: now,
        requiredClaims: ['sub', 'exp'],
      });
      if (typeof payload.sub !== 'string' || payload.sub.trim() === '') {
        throw new UnauthenticatedError('Token has no subject');
      }
      // jose checks `nbf` but not an `iat` from the future; such a token was not issued by a sane Auth.
      if (typeof payload.iat === 'number' && payload.iat > now.getTime() / 1000 + CLOCK_TOLERANCE_S) {
        throw new UnauthenticatedError('Token issued in the future');
      }
      const token = { raw, userId: payload.sub, expiresAt: payload.exp! };
      // Until `exp` exactly (jose accepted it within the clock tolerance; the cache does not extend that).
      if (token.expiresAt * 1000 > now.getTime()) this.remember(key, token, protectedHeader);
      return token;
    } catch (err) {
      if (err instanceof UnauthenticatedError) throw err;
      // The key set itself could not be had: nothing is known about the token, so fail closed.
      if (err instanceof KeySetUnavailable || err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid || !(err instanceof joseErrors.JOSEError)) {
        throw new AccessUnavailableError('Auth key set unavailable');
      }
      throw new UnauthenticatedError(describeJoseError(err));
    }
  }

  private remember(hash: string, token: VerifiedToken, header: JWTHeaderParameters): void {
    const set = this.fetchedKeySet.jwks;
    if (!this.verified || !set) return;
    const keys = keysNamed(set, header.kid);
    // A fetch that dropped the key may have landed while the signature was checked: keep nothing then.
    if (keys === '[]') return;
    this.verified.set(hash, { token, kid: header.kid, keys, checkedAgainst: set });
  }

  /**
   * Whether a cached verification still stands: the key set is within its max age (past it, the
   * token is verified again, which fetches the set) and the set last fetched still publishes the
   * token's key unchanged.
   */
  private stillPublished(entry: CachedVerification): boolean {
    const set = this.fetchedKeySet.jwks;
    if (!set || !this.remote.fresh) return false;
    if (entry.checkedAgainst === set) return true;
    if (keysNamed(set, entry.kid) !== entry.keys) return false;
    entry.checkedAgainst = set;
    return true;
  }
}

/** The keys of `set` a token naming `kid` may rest on (every key when it names none), as comparable text. */
function keysNamed(set: JSONWebKeySet, kid: string | undefined): string {
  return JSON.stringify(kid === undefined ? set.keys : set.keys.filter((k) => k.kid === kid));
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'Token expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `Token rejected: ${err.message}`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'Token algorithm not allowed';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'Token signed by an unknown key';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'Token signature invalid';
  return 'Token rejected';
}
