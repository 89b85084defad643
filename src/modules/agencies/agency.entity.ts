import { Entity, Index, Unique } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base-entity';
import { TextColumn } from '../../db/columns';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A booking agency that represents artists.' })
@Entity('agencies')
// What the migrations create, so TypeORM's schema diff (migration:generate) drafts nothing.
@Unique('uq__agencies__company_id_id', ['companyId', 'id'])
@Unique('uq__agencies__key', ['companyId', 'key'])
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__agencies__list', { synchronize: false })
@Index('ix__agencies__q_name', { synchronize: false })
@Index('ix__agencies__q_key', { synchronize: false })
export class Agency extends TenantEntity {
  @TextColumn({ description: 'Business key, unique within the company (a-z, 0-9, dashes).' })
  key: string;

  @TextColumn()
  name: string;

  @TextColumn({ nullable: true })
  email: string | null;

  @TextColumn({ nullable: true })
  phone: string | null;

  @TextColumn({ nullable: true })
  website: string | null;

  @TextColumn({ nullable: true })
  notes: string | null;
}
