import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Logger } from 'pino';
import {
  AccessUnavailableError,
  ForbiddenError,
  UnauthenticatedError,
} from '../shared/errors';
import { Caller } from '../core/caller';
import { fetchOutside } from '../core/outside-call';
import { Clock, systemClock } from '../shared/clock';
import { BASIC_MODULE } from '../permissions/catalog';

/** The 200 body of `GET {AUTH_URL}/v1/access/effective` (auth-contract.md §2). */
const effectiveAccessSchema = z.object({
  userId: z.string().min(1),
  companyId: z.string().min(1),
  membership: z.string().min(1),
  modules: z.array(z.string()),
  permissions: z.array(z.string()),
});

export interface AccessClientOptions {
  authUrl: string;
  timeoutMs: number;
  cacheTtlMs: number;
  logger: Logger;
  cacheMax?: number;
  /** The server's clock: a grant's `cacheTtlMs` is measured on it. */
  clock?: Clock;
  /** Metrics hooks (src/metrics): cache hits and misses, each call's outcome and latency. */
  metrics?: {
    cache(hit: boolean): void;
    call(outcome: 'granted' | 'unauthenticated' | 'forbidden' | 'unavailable', seconds: number): void;
  };
}

/**
 * Resolves a caller's effective access in a company from Auth. Grants are reused for at most
 * `cacheTtlMs` per (token, company); concurrent identical calls share one request; a denial or a
 * failure is never cached and never becomes a grant.
 */
export class AccessClient {
  /** Grants by (token, company) with the time, by the clock, until which each may be reused. */
  private readonly cache: LRUCache<string, { grant: Caller; until: number }> | null;
  private readonly inFlight = new Map<string, Promise<Caller>>();
  private readonly endpoint: string;
  private readonly clock: Clock;

  constructor(private readonly options: AccessClientOptions) {
    this.endpoint = new URL('v1/access/effective', options.authUrl.replace(/\/?$/, '/')).toString();
    this.clock = options.clock ?? systemClock;
    this.cache = options.cacheTtlMs > 0 ? new LRUCache({ max: options.cacheMax ?? 10_000 }) : null;
  }

  async resolve(token: string, userId: string, companyId: string): Promise<Caller> {
    const key = `${createHash('sha256').update(token).digest('base64url')}:${companyId.toLowerCase()}`;
    const cached = this.cached(key);
    this.options.metrics?.cache(Boolean(cached));
    if (cached) return cached;
    const pending = this.inFlight.get(key);
    if (pending) return pending;

    const call = this.fetchGrant(token, userId, companyId)
      .then((grant) => {
        // Reused for the TTL from when it arrived.
        this.cache?.set(key, { grant, until: this.clock.now().getTime() + this.options.cacheTtlMs });
        return grant;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  /** The grant kept for `key` while its TTL lasts by the clock; past it, none (and the entry goes). */
  private cached(key: string): Caller | undefined {
    const entry = this.cache?.get(key);
    if (!entry) return undefined;
    if (entry.until > this.clock.now().getTime()) return entry.grant;
    this.cache?.delete(key);
    return undefined;
  }

  private async fetchGrant(token: string, userId: string, companyId: string): Promise<Caller> {
    const metrics = this.options.metrics;
    if (!metrics) return this.callAuth(token, userId, companyId);
    // The call's latency, a metric: real time.
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const grant = await this.callAuth(token, userId, companyId);
      metrics.call('granted', seconds());
      return grant;
    } catch (err) {
      const outcome =
        err instanceof UnauthenticatedError ? 'unauthenticated' : err instanceof ForbiddenError ? 'forbidden' : 'unavailable';
      metrics.call(outcome, seconds());
      throw err;
    }
  }

  private async callAuth(token: string, userId: string, companyId: string): Promise<Caller> {
    const log = this.options.logger;
    let response: Response;
    let body: unknown;
    try {
      // A 3xx comes back unfollowed and is "any other status" (503).
      response = await fetchOutside(this.endpoint, {
        headers: { authorization: `Bearer ${token}`, 'x-org': companyId, accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      body = response.status === 200 ? await response.json() : undefined;
      if (response.status !== 200) await response.body?.cancel();
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'effective access call failed');
      throw new AccessUnavailableError('Access could not be resolved: Auth unavailable');
    }

    switch (response.status) {
      case 200:
        break;
      case 401:
        throw new UnauthenticatedError('Token rejected by Auth');
      case 403:
      case 404:
        throw new ForbiddenError('Not a member of this company');
      default:
        log.warn({ status: response.status }, 'effective access call answered an unexpected status');
        throw new AccessUnavailableError('Access could not be resolved: Auth answered unexpectedly');
    }

    const parsed = effectiveAccessSchema.safeParse(body);
    if (!parsed.success) {
      log.error({ issues: parsed.error.issues.length }, 'effective access body does not match the contract');
      throw new AccessUnavailableError('Access could not be resolved: malformed answer from Auth');
    }
    const access = parsed.data;
    if (access.companyId.toLowerCase() !== companyId.toLowerCase() || access.userId !== userId) {
      log.error(
        { sentCompany: companyId, gotCompany: access.companyId, userMatches: access.userId === userId },
        'effective access answer is inconsistent with the request',
      );
      throw new AccessUnavailableError('Access could not be resolved: inconsistent answer from Auth');
    }
    if (access.membership !== 'active') {
      throw new ForbiddenError(`Membership is ${access.membership}`);
    }
    if (!access.modules.includes(BASIC_MODULE)) {
      throw new ForbiddenError('The basic module is not enabled for this company');
    }
    return new Caller(userId, companyId, new Set(access.permissions));
  }
}
