import { ForbiddenError } from '../shared/errors';
import { type Permission, type Requirement, requiredPermissions } from '../permissions/catalog';

/**
 * The authenticated caller of a request: what Auth resolved for its token in its active company — the
 * user, the company and the effective permissions there. One per request (`RequestContext.caller`); a
 * procedure, an upload or a helper that answers differently by who asks receives it.
 */
export class Caller {
  constructor(
    readonly userId: string,
    readonly companyId: string,
    readonly permissions: ReadonlySet<string>,
  ) {}

  can(permission: Permission): boolean {
    return this.permissions.has(permission);
  }

  /** True when the requirement holds; used by shield rules, REST routes and procedures' parts alike. */
  satisfies(requirement: Requirement): boolean {
    return requirement === 'public' || requiredPermissions(requirement).every((p) => this.can(p));
  }

  /** For services and reference resolvers that check a permission themselves. */
  require(requirement: Requirement): void {
    if (!this.satisfies(requirement)) {
      throw new ForbiddenError(`Missing permission ${requiredPermissions(requirement).join(', ') || 'membership'}`);
    }
  }
}
