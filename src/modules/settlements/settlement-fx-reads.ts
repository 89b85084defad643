import type { TenantScope } from '../../db/tenant-scope';
import { calendarDayIn } from '../../shared/clock';
import type { Event } from '../events';
import { Expense } from '../expenses';
import { latestRate } from '../fx-rates';
import { Income } from '../incomes';
import { CONVERTED_RECORDS_MAX, type ConvertedFigures, type ForeignAmount, type RateUsed, settleConverted } from './settlement-fx';
import type { SettlementInput } from './settlement-math';

/**
 * The settlement of one event with what the company's exchange rates convert: the latest rate of
 * each other currency it holds into its own, on or before the day of the show (in the company's time
 * zone), then the income and approved expenses in those currencies record by record. Tickets are
 * always in the event's currency (a tier in another is refused). An event with more records in other
 * currencies than one statement lists keeps them all apart, unconverted.
 */
export async function settleAcrossCurrencies(event: Event, input: SettlementInput, scope: TenantScope, companyTimeZone: string): Promise<ConvertedFigures> {
  const c = input.currency;
  const foreign = [...new Set([...input.totals.map((t) => t.currency), ...input.deals.map((d) => d.currency)])].filter((x) => x !== c).sort();
  if (!foreign.length) return settleConverted(input, [], []);
  const day = calendarDayIn(event.startsAt, companyTimeZone);
  const rates: RateUsed[] = [];
  for (const from of foreign) {
    const found = await latestRate(scope, from, c, day);
    if (found) rates.push({ from, to: c, rate: found.rate, date: found.date });
  }
  if (!rates.length) return settleConverted(input, [], []);
  const currencies = rates.map((r) => r.from);
  const [incomes, expenses] = await scope.all([
    () => scope.repo(Income).find((qb, a) =>
      qb
        .andWhere(`${a}.eventId = :fxEvent AND ${a}.currency IN (:...fxCurrencies)`, { fxEvent: event.id, fxCurrencies: currencies })
        .orderBy(`${a}.createdAt`, 'ASC')
        .addOrderBy(`${a}.id`, 'ASC')
        .limit(CONVERTED_RECORDS_MAX + 1),
    ),
    () => scope.repo(Expense).find((qb, a) =>
      qb
        .andWhere(`${a}.eventId = :fxEvent AND ${a}.currency IN (:...fxCurrencies) AND ${a}.status = 'approved' AND ${a}.category <> 'artist_fee'`, {
          fxEvent: event.id,
          fxCurrencies: currencies,
        })
        .orderBy(`${a}.createdAt`, 'ASC')
        .addOrderBy(`${a}.id`, 'ASC')
        .limit(CONVERTED_RECORDS_MAX + 1),
    ),
  ]);
  if (incomes.length > CONVERTED_RECORDS_MAX || expenses.length > CONVERTED_RECORDS_MAX) return settleConverted(input, [], []);
  const records: ForeignAmount[] = [
    ...incomes.map((i) => ({ recordType: 'Income', recordId: i.id, line: 'otherIncome' as const, currency: i.currency, amount: i.amount })),
    ...expenses.flatMap((e) => [
      { recordType: 'Expense', recordId: e.id, line: 'expenses' as const, currency: e.currency, amount: e.amount },
      // Its VAT is converted apart (a cost or reclaimable, as the settlement counts it).
      ...(e.vat ? [{ recordType: 'Expense', recordId: e.id, line: 'expenseVat' as const, currency: e.currency, amount: e.vat }] : []),
    ]),
  ];
  return settleConverted(input, records, rates);
}
