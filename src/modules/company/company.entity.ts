import { Check, Entity, ForeignKey } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { IdColumn, JsonColumn, TextColumn } from '../../db/columns';
import { Address } from '../../core/address';
import { TenantEntity } from '../../db/base-entity';
import { File } from '../files';

/**
 * The business metadata of one company (the x-org). Identity, members and plans live in Auth;
 * this row only holds what Base's own features need. Its id is the company id.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'Business metadata of the current company (identity and members live in Auth).' })
@Entity('companies')
// What the migrations create, so TypeORM's schema diff (migration:generate) drafts nothing.
@Check('ck__companies__id_is_company', 'id = company_id')
@Check('ck__companies__currency', "currency ~ '^[A-Z]{3}$'")
@ForeignKey(() => File, ['companyId', 'logoFileId'], ['companyId', 'id'], { name: 'fk__companies__logo_file_id', onDelete: 'NO ACTION' })
export class Company extends TenantEntity {
  @TextColumn({ nullable: true })
  displayName: string | null;

  @TextColumn({ nullable: true })
  legalName: string | null;

  @TextColumn({ description: 'Default ISO-4217 currency of new money records.' })
  currency: string;

  @TextColumn({ description: 'IANA time zone.' })
  timezone: string;

  @JsonColumn(Address, { nullable: true })
  address: Address | null;

  @TextColumn({ nullable: true })
  taxNumber: string | null;

  @IdColumn({ nullable: true, description: 'The logo: a file of this company (it cannot be deleted while named here).' })
  logoFileId: string | null;
}
