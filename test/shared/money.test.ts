import { DomainError, ValidationError } from '../../src/shared/errors';
import {
  add,
  basisPointsOf,
  totalFromDatabase,
  allocate,
  CurrencyMismatchError,
  formatForLog,
  fromDecimal,
  money,
  Money,
  MoneyOverflowError,
  multiply,
  multiplyRatio,
  negate,
  percentOf,
  subtract,
  sum,
  sumByCurrency,
  toDecimal,
} from '../../src/shared/money';

/** Money arithmetic, with hand-computed expectations. */
const eur = (amount: number) => money(amount, 'EUR');
const usd = (amount: number) => money(amount, 'USD');
const amounts = (list: Money[]) => list.map((m) => m.amount);
const MAX = Number.MAX_SAFE_INTEGER; // 9007199254740991

describe('percentOf rounds half away from zero', () => {
  test.each([
    [1005, 5000, 503], // 502.5 → 503
    [-1005, 5000, -503], // −502.5 → −503 (the mirror, not −502)
    [1, 5000, 1], // 0.5 → 1
    [-1, 5000, -1], // −0.5 → −1
    [1004, 5000, 502], // 502 exactly
    [1234, 1250, 154], // 154.25 → 154
    [1236, 1250, 155], // 154.5 → 155
    [-1236, 1250, -155],
    [1237, 1250, 155], // 154.625 → 155
    [-1233, 1250, -154], // −154.125 → −154
    [333, 3333, 111], // 110.9889 → 111
  ])('%i × %i bp = %i', (amount, bp, expected) => {
    expect(percentOf(eur(amount), bp)).toEqual(eur(expected));
  });

  test('0 bp is zero and 10000 bp is the amount itself', () => {
    expect(percentOf(eur(123_456), 0)).toEqual(eur(0));
    expect(percentOf(eur(-123_456), 0).amount).toBe(0); // not −0
    expect(percentOf(eur(123_456), 10_000)).toEqual(eur(123_456));
    expect(percentOf(eur(-123_456), 10_000)).toEqual(eur(-123_456));
    expect(percentOf(eur(MAX), 10_000)).toEqual(eur(MAX)); // MAX × 10000 is far past 2^53, and still exact
  });

  test('exact at the top of the range: half of 2^53 − 1 is …495.5 → …496', () => {
    expect(percentOf(eur(MAX), 5000)).toEqual(eur(4_503_599_627_370_496));
    expect(percentOf(eur(-MAX), 5000)).toEqual(eur(-4_503_599_627_370_496));
  });

  test('a ratio: tax included in a price (rate / (10000 + rate))', () => {
    expect(multiplyRatio(eur(11_900), 1900, 11_900)).toEqual(eur(1900));
    expect(multiplyRatio(eur(10_000), 2000, 12_000)).toEqual(eur(1667)); // 1666.67 → 1667
    expect(multiplyRatio(eur(3), 1, 2)).toEqual(eur(2)); // 1.5 → 2
    expect(multiplyRatio(eur(-3), 1, 2)).toEqual(eur(-2));
    expect(multiplyRatio(eur(3), 1, -2)).toEqual(eur(-2));
  });
});

