import { ForbiddenError } from '../../shared/errors';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { CURRENCY_COUNT } from '../../core/list-size';
import { totalFromDatabase } from '../../shared/money';
import { filters } from '../../core/listing';
import type { TenantScope } from '../../db/tenant-scope';
import { eventFamily } from '../events';
import { ApprovalTotal, Expense, EXPENSE_CATEGORIES, EXPENSE_STATES, ExpenseCategoryEnum, ExpenseStatusEnum } from './expense.entity';

/** Who must hear about a decision on an expense: who submitted it. */
const submitter = async (expense: Expense) => ({ affects: expense.submittedBy ? [expense.submittedBy] : [] });

/** Nobody decides on an expense they submitted themselves. */
function notOwnSubmission(expense: Expense, tx: TenantScope, action: string): void {
  if (expense.submittedBy === tx.userId) throw new ForbiddenError(`You submitted this expense; someone else must ${action} it`);
}

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

export const expenseFamily = defineFamily({
  entity: Expense,
  resource: 'expense',
  singular: 'expense',
  plural: 'expenses',
  description: 'Expenses of an event, approved by someone other than who submitted them.',
  parent: { family: () => eventFamily as never, key: 'eventId' },
  fields: {
    category: f.enumOf(EXPENSE_CATEGORIES, ExpenseCategoryEnum).required(),
    vendorId: f.id().nullable().describe('The vendor paid, one of the company.'),
    description: f.text().required(),
    amount: f.money().required().describe('In minor units of `currency`.'),
    currency: f.currency().describe("ISO 4217 code (absent: the event's)."),
    dueAt: f.dateTime().nullable().describe('When it is to be paid.'),
  },
  filters: {
    q: filters.search(['description'], 'Text contained in the description'),
    category: filters.equals('category', f.enumOf(EXPENSE_CATEGORIES, ExpenseCategoryEnum), { description: 'Expenses of this category' }),
    status: filters.equals('status', f.enumOf(EXPENSE_STATES, ExpenseStatusEnum), { description: 'Expenses in this status' }),
  },
  order: (qb, a) => qb.orderBy(`${a}.description`, 'ASC'),
  readOnly: ['submittedBy', 'submittedAt', 'decidedBy', 'decidedAt', 'decisionNote'],
  userFields: { submittedBy: 'submitter', decidedBy: 'decider' },
  states: {
    field: 'status',
    states: EXPENSE_STATES,
    initial: 'draft',
    moves: [{ from: ['rejected'], to: 'draft', when: 'edited' }],
  },
  actions: {
    submit: {
      permission: 'edit',
      description: 'Ask for approval; from then on it cannot be edited unless rejected.',
      from: ['draft'],
      to: 'submitted',
      run: async (_expense, _input, tx) => ({
        submittedBy: tx.userId,
        submittedAt: tx.now(),
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
      }),
    },
    approve: {
      permission: 'approve',
      payload: submitter,
      description: 'Approve a submitted expense (not one you submitted).',
      from: ['submitted'],
      to: 'approved',
      async run(expense, _input, tx) {
        notOwnSubmission(expense, tx, 'approve');
        return { decidedBy: tx.userId, decidedAt: tx.now(), decisionNote: null };
      },
    },
    reject: {
      permission: 'approve',
      payload: submitter,
      description: 'Reject a submitted expense with a note saying why (not one you submitted); it can be edited again.',
      from: ['submitted'],
      to: 'rejected',
      input: { note: f.text().required().describe('Why it is rejected.') },
      async run(expense, input, tx) {
        notOwnSubmission(expense, tx, 'reject');
        return { decidedBy: tx.userId, decidedAt: tx.now(), decisionNote: input.note as string };
      },
    },
  },
  queries: {
    approvals: {
      permission: 'basic.approval.view',
      graphqlName: 'approvals',
      path: '/approvals',
      description: 'The approval queue: submitted expenses of every event, oldest submission first.',
      input: {},
      // REST rows name their event and vendor (GraphQL has Expense.event and Expense.vendor).
      embed: { event: ['id', 'name', 'startsAt'], vendor: ['id', 'name'] },
      summary: {
        name: 'totals',
        graphqlName: 'approvalTotals',
        description: 'The total amount waiting for approval per currency (REST: `meta.totals` of GET /api/approvals).',
        type: ApprovalTotal,
        maxItems: CURRENCY_COUNT,
        run: async (_input, scope) => (await approvalQueueState(scope)).totals,
      },
      page: (_input, scope, paging) =>
        scope.repo(Expense).page(paging, (qb, a) =>
          qb.andWhere(`${a}.status = 'submitted'`).orderBy(`${a}.submittedAt`, 'ASC').addOrderBy(`${a}.id`, 'ASC'),
        ),
    },
  },
});
