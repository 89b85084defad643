import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Event } from '../events';
import { Income } from './income.entity';
import { incomeFamily } from './income.family';

class IncomeService extends FamilyService<Income> {
  /** Income is in the event's currency unless another is named. */
  protected override async prepareCreate(tx: TenantScope, data: Partial<Income>): Promise<Partial<Income>> {
    const event = await tx.repo(Event).getById(data.eventId!, 'Event');
    return { ...data, currency: data.currency ?? event.currency };
  }
}

export const incomeService = new IncomeService(incomeFamily);
