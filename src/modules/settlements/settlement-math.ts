import { add, allocate, money, Money, multiply, multiplyRatio, percentOf, subtract, sum, zero } from '../../shared/money';

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
  /** Basis points of the fee the promoter withholds and pays to the tax office; absent is 0. */
  withholdingRate?: number | null;
  /** The artist's agency, and its commission in basis points of the payout (absent or null: none). */
  agencyId?: string | null;
  commissionRate?: number | null;
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
  /** Σ approved expenses except artist fees (net of VAT). */
  expenses: number;
  /** Σ the VAT of those expenses; absent is 0. */
  expenseVat?: number;
}

export interface SettlementInput {
  currency: string;
  /** Basis points included in ticket prices; null is 0. */
  taxRate: number | null;
  /** Totals per currency (the event's and any other); a currency absent is all zeros. */
  totals: CurrencyTotals[];
  /** One accepted offer per lineup artist that has one, in running order (the headliner first). */
  deals: DealTerms[];
  /** Whether the company reclaims the VAT on its expenses; absent is not. */
  vatRegistered?: boolean;
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

/*
 * Issue 24: taxes, commission and projections, built on `settle` (never a second formula).
 */

/** What a payout owes beyond its amount: the tax withheld from it and its agency's commission. */
export interface PayoutDeductions {
  /** amount × withholdingRate, rounded half-up once per payout. */
  withholding: number;
  /** amount − withholding: what the artist receives. */
  netToArtist: number;
  /** The artist's agency when the settlement was computed; null when none. */
  agencyId: string | null;
  /** amount × the agency's commissionRate, rounded half-up once per payout; null without an agency with a rate. */
  agencyCommission: number | null;
}

export type DetailedPayout = Payout & PayoutDeductions;

export interface DetailedOtherCurrency extends Omit<OtherCurrency, 'payouts'> {
  payouts: DetailedPayout[];
}

/** The settlement with the VAT on expenses, the withholding tax and the agencies' commission. */
export interface DetailedSettlementFigures extends Omit<SettlementFigures, 'payouts' | 'otherCurrencies'> {
  payouts: DetailedPayout[];
  otherCurrencies: DetailedOtherCurrency[];
  /** Σ VAT of the counted expenses in the event's currency when the company is VAT-registered (else 0: it is in `expenses`). */
  vatReclaimable: number;
  /** Σ withholding of the payouts in the event's currency: what the promoter pays the tax office. */
  withholdingDue: number;
}

/** The deductions of one payout under its deal's terms (the fee is the gross amount: the promoter's cost does not change). */
export function payoutDeductions(payout: Payout, deal: DealTerms | undefined): PayoutDeductions {
  const amount = money(payout.amount, payout.currency);
  const withholding = percentOf(amount, deal?.withholdingRate ?? 0);
  const agencyId = deal?.agencyId ?? null;
  const rate = deal?.commissionRate ?? null;
  return {
    withholding: withholding.amount,
    netToArtist: subtract(amount, withholding).amount,
    agencyId,
    agencyCommission: agencyId !== null && rate !== null ? percentOf(amount, rate).amount : null,
  };
}

/**
 * The totals the settlement counts: the VAT on expenses is a cost (added to each currency's expenses)
 * unless the company is registered, when it is reclaimable instead and the expenses stay net.
 */
export function withExpenseVat(input: SettlementInput): { totals: CurrencyTotals[]; vatReclaimable: number } {
  const registered = input.vatRegistered ?? false;
  const totals = input.totals.map((t) => (registered || !t.expenseVat ? t : { ...t, expenses: add(money(t.expenses, t.currency), money(t.expenseVat, t.currency)).amount }));
  const own = input.totals.find((t) => t.currency === input.currency);
  return { totals, vatReclaimable: registered ? (own?.expenseVat ?? 0) : 0 };
}

/** `settle` with the VAT on expenses, withholding and agency commission (each payout's from its own deal). */
export function settleInDetail(input: SettlementInput): DetailedSettlementFigures {
  const { totals, vatReclaimable } = withExpenseVat(input);
  const figures = settle({ ...input, totals });
  const detail = (p: Payout): DetailedPayout => ({ ...p, ...payoutDeductions(p, input.deals.find((d) => d.offerId === p.offerId)) });
  const payouts = figures.payouts.map(detail);
  return {
    ...figures,
    payouts,
    otherCurrencies: figures.otherCurrencies.map((o) => ({ ...o, payouts: o.payouts.map(detail) })),
    vatReclaimable,
    withholdingDue: sum(payouts.map((p) => money(p.withholding, p.currency)), input.currency).amount,
  };
}

/** A tier as a projection sells it: its allocation, price and fee in the projection's currency. */
export interface ProjectedTier {
  quantity: number;
  price: number;
  fee: number;
}

/** What a projection imagines: the show's tiers, its budget and one deal. */
export interface ProjectionInput {
  currency: string;
  taxRate: number | null;
  vatRegistered: boolean;
  tiers: ProjectedTier[];
  /** The budget: Σ expenses not rejected, artist fees excepted, net of VAT, and their VAT. */
  expenses: number;
  expenseVat: number;
  deal: DealTerms;
}

export interface Projection {
  /** Percent of every tier sold. */
  sellThrough: number;
  ticketsSold: number;
  gross: number;
  netGross: number;
  expenses: number;
  artistPayout: number;
  promoterResult: number;
}

export interface Projections {
  projections: Projection[];
  /** The fewest tickets at which promoterResult ≥ 0; null when even a sell-out does not reach it. */
  breakevenTickets: number | null;
  /** The smallest whole percentage whose tickets reach breakevenTickets; null with it. */
  breakevenSellThrough: number | null;
}

/**
 * The settlement of `tickets` imagined sales: split over the tiers in proportion to their allocation
 * (whole tickets adding up to exactly `tickets`: the largest remainders get the leftovers).
 */
export function settleImagined(input: ProjectionInput, tickets: number): DetailedSettlementFigures {
  const c = input.currency;
  const capacity = input.tiers.reduce((n, t) => n + t.quantity, 0);
  const sold = capacity > 0 ? allocate(money(tickets, c), input.tiers.map((t) => t.quantity)).map((m) => m.amount) : input.tiers.map(() => 0);
  const gross = sum(input.tiers.map((t, i) => multiply(money(t.price, c), sold[i])), c);
  const fees = sum(input.tiers.map((t, i) => multiply(money(t.fee, c), sold[i])), c);
  return settleInDetail({
    currency: c,
    taxRate: input.taxRate,
    vatRegistered: input.vatRegistered,
    totals: [{ currency: c, gross: gross.amount, fees: fees.amount, income: 0, expenses: input.expenses, expenseVat: input.expenseVat }],
    deals: [input.deal],
  });
}

/** Tickets at a sell-through: capacity × percent / 100, rounded half-up. */
export const ticketsAt = (capacity: number, percent: number): number => multiplyRatio(money(capacity, 'XXX'), percent, 100).amount;

/**
 * The settlement at each sell-through, and the breakeven: found by bisection over the tickets sold,
 * the promoter's result never falling as more are sold (a percentage deal pays at most 100 % of what
 * a ticket adds).
 */
export function project(input: ProjectionInput, sellThrough: readonly number[]): Projections {
  const capacity = input.tiers.reduce((n, t) => n + t.quantity, 0);
  const resultAt = (tickets: number) => settleImagined(input, tickets).promoterResult;
  const projections = sellThrough.map((percent) => {
    const ticketsSold = ticketsAt(capacity, percent);
    const s = settleImagined(input, ticketsSold);
    return { sellThrough: percent, ticketsSold, gross: s.gross, netGross: s.netGross, expenses: s.expenses, artistPayout: s.artistPayout, promoterResult: s.promoterResult };
  });
  let breakevenTickets: number | null = null;
  if (resultAt(capacity) >= 0) {
    let [low, high] = [0, capacity];
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (resultAt(mid) >= 0) high = mid;
      else low = mid + 1;
    }
    breakevenTickets = low;
  }
  let breakevenSellThrough: number | null = null;
  if (breakevenTickets !== null) {
    breakevenSellThrough = 0;
    while (ticketsAt(capacity, breakevenSellThrough) < breakevenTickets) breakevenSellThrough += 1;
  }
  return { projections, breakevenTickets, breakevenSellThrough };
}
