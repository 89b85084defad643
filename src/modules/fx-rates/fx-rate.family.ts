import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { defineRecord, type RecordOf } from '../../core/record';
import { serviceOf } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { ValidationError } from '../../shared/errors';
import { RATE_PATTERN } from '../../shared/money';

export const FxRate = defineRecord({
  name: 'FxRate',
  table: 'fx_rates',
  description: 'An exchange rate the company uses: what one unit of `from` was worth in `to` on a day.',
  fields: {
    from: f.currency().required().describe('ISO-4217 code (`USD`) of the currency converted from.'),
    to: f.currency().required().describe('ISO-4217 code (`EUR`) of the currency converted into; not `from`.'),
    rate: f
      .pattern(RATE_PATTERN, 'must be a decimal number greater than 0 with at most 10 digits before the point and 8 after, such as 1.0845')
      .refine((rate) => /[1-9]/.test(rate), 'must be greater than 0')
      .required()
      .checked(`$ ~ '^[0-9]{1,10}(\\.[0-9]{1,8})?\\Z' AND $::numeric > 0`)
      .describe('Units of `to` per unit of `from`, a decimal string with at most 8 decimals (`"0.92345678"`), greater than 0.'),
    date: f.date().required().describe('The day the rate holds from (YYYY-MM-DD): a settlement uses the latest on or before the event\'s day. One rate per pair and day.'),
  },
  unique: { uq__fx_rates__pair_date: ['companyId', 'from', 'to', 'date'] },
  checks: { ck__fx_rates__pair: '"from" <> "to"' },
  // A list's order (the latest day first); the unique key serves a settlement's look-up of a pair.
  indexes: ['ix__fx_rates__list'],
});
export type FxRate = RecordOf<typeof FxRate>;

export const fxRateFamily = defineFamily({
  entity: FxRate,
  resource: 'company',
  singular: 'fxRate',
  plural: 'fxRates',
  path: '/fx-rates',
  description: "The company's exchange rates, by day: what a settlement converts records in other currencies at.",
  // A rate is corrected by removing it and adding another: a settlement stores the rates it used.
  operations: ['list', 'one', 'create', 'delete'],
  // The rates are the company's settings: written under basic.company.edit, read under its view.
  operationActions: { create: 'edit', delete: 'edit' },
  filters: {},
  order: (qb, a) => qb.orderBy(`${a}.date`, 'DESC'),
  hooks: {
    prepareCreate: async (_tx, data) => {
      if (data.from !== undefined && data.from === data.to) throw ValidationError.field('to', 'must differ from `from`');
      return data;
    },
  },
});

export const fxRateService = serviceOf(fxRateFamily);

/** The latest rate of `from` into `to` on or before `day`, or null when the company has none. */
export async function latestRate(scope: TenantScope, from: string, to: string, day: string): Promise<FxRate | null> {
  const [rate] = await scope.repo(FxRate).find((qb, a) =>
    qb
      .andWhere(`${a}.from = :rateFrom AND ${a}.to = :rateTo AND ${a}.date <= :rateDay`, { rateFrom: from, rateTo: to, rateDay: day })
      .orderBy(`${a}.date`, 'DESC')
      .limit(1),
  );
  return rate ?? null;
}
