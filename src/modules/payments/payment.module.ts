import { Field, ObjectType } from 'type-graphql';
import { CurrencyAmount } from '../../core/amount';
import { CURRENCY_COUNT, MaxItems } from '../../core/list-size';
import type { FamilyModule } from '../../core/module';
import { hasMany } from '../../core/relations';
import { defineComputedRead } from '../../core/computed-reads';
import type { TenantScope } from '../../db/tenant-scope';
import { permission } from '../../permissions/catalog';
import { Agreement, agreementFamily } from '../agreements';
import { AgreementPayment, noticeOverdue, paymentFamily } from './payment.family';

/** CurrencyAmount's fields under the agreement's rule (a value type has one rule; the dashboard's CurrencyAmount keeps its own). */
@ObjectType('AgreementAmount', { description: 'An amount of an agreement\'s payments in one currency (never summed across currencies).' })
export class AgreementAmount extends CurrencyAmount {}

@ObjectType('AgreementBalanceDue', { description: "What an agreement's payment schedule still has to pay, per currency (never summed across currencies)." })
export class AgreementBalanceDue {
  @MaxItems(CURRENCY_COUNT)
  @Field(() => [AgreementAmount], { description: 'Σ unpaid payments (due or overdue), per currency.' })
  unpaid: CurrencyAmount[];
  @MaxItems(CURRENCY_COUNT)
  @Field(() => [AgreementAmount], { description: 'Σ overdue payments (unpaid past their dueAt), per currency; part of `unpaid`.' })
  overdue: CurrencyAmount[];
}

/** The unpaid and overdue sums of each agreement asked for, in SQL, per agreement and currency. */
async function balancesDue(agreements: readonly Agreement[], scope: TenantScope): Promise<AgreementBalanceDue[]> {
  const ids = agreements.map((a) => a.id);
  if (!ids.length) return [];
  const rows = await scope.repo(AgreementPayment).totals(
    (qb, a) => qb.andWhere(`${a}.agreementId IN (:...balanceAgreements) AND ${a}.status = 'due'`, { balanceAgreements: ids, balanceNow: scope.now() }),
    ['agreementId', 'currency'],
    {
      unpaid: (a) => `${a}.amount`,
      overdue: (a) => `CASE WHEN ${a}.due_at <= :balanceNow THEN ${a}.amount ELSE 0 END`,
    },
  );
  const of = (agreementId: string, which: 'unpaid' | 'overdue'): CurrencyAmount[] =>
    rows
      .filter((r) => r.agreementId === agreementId && r[which] > 0)
      .map((r) => ({ currency: r.currency, amount: r[which] }))
      .sort((x, y) => x.currency.localeCompare(y.currency));
  return agreements.map((a) => ({ unpaid: of(a.id, 'unpaid'), overdue: of(a.id, 'overdue') }));
}

export const paymentModule: FamilyModule<AgreementPayment> = {
  family: paymentFamily,
  // The creator of the agreement (who accepted the offer) hears once that a payment is overdue.
  notices: {
    'payment.due-date-passed': {
      title: 'A payment of your agreement is overdue',
      body: (e) => (typeof e.payload.dueAt === 'string' ? `It was due ${e.payload.dueAt}.` : null),
    },
  },
  relations: [
    hasMany({
      source: Agreement,
      field: 'payments',
      target: AgreementPayment,
      foreignKey: 'agreementId',
      requirement: permission('agreement', 'view'),
      order: (qb, a) => qb.orderBy(`${a}.dueAt`, 'ASC').addOrderBy(`${a}.id`, 'ASC'),
      description: 'Its payment schedule, by due time.',
    }),
  ],
  computedReads: [
    defineComputedRead<Agreement>({
      of: () => agreementFamily,
      name: 'balanceDue',
      type: AgreementBalanceDue,
      valueTypes: [AgreementAmount],
      requirement: permission('agreement', 'view'),
      description: 'What its payment schedule still has to pay (unpaid payments), per currency, and of it what is overdue.',
      read: (agreements, scope) => balancesDue(agreements, scope),
    }),
  ],
  sweeps: {
    'notice-overdue': {
      everyMs: 60_000,
      due: (now) => `status = 'due' AND due_at <= ${now} AND overdue_notified_at IS NULL`,
      run: (payment, scope) => noticeOverdue(payment, scope),
    },
  },
};
