import { ValidationError } from './errors';

/**
 * Money, the one place for its arithmetic and rounding.
 *
 * An amount is an integer number of minor units (`150000` EUR = 1,500.00) with its ISO-4217
 * currency; PostgreSQL stores it as `bigint`. In JS an amount is a `number` that must be a safe
 * integer (|n| ≤ 2^53 − 1, about 90 trillion in major units): that is how bigint columns are read
 * (`bigintAsNumber`) and how both surfaces carry them. Every input and every result is checked, and
 * intermediate products (amount × basis points, amount × ratio) are computed in `bigint`, so nothing is
 * ever silently rounded by floating point: a result outside the safe range is refused
 * (`MoneyOverflowError`), never approximated.
 *
 * Rounding is half away from zero ("half-up" on magnitudes): 0.5 → 1, −0.5 → −1, 2.5 → 3, −2.5 → −3,
 * so a refund is the exact mirror of its charge.
 */
export interface Money {
  /** Integer minor units, a safe integer. */
  readonly amount: number;
  /** ISO-4217 code, upper case. */
  readonly currency: string;
}

/** Amounts of different currencies met where one currency is required. */
export class CurrencyMismatchError extends ValidationError {
  constructor(expected: string, found: string) {
    super([{ field: 'currency', message: `${found} cannot be combined with ${expected}` }], `Currencies differ: ${expected} and ${found}`);
  }
}

/** An amount that is not an exact integer of minor units within ±(2^53 − 1). */
export class MoneyOverflowError extends ValidationError {
  constructor(what: string) {
    super([{ field: 'amount', message: `${what} is not representable exactly (limit ±${Number.MAX_SAFE_INTEGER} minor units)` }], `Money overflow: ${what}`);
  }
}

const CURRENCY = /^[A-Z]{3}$/;
const MAX = BigInt(Number.MAX_SAFE_INTEGER);

export function money(amount: number, currency: string): Money {
  if (!CURRENCY.test(currency)) throw ValidationError.field('currency', 'an ISO-4217 code such as EUR');
  if (!Number.isInteger(amount)) throw ValidationError.field('amount', 'an integer number of minor units');
  if (!Number.isSafeInteger(amount)) throw new MoneyOverflowError(String(amount));
  return Object.freeze({ amount, currency });
}

export const zero = (currency: string): Money => money(0, currency);

