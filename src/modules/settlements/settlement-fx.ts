import { convert, money } from '../../shared/money';
import { type CurrencyTotals, type DealTerms, type DetailedSettlementFigures, settleInDetail, type SettlementInput } from './settlement-math';

/**
 * A settlement across currencies (issue 24, item 4), pure, on top of `settle`: every record in a
 * currency with a rate into the event's is converted at it, one rounding per amount (half away from
 * zero, in `convert`), and then counts as the event's own; a currency without a rate stays apart in
 * `otherCurrencies`, as it is.
 */

/** Most incomes, and most expenses, in other currencies one statement converts and lists. */
export const CONVERTED_RECORDS_MAX = 100;

/** The rate of one pair a settlement used: the latest on or before the event's day. */
export interface RateUsed {
  from: string;
  to: string;
  /** Decimal text: units of `to` per unit of `from`. */
  rate: string;
  /** The day it holds from. */
  date: string;
}

/** What one amount of a record in another currency adds to the statement. */
export type ConvertedLine = 'gross' | 'fees' | 'otherIncome' | 'expenses' | 'expenseVat' | 'guarantee' | 'expenseCap';

/** One amount of a record in another currency, as it is (an offer's guarantee, a tier's gross, an expense). */
export interface ForeignAmount {
  /** `Ticket`, `Income`, `Expense` or `Offer`. */
  recordType: string;
  recordId: string;
  line: ConvertedLine;
  currency: string;
  amount: number;
}

/** A converted amount: the original, the rate, and what it became in the event's currency. */
export interface Conversion extends ForeignAmount {
  rate: string;
  converted: number;
}

/** Conversions and rates are there only when a rate converted something: a statement in one currency reads as before. */
export interface ConvertedFigures extends DetailedSettlementFigures {
  conversions?: Conversion[];
  rates?: RateUsed[];
}

const TOTAL_OF: Partial<Record<ConvertedLine, keyof Omit<CurrencyTotals, 'currency'>>> = {
  gross: 'gross',
  fees: 'fees',
  otherIncome: 'income',
  expenses: 'expenses',
  expenseVat: 'expenseVat',
};

/**
 * The settlement with conversions. `records` are the ticket, income and expense amounts in the
 * currencies `rates` convert (each currency's records whole: their sum is that currency's totals);
 * offers in those currencies are converted from `input.deals` (their guarantee and expense cap).
 */
export function settleConverted(input: SettlementInput, records: readonly ForeignAmount[], rates: readonly RateUsed[]): ConvertedFigures {
  const c = input.currency;
  const rateOf = new Map(rates.filter((r) => r.to === c && r.from !== c).map((r) => [r.from, r]));
  const conversions: Conversion[] = [];
  const into = (record: ForeignAmount): number => {
    const rate = rateOf.get(record.currency)!;
    const converted = convert(money(record.amount, record.currency), rate.rate, c).amount;
    conversions.push({ ...record, rate: rate.rate, converted });
    return converted;
  };

  const own: CurrencyTotals = { ...(input.totals.find((t) => t.currency === c) ?? { currency: c, gross: 0, fees: 0, income: 0, expenses: 0 }) };
  for (const record of records) {
    const total = TOTAL_OF[record.line];
    if (total && rateOf.has(record.currency)) own[total] = (own[total] ?? 0) + into(record);
  }
  const deals = input.deals.map((deal): DealTerms => {
    if (!rateOf.has(deal.currency)) return deal;
    const amount = (line: ConvertedLine, value: number | null) =>
      value === null ? null : into({ recordType: 'Offer', recordId: deal.offerId, line, currency: deal.currency, amount: value });
    return { ...deal, currency: c, guarantee: amount('guarantee', deal.guarantee), expenseCap: amount('expenseCap', deal.expenseCap) };
  });
  const totals = [own, ...input.totals.filter((t) => t.currency !== c && !rateOf.has(t.currency))];
  // Then the one settlement, with its VAT, withholding and commission, as if every amount were the event's.
  const figures = settleInDetail({ ...input, totals, deals });
  if (!conversions.length) return figures;
  const used = new Set(conversions.map((x) => x.currency));
  return { ...figures, conversions, rates: [...rateOf.values()].filter((r) => used.has(r.from)).sort((a, b) => a.from.localeCompare(b.from)) };
}
