import { Check, Entity, Index, Unique } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { Address } from '../../core/address';
import { TenantEntity } from '../../db/base-entity';
import { IntColumn, JsonColumn, TextColumn } from '../../db/columns';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A place where events happen.' })
@Entity('venues')
// What the migrations create, so TypeORM's schema diff (migration:generate) drafts nothing;
// the expression index on the city is the migrations' alone (synchronize: false).
@Unique('uq__venues__company_id_id', ['companyId', 'id'])
@Check('ck__venues__capacity_positive', 'capacity IS NULL OR capacity > 0')
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__venues__list', { synchronize: false })
@Index('ix__venues__list_city', { synchronize: false })
@Index('ix__venues__q_name', { synchronize: false })
export class Venue extends TenantEntity {
  @TextColumn()
  name: string;

  @JsonColumn(Address, { nullable: true })
  address: Address | null;

  @TextColumn({ description: 'IANA time zone of the venue (the company default when not given).' })
  timezone: string;

  @IntColumn({ nullable: true, description: 'Licensed capacity (> 0).' })
  capacity: number | null;

  @TextColumn({ nullable: true })
  notes: string | null;
}
