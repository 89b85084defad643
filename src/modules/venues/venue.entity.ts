import { Entity } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { Address } from '../../core/address';
import { TenantEntity } from '../../db/base-entity';
import { IntColumn, JsonColumn, TextColumn } from '../../db/columns';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A place where events happen.' })
@Entity('venues')
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
