import { addressField } from '../../core/address';
import { f } from '../../core/fields';
import { defineFamily } from '../../core/family';
import { Company } from './company.entity';

/**
 * The company's business metadata: one record per company (the x-org), read and changed, never
 * listed, created or deleted by callers. Identity and members live in Auth.
 */
export const companyFamily = defineFamily({
  entity: Company,
  resource: 'company',
  singular: 'company',
  plural: 'companies',
  singleton: true,
  operations: ['one', 'update'],
  fields: {
    displayName: f.text().nullable(),
    legalName: f.text().nullable(),
    currency: f.currency(),
    timezone: f.timezone(),
    address: addressField.nullable(),
    taxNumber: f.text(50).nullable(),
    logoFileId: f.id().nullable(),
  },
  filters: {},
  order: (qb, a) => qb.orderBy(`${a}.id`, 'ASC'),
  description: 'The business metadata of the x-org company (made with defaults on first read).',
});
