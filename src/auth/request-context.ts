import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { BadRequestError, ForbiddenError, UnauthenticatedError } from '../shared/errors';
import { isUuid, type RequestOrigin } from '../db/tenant';
import { TenantScope } from '../db/tenant-scope';
import { LISTING_DEFAULTS, type ListingLimits } from '../db/keyset';
import { Permission, Requirement, requiredPermissions } from '../permissions/catalog';
import { Clock, systemClock } from '../shared/clock';
import type { AccessClient, Caller } from './access-client';
import type { TokenVerifier } from './token-verifier';

/**
 * Everything a request carries below the HTTP edge: who, for which company, with which
 * permissions, and the data access bound to that company. Built once per request.
 */
export class RequestContext {
  constructor(
    readonly requestId: string,
    readonly log: Logger,
    /** Null only for public requests (health, `_service`). */
    readonly grant: Caller | null,
    private readonly tenantScope: TenantScope | null,
  ) {}

  get isMember(): boolean {
    return this.grant !== null;
  }
  get userId(): string {
    return this.member().userId;
  }
  get companyId(): string {
    return this.member().companyId;
  }
  /** The company-bound data access; a public request has none. */
  get scope(): TenantScope {
    if (!this.tenantScope) throw new UnauthenticatedError('This operation needs a token and x-org');
    return this.tenantScope;
  }

  can(permission: Permission): boolean {
    return this.grant?.permissions.has(permission) ?? false;
  }

  /** True when the requirement holds; used by shield rules and REST routes alike. */
  satisfies(requirement: Requirement): boolean {
    if (requirement === 'public') return true;
    if (!this.grant) return false;
    return requiredPermissions(requirement).every((p) => this.can(p));
  }

  /** For services and reference resolvers that check a permission themselves. */
  require(requirement: Requirement): void {
    if (!this.satisfies(requirement)) {
      throw new ForbiddenError(`Missing permission ${requiredPermissions(requirement).join(', ') || 'membership'}`);
    }
  }

  private member(): Caller {
    if (!this.grant) throw new UnauthenticatedError('This operation needs a token and x-org');
    return this.grant;
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
  ) {}

  async build(headers: RequestHeaders, requestId: string, log: Logger, origin?: RequestOrigin): Promise<RequestContext> {
    const token = await this.verifier.verify(headers.authorization);
    const org = headers['x-org'];
    if (org === undefined || org === '') throw new BadRequestError('Missing x-org header (the active company id)');
    if (Array.isArray(org) || !isUuid(org.trim())) throw new BadRequestError('x-org must be a company UUID');
    const companyId = org.trim().toLowerCase();
    const grant = await this.access.resolve(token.raw, token.userId, companyId);
    const scope = new TenantScope(this.dataSource.manager, { companyId, userId: token.userId, origin }, null, this.listing, this.clock);
    return new RequestContext(requestId, log.child({ userId: token.userId, companyId }), grant, scope);
  }

  anonymous(requestId: string, log: Logger): RequestContext {
    return new RequestContext(requestId, log, null, null);
  }
}