function checked(value: bigint, currency: string): Money {
  if (value > MAX || value < -MAX) throw new MoneyOverflowError(`${value} ${currency}`);
  return money(Number(value), currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
}

function integer(value: number, name: string): bigint {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a safe integer, got ${value}`);
  return BigInt(value);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(BigInt(a.amount) + BigInt(b.amount), a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(BigInt(a.amount) - BigInt(b.amount), a.currency);
}

export function negate(a: Money): Money {
  return money(a.amount === 0 ? 0 : -a.amount, a.currency);
}

/** `a` times a whole number (tickets sold × price). */
export function multiply(a: Money, factor: number): Money {
  return checked(BigInt(a.amount) * integer(factor, 'factor'), a.currency);
}

/** The total of amounts that must all be in `currency` (an empty list is zero). */
export function sum(amounts: readonly Money[], currency: string): Money {
  let total = 0n;
  for (const m of amounts) {
    if (m.currency !== currency) throw new CurrencyMismatchError(currency, m.currency);
    total += BigInt(m.amount);
  }
  return checked(total, currency);
}

/** One total per currency, never mixing them. */
export function sumByCurrency(amounts: readonly Money[]): Map<string, Money> {
  const totals = new Map<string, bigint>();
  for (const m of amounts) totals.set(m.currency, (totals.get(m.currency) ?? 0n) + BigInt(m.amount));
  return new Map([...totals].map(([currency, total]) => [currency, checked(total, currency)]));
}

/** n / d rounded half away from zero. */
function divideRounded(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) [n, d] = [-n, -d];
  const magnitude = ((n < 0n ? -n : n) * 2n + d) / (2n * d);
  return n < 0n ? -magnitude : magnitude;
}

/** `a × numerator / denominator`, rounded half away from zero (e.g. tax included in a price: rate / (10000 + rate)). */
export function multiplyRatio(a: Money, numerator: number, denominator: number): Money {
  return checked(divideRounded(BigInt(a.amount) * integer(numerator, 'numerator'), integer(denominator, 'denominator')), a.currency);
}

/** `basisPoints` / 10000 of `a` (2500 = 25 %), rounded half away from zero. */
export function percentOf(a: Money, basisPoints: number): Money {
  return multiplyRatio(a, basisPoints, 10_000);
}

/**
 * Split `a` by whole-number ratios so the parts add up to exactly `a`: each part gets the floor of
 * its exact share (by magnitude), and the minor units left over go one each to the parts with the
 * largest remainders, earlier parts first on ties. A negative amount splits as its mirror.
 */
export function allocate(a: Money, ratios: readonly number[]): Money[] {
  const weights = ratios.map((r, i) => {
    const w = integer(r, `ratio ${i}`);
    if (w < 0n) throw new RangeError(`ratio ${i} must not be negative`);
    return w;
  });
  const total = weights.reduce((s, w) => s + w, 0n);
  if (total === 0n) throw new RangeError('at least one ratio must be positive');
  const sign = a.amount < 0 ? -1n : 1n;
  const magnitude = BigInt(a.amount) * sign;
  const parts = weights.map((w, index) => ({ index, share: (magnitude * w) / total, remainder: (magnitude * w) % total }));
  let left = magnitude - parts.reduce((s, p) => s + p.share, 0n);
  const byRemainder = [...parts].sort((x, y) => (x.remainder === y.remainder ? x.index - y.index : x.remainder > y.remainder ? -1 : 1));
  for (const part of byRemainder) {
    if (left === 0n) break;
    part.share += 1n;
    left -= 1n;
  }
  return parts.map((p) => checked(p.share * sign, a.currency));
}

/**
 * A total PostgreSQL computed (`sum(amount)` over bigint is numeric, read as text): exact, or refused
 * like any other result outside the safe range.
 */
export function totalFromDatabase(total: string | number | bigint | null, currency: string): Money {
  const text = String(total ?? '0');
  if (!/^-?\d+$/.test(text)) throw new RangeError(`not a whole number of minor units: ${text}`);
  return checked(BigInt(text), currency);
}

/** `part / whole` in basis points (3750 = 37.5 %), rounded half away from zero; none of nothing. */
export function basisPointsOf(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Number(divideRounded(integer(part, 'part') * 10_000n, integer(whole, 'whole')));
}

/** Minor units per major unit where it is not 100 (ISO-4217 exponents). */
const EXPONENT: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Digits after the decimal point of a currency (ISO-4217 exponent). */
export const minorDigits = (currency: string): number => EXPONENT[currency] ?? 2;

/** An exchange rate as text: at most 10 digits before the point and 8 after (`"1.0845"`). */
export const RATE_PATTERN = /^\d{1,10}(\.\d{1,8})?$/;

/**
 * `a` converted into `to` at `rate` (units of `to` per unit of `a`'s currency, decimal text as
 * RATE_PATTERN), minor units to minor units across the two currencies' exponents: exact in `bigint`,
 * then rounded half away from zero once.
 */
export function convert(a: Money, rate: string, to: string): Money {
  const match = RATE_PATTERN.exec(rate);
  if (!match) throw ValidationError.field('rate', 'must be a decimal number with at most 8 decimals');
  // match[1] is the point and the decimals: the rate is its digits over 10^decimals.
  const decimals = (match[1] ?? '.').length - 1;
  const numerator = BigInt(a.amount) * BigInt(rate.replace('.', '')) * 10n ** BigInt(minorDigits(to));
  const denominator = 10n ** BigInt(decimals + minorDigits(a.currency));
  return checked(divideRounded(numerator, denominator), to);
}

/** `1500.00` for 150000 EUR: the amount in major units as exact decimal text (no floating point). */
export function toDecimal(a: Money): string {
  const exponent = minorDigits(a.currency);
  const digits = (a.amount < 0 ? -BigInt(a.amount) : BigInt(a.amount)).toString().padStart(exponent + 1, '0');
  const major = digits.slice(0, digits.length - exponent);
  const minor = exponent ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${a.amount < 0 ? '-' : ''}${major}${minor}`;
}

/**
 * `"1500.5"` EUR → 150050: decimal text in major units, exactly, to minor units. More decimals than
 * the currency has is refused rather than rounded (an amount nobody wrote is never invented).
 */
export function fromDecimal(text: string, currency: string): Money {
  const match = /^(-)?(\d{1,16})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw ValidationError.field('amount', 'must be a decimal number such as 1500.00');
  const exponent = minorDigits(currency);
  const decimals = (match[3] ?? '').replace(/0+$/, '');
  if (decimals.length > exponent) throw ValidationError.field('amount', `${currency} has ${exponent} decimal places`);
  const minor = BigInt(match[2]) * 10n ** BigInt(exponent) + BigInt(decimals.padEnd(exponent, '0') || '0');
  return checked(match[1] ? -minor : minor, currency);
}

/** `1500.00 EUR`, for logs and messages only: answers carry the integer and the currency. */
export function formatForLog(a: Money): string {
  return `${toDecimal(a)} ${a.currency}`;
}