describe('amounts beyond 2^31 are exact; overflow is refused', () => {
  test('add, subtract, multiply and sum past 2^31 and up to 2^53 − 1', () => {
    expect(add(eur(2_147_483_647), eur(1))).toEqual(eur(2_147_483_648));
    expect(add(eur(4_000_000_000), eur(5_000_000_000))).toEqual(eur(9_000_000_000));
    expect(subtract(eur(-2_147_483_648), eur(1))).toEqual(eur(-2_147_483_649));
    expect(multiply(eur(150_000), 20_000)).toEqual(eur(3_000_000_000));
    expect(add(eur(MAX - 1), eur(1))).toEqual(eur(MAX));
    expect(sum([eur(MAX - 10), eur(7), eur(3)], 'EUR')).toEqual(eur(MAX));
    expect(sum([eur(MAX), eur(1), eur(-1)], 'EUR')).toEqual(eur(MAX)); // an intermediate past the limit is fine
  });

  test.each([
    ['add', () => add(eur(MAX), eur(1))],
    ['subtract', () => subtract(eur(-MAX), eur(1))],
    ['multiply', () => multiply(eur(MAX), 2)],
    ['sum', () => sum([eur(MAX), eur(1)], 'EUR')],
    ['sumByCurrency', () => sumByCurrency([eur(MAX), eur(MAX)])],
    ['percentOf above 100 %', () => percentOf(eur(MAX), 10_001)],
    ['an unsafe amount', () => money(2 ** 53, 'EUR')],
    ['a huge amount', () => money(1e300, 'EUR')],
  ])('%s past 2^53 − 1 throws instead of rounding', (_name, overflow) => {
    expect(overflow).toThrow(MoneyOverflowError);
  });

  test('the refusal is a validation error naming the amount', () => {
    try {
      add(eur(MAX), eur(1));
      throw new Error('no overflow');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as DomainError).code).toBe('VALIDATION_FAILED');
      expect((err as ValidationError).details[0].field).toBe('amount');
    }
  });

  test('amounts are integers of minor units in an ISO-4217 currency', () => {
    expect(() => money(10.5, 'EUR')).toThrow(ValidationError);
    expect(() => money(Number.NaN, 'EUR')).toThrow(ValidationError);
    expect(() => money(10, 'eur')).toThrow(ValidationError);
    expect(() => money(10, 'EURO')).toThrow(ValidationError);
    try {
      money(10, 'eur');
    } catch (err) {
      expect((err as ValidationError).details).toEqual([{ field: 'currency', message: expect.stringMatching(/ISO-4217/) }]);
    }
  });
});

describe('currencies never mix', () => {
  test.each([
    ['add', () => add(eur(1), usd(1))],
    ['subtract', () => subtract(eur(1), usd(1))],
    ['sum', () => sum([eur(1), usd(1)], 'EUR')],
    ['sum in another currency', () => sum([eur(1)], 'USD')],
  ])('%s with two currencies throws a domain error', (_name, mixed) => {
    expect(mixed).toThrow(CurrencyMismatchError);
    try {
      mixed();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('VALIDATION_FAILED');
      expect((err as ValidationError).details).toEqual([{ field: 'currency', message: expect.stringMatching(/USD|EUR/) }]);
    }
  });

  test('sumByCurrency keeps one total per currency', () => {
    const totals = sumByCurrency([eur(100), usd(50), eur(25), money(7, 'JPY'), usd(-20)]);
    expect(totals).toEqual(new Map([['EUR', eur(125)], ['USD', usd(30)], ['JPY', money(7, 'JPY')]]));
    expect(sumByCurrency([]).size).toBe(0);
    expect(sum([], 'EUR')).toEqual(eur(0));
  });

  test('negate mirrors the amount', () => {
    expect(negate(eur(150))).toEqual(eur(-150));
    expect(negate(eur(0)).amount).toBe(0);
  });
});

describe('allocate splits without losing a cent', () => {
  test.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [-100, [1, 1, 1], [-34, -33, -33]],
    [5, [3, 7], [2, 3]], // 1.5 / 3.5: remainders tie, the earlier part gets the cent
    [1000, [0, 1], [0, 1000]],
    [10, [70, 20, 10], [7, 2, 1]],
    [101, [50, 50], [51, 50]],
    [2, [1, 1, 1], [1, 1, 0]],
    [0, [1, 2], [0, 0]],
    [1000, [2500, 7500], [250, 750]],
    [1001, [1, 2, 3], [167, 334, 500]], // 166.83 / 333.67 / 500.5 → the largest remainders (.83, .67) get the cents
  ])('%i by %j = %j', (amount, ratios, expected) => {
    const parts = allocate(eur(amount), ratios);
    expect(amounts(parts)).toEqual(expected);
    expect(sum(parts, 'EUR')).toEqual(eur(amount));
  });

  test('large amounts and many random splits sum back exactly, each part within one unit of its share', () => {
    expect(sum(allocate(eur(MAX), [1, 1]), 'EUR')).toEqual(eur(MAX));
    expect(amounts(allocate(eur(MAX), [1, 1]))).toEqual([4_503_599_627_370_496, 4_503_599_627_370_495]);
    for (let i = 0; i < 200; i++) {
      const amount = Math.floor((Math.random() - 0.5) * 2 * 10 ** (1 + (i % 15)));
      const ratios = Array.from({ length: 1 + (i % 7) }, () => Math.floor(Math.random() * 10_000));
      if (ratios.every((r) => !r)) ratios[0] = 1;
      const parts = allocate(eur(amount), ratios);
      expect(sum(parts, 'EUR')).toEqual(eur(amount));
      // |part − amount·ratio/total| < 1, checked in integers: |part·total − amount·ratio| < total
      const total = BigInt(ratios.reduce((s, r) => s + r, 0));
      parts.forEach((p, k) => {
        const gap = BigInt(p.amount) * total - BigInt(amount) * BigInt(ratios[k]);
        expect(gap < total && -gap < total).toBe(true);
      });
    }
  });

  test('ratios must be whole, non-negative, and not all zero', () => {
    expect(() => allocate(eur(100), [0, 0])).toThrow(RangeError);
    expect(() => allocate(eur(100), [])).toThrow(RangeError);
    expect(() => allocate(eur(100), [1, -1, 2])).toThrow(RangeError);
    expect(() => allocate(eur(100), [0.5, 0.5])).toThrow(RangeError);
  });
});

