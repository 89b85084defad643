import { Column, Entity } from 'typeorm';
import { Directive, Field, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base-entity';
import { graphqlEnum } from '../../graphql/enums';

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
export class Vendor extends TenantEntity {
  @Field()
  @Column('text')
  name: string;

  @Field(() => VendorCategoryEnum)
  @Column('text')
  category: VendorCategory;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  taxNumber: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  notes: string | null;
}
