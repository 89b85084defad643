import { graphqlEnum } from '../../core/enums';
import { f } from '../../core/fields';
import { defineFamily } from '../../core/family';
import { filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
import { serviceOf } from '../../core/service';

export const VENDOR_CATEGORIES = [
  'sound',
  'lighting',
  'backline',
  'catering',
  'security',
  'transport',
  'accommodation',
  'marketing',
  'staffing',
  'other',
] as const;
export type VendorCategory = (typeof VENDOR_CATEGORIES)[number];
export const VendorCategoryEnum = graphqlEnum('VendorCategory', VENDOR_CATEGORIES, 'What a vendor supplies.');

const category = f.enumOf(VENDOR_CATEGORIES, VendorCategoryEnum);

export const Vendor = defineRecord({
  name: 'Vendor',
  table: 'vendors',
  description: 'A supplier of goods or services for events.',
  fields: {
    name: f.text().required().describe('What the vendor is called (at most 200 characters).'),
    category: category.required().describe('What the vendor supplies.'),
    email: f.email().nullable().describe('Where to write to the vendor: an email address.'),
    phone: f.phone().nullable().describe('Its phone number as people write it (digits, spaces, + ( ) . / -).'),
    taxNumber: f.text(50).nullable().describe('Its tax or VAT number, as printed on its invoices (at most 50 characters).'),
    notes: f.longText().nullable().describe("Free text for the company's own use (at most 20,000 characters)."),
  },
  // A list's order and filters (migrations/1764001960000-ListIndexes.ts).
  indexes: ['ix__vendors__list', 'ix__vendors__list_category', 'ix__vendors__q_name'],
});
export type Vendor = RecordOf<typeof Vendor>;

export const vendorFamily = defineFamily({
  entity: Vendor,
  resource: 'vendor',
  singular: 'vendor',
  plural: 'vendors',
  importable: true,
  filters: {
    q: filters.search(['name'], 'Text contained in the name'),
    category: filters.equals('category', category),
  },
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC'),
});

export const vendorService = serviceOf(vendorFamily);
