import { Check, Entity, Index, Unique } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base-entity';
import { BigIntColumn, IdColumn, TextColumn } from '../../db/columns';

/**
 * An uploaded file's metadata. Its bytes live in `file_chunks` (PostgreSQL, so every replica serves
 * them, under the same row-level security), written and read a chunk at a time.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An uploaded file: its metadata here, its bytes at `contentPath` (REST).' })
@Entity('files')
// What the migration creates, so TypeORM's schema diff drafts nothing; the partial index is the migration's alone.
@Unique('uq__files__company_id_id', ['companyId', 'id'])
@Check('ck__files__size_not_negative', 'size >= 0')
@Check('ck__files__sha256', "sha256 ~ '^[0-9a-f]{64}$'")
@Check('ck__files__entity', '(entity_type IS NULL) = (entity_id IS NULL)')
@Index('ix__files__entity', { synchronize: false })
// A list's order and filters (migrations/1764001960000-ListIndexes.ts).
@Index('ix__files__list', { synchronize: false })
@Index('ix__files__list_entity_type', { synchronize: false })
@Index('ix__files__list_entity', { synchronize: false })
export class File extends TenantEntity {
  @TextColumn({ description: 'The name it was uploaded with (shown, and offered when it is downloaded).' })
  name: string;

  @TextColumn({ description: 'The media type the uploader declared; it is served with it.' })
  contentType: string;

  @BigIntColumn({ description: 'Its length in bytes.' })
  size: number;

  @TextColumn({ description: 'SHA-256 of its bytes, lower-case hex (also its ETag).' })
  sha256: string;

  @TextColumn({ nullable: true, description: 'The GraphQL type of the record it is attached to (`Event`, `Agreement`, …).' })
  entityType: string | null;

  @IdColumn({ nullable: true, description: 'The record it is attached to.' })
  entityId: string | null;
}

/** What names a family's GraphQL type (`Event`): an attachment's `entityType`. */
export const TYPE_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;
