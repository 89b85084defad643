import { NotFoundError } from '../../core/errors';
import type { TenantScope } from '../../db/tenant-scope';
import { Company } from './company.entity';

export const COMPANY_DEFAULTS = { currency: 'EUR', timezone: 'UTC' } as const;

/** The current company's metadata: made with defaults on first read, never of another company. */
export class CompanyService {
  async current(scope: TenantScope): Promise<Company> {
    const repo = scope.repo(Company);
    const existing = await repo.findById(scope.companyId);
    if (existing) return existing;
    // Two first reads may race: the insert ignores the loser's conflict and both read the winner.
    await repo.insertIfAbsent({ id: scope.companyId, ...COMPANY_DEFAULTS } as Partial<Company>);
    return repo.getById(scope.companyId, 'Company');
  }

  /** `id` must be the caller's x-org: any other company is absent. */
  async byId(scope: TenantScope, id: string): Promise<Company> {
    if (id.toLowerCase() !== scope.companyId) throw new NotFoundError('Company');
    return this.current(scope);
  }

  async update(scope: TenantScope, patch: Partial<Company>, version?: number): Promise<Company> {
    await this.current(scope);
    return scope.repo(Company).update(scope.companyId, patch, version);
  }

  async currency(scope: TenantScope): Promise<string> {
    return (await this.current(scope)).currency;
  }
}

export const companyService = new CompanyService();
