import { add, money, Money, multiplyRatio, percentOf, subtract, sum, zero } from '../../shared/money';

/**
 * The settlement of a show (domain.md, "Settlement"), pure: the totals come from SQL aggregates,
 * every figure is computed here with the money module, in the event's currency only. Amounts in
 * other currencies are listed apart per currency and never summed into the statement; each
 * percentage is rounded half-up to the minor unit, once, where it is taken.
 */
export type DealKind = 'flat' | 'versus' | 'plus' | 'door';

/** The terms of one accepted offer that a payout is computed from (amounts in minor units of `currency`). */
export interface DealTerms {
  artistId: string;
  offerId: string;
  dealType: DealKind;
  currency: string;
  guarantee: number | null;
  /** Basis points. */
  percentage: number | null;
  percentageOf: 'gross' | 'net' | null;
  expenseCap: number | null;
  /** Basis points of the deal's expenses. */
  promoterProfit: number | null;
}

/** Sums in one currency, as the database adds them up. */
export interface CurrencyTotals {
  currency: string;
  /** Σ tiers sold × price. */
  gross: number;
  /** Σ tiers sold × fee. */
  fees: number;
  /** Σ income records. */
  income: number;
  /** Σ approved expenses except artist fees. */
  expenses: number;
}

export interface SettlementInput {
  currency: string;
  /** Basis points included in ticket prices; null is 0. */
  taxRate: number | null;
  /** Totals per currency (the event's and any other); a currency absent is all zeros. */
  totals: CurrencyTotals[];
  /** One accepted offer per lineup artist that has one, in running order (the headliner first). */
  deals: DealTerms[];
}

export interface Payout {
  artistId: string;
  offerId: string;
  dealType: DealKind;
  currency: string;
  amount: number;
}

/** What a currency other than the event's holds: listed as it is, never converted or summed in. */
export interface OtherCurrency {
  currency: string;
  gross: number;
  fees: number;
  otherIncome: number;
  expenses: number;
  /** Payouts under offers in this currency: their guarantee (a percentage needs the event's figures). */
  payouts: Payout[];
}

export interface SettlementFigures {
  currency: string;
  gross: number;
  fees: number;
  adjustedGross: number;
  tax: number;
  netGross: number;
  otherIncome: number;
  expenses: number;
  /** The headliner's (first lineup artist with an accepted offer in the event's currency); 0 without one. */
  promoterProfit: number;
  splitPoint: number;
  artistPayout: number;
  payouts: Payout[];
  promoterResult: number;
  otherCurrencies: OtherCurrency[];
}

const larger = (a: Money, b: Money): Money => (a.amount >= b.amount ? a : b);

/** One artist's payout under its deal, with the deal's promoter profit and split point. */
export function payoutOf(deal: DealTerms, netGross: Money, expenses: Money): { amount: Money; promoterProfit: Money; splitPoint: Money } {
  const c = netGross.currency;
  const dealExpenses = deal.expenseCap === null ? expenses : money(Math.min(expenses.amount, deal.expenseCap), c);
  const guarantee = money(deal.guarantee ?? 0, c);
  const promoterProfit = percentOf(dealExpenses, deal.promoterProfit ?? 0);
  const splitPoint = add(add(dealExpenses, guarantee), promoterProfit);
  const pct = deal.percentage ?? 0;
  const base = deal.percentageOf === 'net' ? subtract(netGross, dealExpenses) : netGross;
  const amount = {
    flat: () => guarantee,
    versus: () => larger(guarantee, percentOf(base, pct)),
    plus: () => add(guarantee, larger(zero(c), percentOf(subtract(netGross, splitPoint), pct))),
    door: () => larger(zero(c), percentOf(base, pct)),
  }[deal.dealType]();
  return { amount, promoterProfit, splitPoint };
}

export function settle(input: SettlementInput): SettlementFigures {
  const c = input.currency;
  const totalsOf = (currency: string): CurrencyTotals =>
    input.totals.find((t) => t.currency === currency) ?? { currency, gross: 0, fees: 0, income: 0, expenses: 0 };
  const own = totalsOf(c);
  const gross = money(own.gross, c);
  const fees = money(own.fees, c);
  const adjustedGross = subtract(gross, fees);
  const taxRate = input.taxRate ?? 0;
  // Prices include the tax: its part of an amount is rate / (10000 + rate) of it.
  const tax = multiplyRatio(adjustedGross, taxRate, 10_000 + taxRate);
  const netGross = subtract(adjustedGross, tax);
  const otherIncome = money(own.income, c);
  const expenses = money(own.expenses, c);

  const payouts: Payout[] = [];
  const elsewhere: Payout[] = [];
  let headliner: ReturnType<typeof payoutOf> | null = null;
  for (const deal of input.deals) {
    if (deal.currency !== c) {
      elsewhere.push({ artistId: deal.artistId, offerId: deal.offerId, dealType: deal.dealType, currency: deal.currency, amount: deal.guarantee ?? 0 });
      continue;
    }
    const result = payoutOf(deal, netGross, expenses);
    headliner ??= result;
    payouts.push({ artistId: deal.artistId, offerId: deal.offerId, dealType: deal.dealType, currency: c, amount: result.amount.amount });
  }
  const paid = sum(payouts.map((p) => money(p.amount, c)), c);
  const promoterResult = subtract(subtract(add(netGross, otherIncome), expenses), paid);

  const others = [...new Set([...input.totals.map((t) => t.currency), ...elsewhere.map((p) => p.currency)])].filter((x) => x !== c).sort();
  return {
    currency: c,
    gross: gross.amount,
    fees: fees.amount,
    adjustedGross: adjustedGross.amount,
    tax: tax.amount,
    netGross: netGross.amount,
    otherIncome: otherIncome.amount,
    expenses: expenses.amount,
    promoterProfit: headliner?.promoterProfit.amount ?? 0,
    splitPoint: headliner?.splitPoint.amount ?? 0,
    artistPayout: headliner?.amount.amount ?? 0,
    payouts,
    promoterResult: promoterResult.amount,
    otherCurrencies: others.map((currency) => {
      const t = totalsOf(currency);
      return { currency, gross: t.gross, fees: t.fees, otherIncome: t.income, expenses: t.expenses, payouts: elsewhere.filter((p) => p.currency === currency) };
    }),
  };
}