test('formatting for logs uses the currency exponent', () => {
  expect(formatForLog(eur(150_000))).toBe('1500.00 EUR');
  expect(formatForLog(eur(-5))).toBe('-0.05 EUR');
  expect(formatForLog(eur(0))).toBe('0.00 EUR');
  expect(formatForLog(money(1500, 'JPY'))).toBe('1500 JPY');
  expect(formatForLog(money(1234, 'KWD'))).toBe('1.234 KWD');
  expect(formatForLog(eur(MAX))).toBe('90071992547409.91 EUR');
});

test('decimal text converts to minor units exactly, both ways, and refuses what it would have to round', () => {
  expect(fromDecimal('1500.5', 'EUR')).toEqual(eur(150_050));
  expect(fromDecimal('0.07', 'EUR')).toEqual(eur(7));
  expect(fromDecimal('12', 'EUR')).toEqual(eur(1200));
  expect(fromDecimal('12.300', 'EUR')).toEqual(eur(1230)); // trailing zeros are not extra precision
  expect(fromDecimal('-3.25', 'EUR')).toEqual(eur(-325));
  expect(fromDecimal('1500', 'JPY')).toEqual(money(1500, 'JPY'));
  expect(fromDecimal('1.234', 'KWD')).toEqual(money(1234, 'KWD'));
  expect(fromDecimal('90071992547409.91', 'EUR')).toEqual(eur(MAX));
  expect(() => fromDecimal('90071992547409.92', 'EUR')).toThrow(MoneyOverflowError);
  expect(() => fromDecimal('1.005', 'EUR')).toThrow(ValidationError);
  expect(() => fromDecimal('1.5', 'JPY')).toThrow(ValidationError);
  for (const bad of ['', '1,50', '1e3', '.5', '1.', 'ten', '0x10', ' 1 2']) expect(() => fromDecimal(bad, 'EUR')).toThrow(ValidationError);
  for (const amount of [0, 5, 150_000, -5, MAX]) expect(fromDecimal(toDecimal(eur(amount)), 'EUR')).toEqual(eur(amount));
});

describe('totals PostgreSQL computed, and shares in basis points', () => {
  test('a numeric sum is exact up to the safe limit and refused beyond it', () => {
    expect(totalFromDatabase('155000', 'EUR')).toEqual({ amount: 155000, currency: 'EUR' });
    expect(totalFromDatabase(null, 'EUR')).toEqual({ amount: 0, currency: 'EUR' });
    expect(totalFromDatabase(String(Number.MAX_SAFE_INTEGER), 'EUR').amount).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => totalFromDatabase('9007199254740992', 'EUR')).toThrow(MoneyOverflowError);
    expect(() => totalFromDatabase('12.5', 'EUR')).toThrow(RangeError);
  });

  test('basisPointsOf rounds half away from zero and has no share of nothing', () => {
    expect(basisPointsOf(90, 140)).toBe(6429); // 6428.57…
    expect(basisPointsOf(1, 8)).toBe(1250);
    expect(basisPointsOf(1, 20000)).toBe(1); // 0.5 → 1
    expect(basisPointsOf(0, 10)).toBe(0);
    expect(basisPointsOf(10, 0)).toBeNull();
  });
});
