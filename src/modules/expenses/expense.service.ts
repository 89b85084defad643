import { ConflictError } from '../../shared/errors';
import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Event } from '../events';
import { EDITABLE_EXPENSE_STATES, Expense } from './expense.entity';
import { expenseFamily } from './expense.family';

function editable(expense: Expense, what: string): void {
  if (!EDITABLE_EXPENSE_STATES.includes(expense.status)) {
    throw new ConflictError(`An expense that is ${expense.status} cannot be ${what}; only draft or rejected ones can`, [
      { field: 'status', current: expense.status, allowedFrom: EDITABLE_EXPENSE_STATES },
    ]);
  }
}

class ExpenseService extends FamilyService<Expense> {
  /** A new expense is a draft in the event's currency unless another is named. */
  protected override async prepareCreate(tx: TenantScope, data: Partial<Expense>): Promise<Partial<Expense>> {
    const event = await tx.repo(Event).getById(data.eventId!, 'Event');
    return { ...data, currency: data.currency ?? event.currency, status: 'draft' };
  }

  /** Only draft or rejected expenses change; editing a rejected one makes it a draft again. */
  protected override async prepareUpdate(tx: TenantScope, id: string, patch: Partial<Expense>): Promise<Partial<Expense>> {
    // Locked, so a submit racing the edit is decided one way or the other.
    const current = await this.repo(tx).lock(id, 'Expense');
    editable(current, 'edited');
    return current.status === 'rejected' ? { ...patch, status: 'draft' } : patch;
  }

  protected override async beforeDelete(tx: TenantScope, record: Expense): Promise<void> {
    editable(await this.repo(tx).lock(record.id, 'Expense'), 'deleted');
  }
}

export const expenseService = new ExpenseService(expenseFamily);
