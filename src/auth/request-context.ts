import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { BadRequestError, UnauthenticatedError } from '../shared/errors';
import { isUuid, type RequestOrigin } from '../db/tenant';
import { TenantScope } from '../db/tenant-scope';
import { linkOwner, type SecretLinkKind } from '../db/secret-links';
import { LISTING_DEFAULTS, type ListingLimits } from '../db/keyset';
import type { Requirement } from '../permissions/catalog';
import type { Caller } from '../core/caller';
import type { Composition } from '../core/composition';
import { Clock, systemClock } from '../shared/clock';
import type { AccessClient } from './access-client';
import type { TokenVerifier } from './token-verifier';

/**
 * The per-request bag below the HTTP edge: the request's id and log, its caller (what Auth resolved:
 * user, company, permissions; none for a public request) and the data access bound to the caller's
 * company (which also holds the request's loaders). Built once per request.
 */
export class RequestContext {
  constructor(
    readonly requestId: string,
    readonly log: Logger,
    /** Null only for public requests (health, `_service`). */
    private readonly member: Caller | null,
    private readonly tenantScope: TenantScope | null,
    /** When the caller's token expires (seconds since the epoch, its `exp`); null for public requests. */
    readonly tokenExpiresAt: number | null = null,
  ) {}

  /** Whether a caller is known (a token and x-org were given and Auth granted them). */
  get isMember(): boolean {
    return this.member !== null;
  }
  /** The authenticated caller; a public request has none. */
  get caller(): Caller {
    if (!this.member) throw new UnauthenticatedError('This operation needs a token and x-org');
    return this.member;
  }
  /** The company-bound data access; a public request has none. */
  get scope(): TenantScope {
    if (!this.tenantScope) throw new UnauthenticatedError('This operation needs a token and x-org');
    return this.tenantScope;
  }

  /** Whether this request may do what needs `requirement`: anyone for `public`, else its caller's permissions. */
  allows(requirement: Requirement): boolean {
    return requirement === 'public' || (this.member?.satisfies(requirement) ?? false);
  }
}

export interface RequestHeaders {
  authorization?: string;
  'x-org'?: string | string[];
}

/**
 * The one request-context builder both surfaces use, in the contract's order:
 * token (401) → x-org (400) → effective access from Auth (503/401/403) → basic module (403).
 */
export class RequestContextBuilder {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly access: AccessClient,
    private readonly dataSource: DataSource,
    private readonly listing: ListingLimits = LISTING_DEFAULTS,
    /** The server's clock, for the request's scope. */
    private readonly clock: Clock = systemClock,
    /** The server's composition, which every request's scope carries. */
    private readonly composition: Composition | null = null,
  ) {}

  async build(headers: RequestHeaders, requestId: string, log: Logger, origin?: RequestOrigin): Promise<RequestContext> {
    const token = await this.verifier.verify(headers.authorization);
    const org = headers['x-org'];
    if (org === undefined || org === '') throw new BadRequestError('Missing x-org header (the active company id)');
    if (Array.isArray(org) || !isUuid(org.trim())) throw new BadRequestError('x-org must be a company UUID');
    const companyId = org.trim().toLowerCase();
    const caller = await this.access.resolve(token.raw, token.userId, companyId);
    const scope = new TenantScope(this.dataSource.manager, { companyId, userId: token.userId, origin }, null, this.listing, this.clock, this.composition);
    return new RequestContext(requestId, log.child({ userId: token.userId, companyId }), caller, scope, token.expiresAt);
  }

  /**
   * The scope of a secret link (src/db/secret-links.ts): its company, as its owner, with no grant
   * (what the link may show is its module's to check); null when no link has that secret.
   */
  async linkScope(kind: SecretLinkKind, hash: Buffer): Promise<TenantScope | null> {
    const owner = await linkOwner(this.dataSource.manager, kind, hash);
    return owner && new TenantScope(this.dataSource.manager, owner, null, this.listing, this.clock, this.composition);
  }

  anonymous(requestId: string, log: Logger): RequestContext {
    return new RequestContext(requestId, log, null, null);
  }
}
