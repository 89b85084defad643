import { f } from '../../core/fields';
import { defineFamily } from '../../core/family';
import { filters } from '../../core/listing';
import { Vendor, VENDOR_CATEGORIES, VendorCategoryEnum } from './vendor.entity';

const category = f.enumOf(VENDOR_CATEGORIES, VendorCategoryEnum);

export const vendorFamily = defineFamily({
  entity: Vendor,
  resource: 'vendor',
  singular: 'vendor',
  plural: 'vendors',
  fields: {
    name: f.text().required(),
    category: category.required(),
    email: f.email().nullable(),
    phone: f.phone().nullable(),
    taxNumber: f.text(50).nullable(),
    notes: f.longText().nullable(),
  },
  filters: {
    q: filters.search(['name'], 'Text contained in the name'),
    category: filters.equals('category', category),
  },
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC'),
});
