import { totalFromDatabase } from '../../core/money';
import type { TenantScope } from '../../db/tenant-scope';
import type { ApprovalTotal } from './expense.entity';

export interface ApprovalQueueState {
  /** Per currency, in currency order. */
  totals: ApprovalTotal[];
  /** When the longest-waiting expense was submitted. */
  oldestSubmittedAt: Date | null;
}

/**
 * What the approval queue amounts to, in one statement that reads a row per currency however long
 * the queue is: the database keeps the totals as expenses enter and leave the queue (the trigger on
 * `expenses`), and the oldest submission is the first entry of the queue's index.
 */
export async function approvalQueueState(scope: TenantScope): Promise<ApprovalQueueState> {
  const rows = await scope.read<{ currency: string; amount: string; count: number; oldest: Date | null }>(
    `SELECT t.currency, t.amount, t.count,
            (SELECT min(e.submitted_at) FROM expenses e WHERE e.company_id = $1 AND e.status = 'submitted') AS oldest
       FROM approval_queue_totals t
      WHERE t.company_id = $1 AND t.count > 0
      ORDER BY t.currency`,
    [scope.companyId],
  );
  return {
    totals: rows.map((row) => ({ currency: row.currency, amount: totalFromDatabase(row.amount, row.currency).amount, count: row.count })),
    oldestSubmittedAt: rows[0]?.oldest ?? null,
  };
}
