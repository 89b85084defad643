import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Company, companyFamily } from './company.family';

export const COMPANY_DEFAULTS = { currency: 'EUR', timezone: 'UTC' } as const;

/** The current company's metadata: made with defaults on first read, never of another company. */
export class CompanyService extends FamilyService<Company> {
  async current(scope: TenantScope): Promise<Company> {
    const repo = scope.repo(Company);
    const existing = await repo.findById(scope.companyId);
    if (existing) return existing;
    // Two first reads may race: the insert ignores the loser's conflict and both read the winner.
    await repo.insertIfAbsent({ id: scope.companyId, ...COMPANY_DEFAULTS } as Partial<Company>);
    return repo.getById(scope.companyId, 'Company');
  }

  /** Only the caller's x-org is there: any other company id is absent. */
  override async find(scope: TenantScope, id: string): Promise<Company | null> {
    return id.toLowerCase() === scope.companyId ? this.current(scope) : null;
  }

  override async update(scope: TenantScope, id: string, patch: Partial<Company>, version?: number): Promise<Company> {
    await this.get(scope, id);
    return super.update(scope, id, patch, version);
  }

  async currency(scope: TenantScope): Promise<string> {
    return (await this.current(scope)).currency;
  }
}

export const companyService = new CompanyService(companyFamily);
