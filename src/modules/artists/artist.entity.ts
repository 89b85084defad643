import { Check, Entity, ForeignKey, Index, Unique } from 'typeorm';
import { Agency } from '../agencies';
import { Directive, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base-entity';
import { IdColumn, MoneyColumn, TextColumn, TextListColumn } from '../../db/columns';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A performing artist or act.' })
@Entity('artists')
// What the migrations create, so TypeORM's schema diff (migration:generate) drafts nothing;
// the partial and GIN indexes are the migrations' alone (synchronize: false).
@Unique('uq__artists__company_id_id', ['companyId', 'id'])
@ForeignKey(() => Agency, ['companyId', 'agencyId'], ['companyId', 'id'], { name: 'fk__artists__agency_id', onDelete: 'NO ACTION' })
@Check('ck__artists__default_fee_not_negative', 'default_fee IS NULL OR default_fee >= 0')
@Index('ix__artists__genres', { synchronize: false })
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__artists__list', { synchronize: false })
@Index('ix__artists__list_agency', { synchronize: false })
@Index('ix__artists__q_name', { synchronize: false })
export class Artist extends TenantEntity {
  @TextColumn()
  name: string;

  @IdColumn({ nullable: true, description: 'The agency that represents the artist.' })
  agencyId: string | null;

  @TextListColumn()
  genres: string[];

  @TextColumn({ nullable: true, description: 'ISO-3166 alpha-2 country code.' })
  country: string | null;

  @TextColumn({ nullable: true })
  city: string | null;

  @TextColumn({ nullable: true })
  email: string | null;

  @TextColumn({ nullable: true })
  phone: string | null;

  @TextColumn({ nullable: true })
  website: string | null;

  @TextColumn({ nullable: true })
  notes: string | null;

  @MoneyColumn({ nullable: true, description: 'Usual fee, in minor units of `currency`.' })
  defaultFee: number | null;

  @TextColumn({ description: 'ISO-4217 currency of the money fields (the company default when not given).' })
  currency: string;
}
