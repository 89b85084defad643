import { Check, Entity, Index, Unique } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { EnumColumn, TextColumn } from '../../db/columns';
import { TenantEntity } from '../../db/base-entity';
import { graphqlEnum } from '../../core/enums';

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

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A supplier of goods or services for events.' })
@Entity('vendors')
// What the migrations create, so TypeORM's schema diff (migration:generate) drafts nothing.
@Unique('uq__vendors__company_id_id', ['companyId', 'id'])
@Check('ck__vendors__category', `category IN (${VENDOR_CATEGORIES.map((c) => `'${c}'`).join(', ')})`)
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__vendors__list', { synchronize: false })
@Index('ix__vendors__list_category', { synchronize: false })
@Index('ix__vendors__q_name', { synchronize: false })
export class Vendor extends TenantEntity {
  @TextColumn()
  name: string;

  @EnumColumn(VendorCategoryEnum)
  category: VendorCategory;

  @TextColumn({ nullable: true })
  email: string | null;

  @TextColumn({ nullable: true })
  phone: string | null;

  @TextColumn({ nullable: true })
  taxNumber: string | null;

  @TextColumn({ nullable: true })
  notes: string | null;
}
