import { graphqlEnum } from '../../core/enums';
import { recordEvent } from '../../core/events';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { defineRecord, type RecordOf } from '../../core/record';
import { serviceOf } from '../../core/service';
import { NOW_PARAMETER } from '../../db/tenant-repository';
import type { TenantScope } from '../../db/tenant-scope';
import { Agreement, agreementFamily, lockUnsigned } from '../agreements';

export const PAYMENT_KINDS = ['deposit', 'balance', 'other'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];
export const PaymentKindEnum = graphqlEnum('PaymentKind', PAYMENT_KINDS, 'What a scheduled payment of an agreement is: the deposit, the balance, or another.');

/** `due` and `paid` are stored; `overdue` is how a due payment past its dueAt reads. */
export const PAYMENT_STATES = ['due', 'overdue', 'paid'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];
export const PaymentStateEnum = graphqlEnum('PaymentStatus', PAYMENT_STATES, 'Where a scheduled payment stands: due, overdue (due and past its dueAt) or paid.');

/** A payment's status as of `now` (SQL over the row aliased `x`). */
export const paymentStatusNowSql = (x: string, now = NOW_PARAMETER): string =>
  `(CASE WHEN ${x}.status = 'due' AND ${x}.due_at <= ${now} THEN 'overdue' ELSE ${x}.status END)`;

export const AgreementPayment = defineRecord({
  name: 'AgreementPayment',
  table: 'agreement_payments',
  description: "One payment of an agreement's schedule: what is to be paid to the artist, when, and whether it was.",
  fields: {
    agreementId: f
      .id()
      .readOnly()
      .references(() => Agreement)
      .describe('The agreement it is a payment of (from the path it was created under).'),
    kind: f.enumOf(PAYMENT_KINDS, PaymentKindEnum).required().describe('What the payment is: the deposit, the balance, or another.'),
    amount: f.money().required().checked().describe('How much is to be paid, in minor units of `currency` (not negative).'),
    currency: f.currency().describe("ISO-4217 code of `amount` (`EUR`); the agreement's when not given on create."),
    dueAt: f.dateTime().required().describe('When it is to be paid; unpaid past it, the payment reads overdue.'),
    reference: f.text().nullable().describe('The bank or invoice reference of the payment (at most 200 characters); null when none.'),
    status: f
      .enumOf(PAYMENT_STATES, PaymentStateEnum)
      .readOnly()
      .asOfNow((x) => paymentStatusNowSql(x))
      .describe('Where it stands: due when scheduled, paid once marked paid (`mark-paid`); a due payment past its dueAt reads overdue at once.'),
    paidAt: f.dateTime().nullable().readOnly().describe('When it was paid (set by `mark-paid`); null exactly while it is not paid.'),
    overdueNotifiedAt: f
      .dateTime()
      .nullable()
      .readOnly()
      .describe("When the agreement's creator was told it is overdue (once: the event `payment.due-date-passed`); null until then."),
  },
  checks: { ck__agreement_payments__paid_at: "(status = 'paid') = (paid_at IS NOT NULL)" },
  indexes: [
    // A list's order: an agreement's payments by due time.
    'ix__agreement_payments__list',
    // The dashboard's payments due, per company by due time (partial: the migration's alone).
    'ix__agreement_payments__due',
    // The overdue sweep, across companies (partial: the migration's alone).
    'ix__agreement_payments__overdue_unnotified',
  ],
});
export type AgreementPayment = RecordOf<typeof AgreementPayment>;

/** The schedule is part of the terms: it changes only while its agreement is unsigned (locked first, as sign locks it). */
const unsignedAgreement = (tx: TenantScope, agreementId: string, what: string): Promise<Agreement> =>
  lockUnsigned(tx, agreementId, `Cannot ${what} a payment of a signed agreement; it can only be marked paid`);

export const paymentFamily = defineFamily({
  entity: AgreementPayment,
  resource: 'agreement',
  singular: 'payment',
  plural: 'payments',
  description: "The payment schedule of an agreement: editable until it is signed, then only marked paid.",
  parent: { family: () => agreementFamily as never, key: 'agreementId' },
  // The schedule is part of the agreement: written under basic.agreement.edit, read under its view.
  operationActions: { create: 'edit', update: 'edit', delete: 'edit' },
  filters: {},
  order: (qb, a) => qb.orderBy(`${a}.dueAt`, 'ASC'),
  states: {
    field: 'status',
    states: PAYMENT_STATES,
    initial: 'due',
    moves: [{ from: ['due'], to: 'overdue', when: 'dueAt passed unpaid, read so and never written' }],
  },
  hooks: {
    prepareCreate: async (tx, data) => {
      const agreement = await unsignedAgreement(tx, data.agreementId!, 'add');
      const currency = typeof agreement.terms.currency === 'string' ? agreement.terms.currency : undefined;
      return { ...data, currency: data.currency ?? currency };
    },
    prepareUpdate: async (tx, id, patch) => {
      const payment = await tx.repo(AgreementPayment).getById(id, 'AgreementPayment');
      await unsignedAgreement(tx, payment.agreementId, 'change');
      return patch;
    },
    beforeDelete: async (tx, payment) => void (await unsignedAgreement(tx, payment.agreementId, 'delete')),
  },
  events: { 'due-date-passed': 'A due payment passed its dueAt unpaid: told once to the creator of its agreement.' },
  actions: {
    markPaid: {
      event: 'paid',
      permission: 'edit',
      description: 'Record that the payment was made, when and under which reference (also once the agreement is signed).',
      from: ['due', 'overdue'],
      to: 'paid',
      input: {
        paidAt: f.dateTime().required().describe('When it was paid.'),
        reference: f.text().nullable().describe('The bank or invoice reference (at most 200 characters); the one stored is kept when not given.'),
      },
      run: async (_payment, input) => ({
        paidAt: input.paidAt as Date,
        ...(input.reference !== undefined ? { reference: input.reference as string | null } : {}),
      }),
    },
  },
});

export const paymentService = serviceOf(paymentFamily);

/**
 * Tell the agreement's creator once that a payment is overdue: the payment is locked and read again
 * (paid meanwhile, or told by a concurrent sweep, it is left alone), then marked told in the same
 * transaction as the event, so the notice is recorded exactly once.
 */
export async function noticeOverdue(payment: AgreementPayment, scope: TenantScope): Promise<void> {
  await scope.transaction(async (tx) => {
    const current = await tx.repo(AgreementPayment).lock(payment.id, 'AgreementPayment');
    if (current.paidAt || current.overdueNotifiedAt || current.dueAt.getTime() > tx.now().getTime()) return;
    const agreement = await tx.repo(Agreement).getById(current.agreementId, 'Agreement');
    const row = await tx.repo(AgreementPayment).update(current.id, { overdueNotifiedAt: tx.now() });
    await recordEvent(tx, {
      type: 'payment.due-date-passed',
      entityType: 'AgreementPayment',
      entityId: current.id,
      version: row.version,
      payload: { agreementId: agreement.id, amount: current.amount, currency: current.currency, dueAt: current.dueAt.toISOString(), affects: [agreement.createdBy] },
    });
  });
}
