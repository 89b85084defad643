import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { ConflictError, ForbiddenError } from '../../shared/errors';
import { graphqlEnum } from '../../core/enums';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { CURRENCY_COUNT } from '../../core/list-size';
import { money, percentOf, totalFromDatabase } from '../../shared/money';
import { filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
import { serviceOf } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Event, eventFamily } from '../events';
import { Vendor } from '../vendors';

export const EXPENSE_CATEGORIES = ['artist_fee', 'production', 'venue', 'marketing', 'hospitality', 'travel', 'staff', 'other'] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];
export const ExpenseCategoryEnum = graphqlEnum('ExpenseCategory', EXPENSE_CATEGORIES, 'What money of an event went to.');

export const EXPENSE_STATES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type ExpenseState = (typeof EXPENSE_STATES)[number];
export const ExpenseStatusEnum = graphqlEnum('ExpenseStatus', EXPENSE_STATES, 'Where an expense is in its approval.');
/** The states in which an expense may still be edited or deleted. */
export const EDITABLE_EXPENSE_STATES: readonly ExpenseState[] = ['draft', 'rejected'];

export const Expense = defineRecord({
  name: 'Expense',
  table: 'expenses',
  description: 'Money an event spends, approved by someone other than who submitted it.',
  fields: {
    eventId: f
      .id()
      .readOnly()
      .references(() => Event)
      .describe('The event this expense belongs to (from the path it was created under).'),
    category: f
      .enumOf(EXPENSE_CATEGORIES, ExpenseCategoryEnum)
      .required()
      .describe("What the money goes to; `artist_fee` is left out of the settlement's expenses (the deals pay the artists)."),
    vendorId: f
      .id()
      .nullable()
      .references(() => Vendor)
      .describe('The vendor paid, one of the company; null when none is named.'),
    description: f.text().required().describe('What the money is for, in words (at most 200 characters).'),
    amount: f.money().required().checked().describe('How much is spent, in minor units of `currency` (not negative).'),
    vatRate: f
      .int(0, 10_000)
      .checked('$ BETWEEN 0 AND 10000', '$_range')
      .defaultTo(0)
      .describe('The VAT rate on `amount`, in basis points 0–10000 (1900 = 19 %); 0 when not given.'),
    vat: f
      .money()
      .readOnly()
      .defaultTo(0)
      .describe('amount × vatRate, rounded half-up to the minor unit: the VAT on top of `amount`, in minor units of `currency` (computed on every write).'),
    currency: f.currency().describe("ISO-4217 code of `amount` (`EUR`); the event's when not given on create."),
    dueAt: f.dateTime().nullable().describe('When it is to be paid; null when not said.'),
    status: f
      .enumOf(EXPENSE_STATES, ExpenseStatusEnum)
      .readOnly()
      .describe('Where it is in its approval: `draft` when created, moved by its actions (submit, approve, reject); editing a rejected one makes it a draft again.'),
    submittedBy: f
      .text()
      .nullable()
      .readOnly()
      .describe('Who submitted it for approval (an Auth user id, set by `submit`); null until it is submitted.'),
    submittedAt: f
      .dateTime()
      .nullable()
      .readOnly()
      .describe('When it was last submitted (set by `submit`); the approval queue is in this order. Null until it is submitted.'),
    decidedBy: f
      .text()
      .nullable()
      .readOnly()
      .describe('Who approved or rejected it (an Auth user id, never its submitter); null until decided, and again once resubmitted.'),
    decidedAt: f
      .dateTime()
      .nullable()
      .readOnly()
      .describe('When it was approved or rejected; null until decided, and again once resubmitted.'),
    decisionNote: f
      .text()
      .nullable()
      .readOnly()
      .describe('Why it was rejected (the note `reject` requires); null otherwise.'),
  },
  // The VAT is the rate of the amount, half-up (non-negative amounts): the database holds every write to it.
  checks: { ck__expenses__vat_of_rate: 'vat = (amount * vat_rate + 5000) / 10000' },
  indexes: [
    // Partial: the vendor's expenses and the approval queue (the migration's alone).
    'ix__expenses__vendor',
    'ix__expenses__queue',
    // A list's order and filters (migrations/1764001960000-ListIndexes.ts).
    'ix__expenses__list',
  ],
});
export type Expense = RecordOf<typeof Expense>;

/** What the approval queue holds in one currency. */
@ObjectType('ApprovalTotal', { description: 'The amount waiting for approval in one currency (never summed across currencies).' })
export class ApprovalTotal {
  @Field({ description: 'ISO-4217 code (`EUR`) of `amount`.' })
  currency: string;
  @Field(() => GraphQLSafeInt, { description: 'Σ amounts of the submitted expenses in this currency, minor units.' })
  amount: number;
  @Field(() => Int, { description: 'How many submitted expenses are in this currency.' })
  count: number;
}

/**
 * The VAT on an amount: a computed field stored with the expense (not computed at read), so the
 * settlement sums it in SQL like the amount, and a settled statement counts what the row said.
 */
const vatOf = (amount: number, vatRate: number): number => percentOf(money(amount, 'XXX'), vatRate).amount;

/** Who must hear about a decision on an expense: who submitted it. */
const submitter = async (expense: Expense) => ({ affects: expense.submittedBy ? [expense.submittedBy] : [] });

function editable(expense: Expense, what: string): void {
  if (!EDITABLE_EXPENSE_STATES.includes(expense.status)) {
    throw new ConflictError(`An expense that is ${expense.status} cannot be ${what}; only draft or rejected ones can`, [
      { field: 'status', current: expense.status, allowedFrom: EDITABLE_EXPENSE_STATES },
    ]);
  }
}

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
  filters: {
    q: filters.search(['description'], 'Text contained in the description'),
    category: filters.equals('category', f.enumOf(EXPENSE_CATEGORIES, ExpenseCategoryEnum), { description: 'Expenses of this category' }),
    status: filters.equals('status', f.enumOf(EXPENSE_STATES, ExpenseStatusEnum), { description: 'Expenses in this status' }),
  },
  order: (qb, a) => qb.orderBy(`${a}.description`, 'ASC'),
  readOnly: ['vat', 'submittedBy', 'submittedAt', 'decidedBy', 'decidedAt', 'decisionNote'],
  userFields: { submittedBy: 'submitter', decidedBy: 'decider' },
  hooks: {
    /** A new expense (a draft: the machine's initial state) is in the event's currency unless another is named. */
    prepareCreate: async (tx, data) => {
      const event = await tx.repo(Event).getById(data.eventId!, 'Event');
      return { ...data, currency: data.currency ?? event.currency, vat: vatOf(data.amount!, data.vatRate ?? 0) };
    },
    /** Only draft or rejected expenses change; editing a rejected one makes it a draft again. */
    prepareUpdate: async (tx, id, patch) => {
      // Locked, so a submit racing the edit is decided one way or the other.
      const current = await tx.repo(Expense).lock(id, 'Expense');
      editable(current, 'edited');
      const priced = { ...patch, vat: vatOf(patch.amount ?? current.amount, patch.vatRate ?? current.vatRate) };
      return current.status === 'rejected' ? { ...priced, status: 'draft' as const } : priced;
    },
    beforeDelete: async (tx, record) => {
      editable(await tx.repo(Expense).lock(record.id, 'Expense'), 'deleted');
    },
  },
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

export const expenseService = serviceOf(expenseFamily);
