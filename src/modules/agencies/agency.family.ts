import { f } from '../../core/fields';
import { defineFamily } from '../../core/family';
import { filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
import { serviceOf } from '../../core/service';

export const AGENCY_KEY = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const Agency = defineRecord({
  name: 'Agency',
  table: 'agencies',
  description: 'A booking agency that represents artists.',
  fields: {
    key: f
      .pattern(AGENCY_KEY, 'must be 2-63 characters of a-z, 0-9 and dashes, starting with a letter or digit')
      .required()
      .describe('Business key, unique within the company: 2–63 characters of a-z, 0-9 and dashes (`wme-london`).'),
    name: f.text().required().describe('What the agency is called (at most 200 characters).'),
    email: f.email().nullable().describe('Where to write to the agency: an email address.'),
    phone: f.phone().nullable().describe('Its phone number as people write it (digits, spaces, + ( ) . / -).'),
    website: f.url().nullable().describe('Its website: an http(s) URL.'),
    commissionRate: f
      .int(0, 10_000)
      .nullable()
      .checked('$ BETWEEN 0 AND 10000', '$_range')
      .describe("The agency's commission on its artists' fees, in basis points 0–10000; a settlement shows it on each payout to one of them. Null: none said."),
    notes: f.longText().nullable().describe("Free text for the company's own use (at most 20,000 characters)."),
  },
  unique: { uq__agencies__key: ['companyId', 'key'] },
  // A list's order and filters (migrations/1764001960000-ListIndexes.ts).
  indexes: ['ix__agencies__list', 'ix__agencies__q_name', 'ix__agencies__q_key'],
});
export type Agency = RecordOf<typeof Agency>;

export const agencyFamily = defineFamily({
  entity: Agency,
  resource: 'agency',
  singular: 'agency',
  plural: 'agencies',
  importable: true,
  filters: {
    q: filters.search(['name', 'key'], 'Text contained in the name or key'),
  },
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC'),
});

export const agencyService = serviceOf(agencyFamily);
