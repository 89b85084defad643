import { addressField } from '../../core/address';
import { f } from '../../core/fields';
import { defineFamily } from '../../core/family';
import { defineRecord, type RecordOf } from '../../core/record';
import { File } from '../files';

/**
 * The business metadata of one company (the x-org). Identity, members and plans live in Auth;
 * this row only holds what Base's own features need. Its id is the company id.
 */
export const Company = defineRecord({
  name: 'Company',
  table: 'companies',
  description: 'Business metadata of the current company (identity and members live in Auth).',
  fields: {
    displayName: f.text().nullable().describe('The name the company shows to people (at most 200 characters).'),
    legalName: f.text().nullable().describe('Its registered legal name, for contracts and invoices (at most 200 characters).'),
    currency: f
      .currency()
      .checked("$ ~ '^[A-Z]{3}$'")
      .describe('ISO-4217 currency (`EUR`) that new money records of the company are in unless they name another; `EUR` at first.'),
    timezone: f.timezone().describe('IANA time zone of the company (`Europe/Berlin`): new venues are in it unless they name another; `UTC` at first.'),
    address: addressField.nullable().describe('Its postal address, replaced whole on update.'),
    taxNumber: f.text(50).nullable().describe('Its tax or VAT number, as printed on its invoices (at most 50 characters).'),
    vatRegistered: f
      .boolean()
      .defaultTo(false)
      .describe('Whether the company is registered for VAT: then the VAT on its approved expenses is reclaimable (a settlement lists it apart), else it is a cost counted in the expenses; false at first.'),
    logoFileId: f
      .id()
      .nullable()
      .references(() => File)
      .describe('The logo: a file of this company (it cannot be deleted while named here); null for none.'),
  },
  // Its id is the company's: nothing needs (company_id, id) apart.
  referencedById: false,
  checks: { ck__companies__id_is_company: 'id = company_id' },
});
export type Company = RecordOf<typeof Company>;

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
  filters: {},
  order: (qb, a) => qb.orderBy(`${a}.id`, 'ASC'),
  description: 'The business metadata of the x-org company (made with defaults on first read).',
});
