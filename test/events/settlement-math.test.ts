import { DealTerms, settle } from '../../src/modules/settlements/settlement-math';

/** The pure settlement arithmetic (domain.md, "Settlement"): each figure worked out by hand below. */
const deal = (terms: Partial<DealTerms>): DealTerms => ({
  artistId: 'a1',
  offerId: 'o1',
  dealType: 'flat',
  currency: 'EUR',
  guarantee: null,
  percentage: null,
  percentageOf: null,
  expenseCap: null,
  promoterProfit: null,
  ...terms,
});
const eur = (gross: number, fees = 0, income = 0, expenses = 0) => ({ currency: 'EUR', gross, fees, income, expenses });

describe('rounding half-up at .5, once where each percentage is taken', () => {
  test('tax: 3 × 2000 / 12000 = 0.5 → 1; 9 × 2000 / 12000 = 1.5 → 2; 2 × 2000 / 12000 = 0.33 → 0', () => {
    expect(settle({ currency: 'EUR', taxRate: 2000, totals: [eur(3)], deals: [] }).tax).toBe(1);
    expect(settle({ currency: 'EUR', taxRate: 2000, totals: [eur(9)], deals: [] }).tax).toBe(2);
    expect(settle({ currency: 'EUR', taxRate: 2000, totals: [eur(2)], deals: [] }).tax).toBe(0);
  });

  test('a door deal: 25% of 2 = 0.5 → 1, of 6 = 1.5 → 2, of 5 = 1.25 → 1', () => {
    const door = [deal({ dealType: 'door', percentage: 2500, percentageOf: 'gross' })];
    expect(settle({ currency: 'EUR', taxRate: null, totals: [eur(2)], deals: door }).artistPayout).toBe(1);
    expect(settle({ currency: 'EUR', taxRate: null, totals: [eur(6)], deals: door }).artistPayout).toBe(2);
    expect(settle({ currency: 'EUR', taxRate: null, totals: [eur(5)], deals: door }).artistPayout).toBe(1);
  });

  test('promoter profit: 15% of 10 expenses = 1.5 → 2', () => {
    const plus = [deal({ dealType: 'plus', guarantee: 0, percentage: 0, percentageOf: 'net', promoterProfit: 1500 })];
    const s = settle({ currency: 'EUR', taxRate: null, totals: [eur(100, 0, 0, 10)], deals: plus });
    expect(s.promoterProfit).toBe(2);
    expect(s.splitPoint).toBe(12); // 10 + 0 + 2
  });
});

test('no tickets, no deals: all zeros in the event currency', () => {
  expect(settle({ currency: 'GBP', taxRate: null, totals: [], deals: [] })).toEqual({
    currency: 'GBP', gross: 0, fees: 0, adjustedGross: 0, tax: 0, netGross: 0, otherIncome: 0, expenses: 0,
    promoterProfit: 0, splitPoint: 0, artistPayout: 0, payouts: [], promoterResult: 0, otherCurrencies: [],
  });
});

test('versus on net with a negative base pays the guarantee', () => {
  // net base = 1000 − 5000 = −4000; 50% = −2000; max(3000, −2000) = 3000; result 1000 − 5000 − 3000 = −7000
  const s = settle({ currency: 'EUR', taxRate: null, totals: [eur(1000, 0, 0, 5000)], deals: [deal({ dealType: 'versus', guarantee: 3000, percentage: 5000, percentageOf: 'net' })] });
  expect(s).toMatchObject({ artistPayout: 3000, promoterResult: -7000 });
});

test('other currencies are listed apart; an offer in another currency pays its guarantee there and is not the headliner', () => {
  const s = settle({
    currency: 'EUR',
    taxRate: null,
    totals: [eur(10_000, 0, 500, 1000), { currency: 'USD', gross: 0, fees: 0, income: 700, expenses: 300 }],
    deals: [
      deal({ artistId: 'usd', offerId: 'ou', currency: 'USD', dealType: 'versus', guarantee: 2000, percentage: 5000, percentageOf: 'gross' }),
      deal({ artistId: 'eur', offerId: 'oe', dealType: 'flat', guarantee: 4000 }),
    ],
  });
  // EUR: 10000 + 500 − 1000 − 4000 = 5500; the headliner is the first with a EUR offer.
  expect(s).toMatchObject({ gross: 10_000, otherIncome: 500, expenses: 1000, artistPayout: 4000, promoterResult: 5500 });
  expect(s.payouts).toEqual([{ artistId: 'eur', offerId: 'oe', dealType: 'flat', currency: 'EUR', amount: 4000 }]);
  expect(s.otherCurrencies).toEqual([
    { currency: 'USD', gross: 0, fees: 0, otherIncome: 700, expenses: 300, payouts: [{ artistId: 'usd', offerId: 'ou', dealType: 'versus', currency: 'USD', amount: 2000 }] },
  ]);
});
