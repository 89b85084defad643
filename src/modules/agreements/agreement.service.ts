import { ConflictError } from '../../shared/errors';
import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Agreement } from './agreement.entity';
import { agreementFamily } from './agreement.family';

/** A signed agreement is immutable. The record is locked first, so a concurrent sign cannot slip past. */
async function unsigned(tx: TenantScope, id: string, what: string): Promise<void> {
  const current = await tx.repo(Agreement).lock(id, 'Agreement');
  if (current.status === 'signed') throw new ConflictError(`Cannot ${what} a signed agreement`, [{ field: 'status', current: 'signed' }]);
}

class AgreementService extends FamilyService<Agreement> {
  protected override async prepareUpdate(tx: TenantScope, id: string, patch: Partial<Agreement>): Promise<Partial<Agreement>> {
    await unsigned(tx, id, 'edit');
    return patch;
  }

  protected override async beforeDelete(tx: TenantScope, agreement: Agreement): Promise<void> {
    await unsigned(tx, agreement.id, 'delete');
  }
}

export const agreementService = new AgreementService(agreementFamily);
