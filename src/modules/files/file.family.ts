import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
import { fileStorage } from './file.service';

/** What names a family's GraphQL type (`Event`): an attachment's `entityType`. */
export const TYPE_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

/**
 * An uploaded file's metadata, all of it set by the upload. Its bytes live in `file_chunks`
 * (PostgreSQL, so every replica serves them, under the same row-level security), written and read a
 * chunk at a time (file.service.ts).
 */
export const File = defineRecord({
  name: 'File',
  table: 'files',
  description: 'An uploaded file: its metadata here, its bytes at `contentPath` (REST).',
  fields: {
    name: f.text(255).readOnly().describe('The name it was uploaded with, without any path (shown, and offered when it is downloaded).'),
    contentType: f.text().readOnly().describe('The media type the uploader declared (`application/octet-stream` when none); it is served with it.'),
    size: f.bigint().readOnly().checked().describe('Its length in bytes.'),
    sha256: f
      .text(64)
      .readOnly()
      .checked("$ ~ '^[0-9a-f]{64}$'")
      .describe('SHA-256 of its bytes, lower-case hex (also its ETag).'),
    entityType: f
      .pattern(TYPE_NAME, 'must be a GraphQL type name such as Event')
      .nullable()
      .readOnly()
      .describe('The GraphQL type of the record it is attached to (`Event`, `Agreement`, …); null when it is attached to none.'),
    entityId: f.id().nullable().readOnly().describe('The record it is attached to; null when none (or once that record was deleted).'),
  },
  checks: { ck__files__entity: '(entity_type IS NULL) = (entity_id IS NULL)' },
  // The partial index of attachments; a list's order and filters (migrations/1764001960000-ListIndexes.ts).
  indexes: ['ix__files__entity', 'ix__files__list', 'ix__files__list_entity_type', 'ix__files__list_entity'],
});
export type File = RecordOf<typeof File>;

export const fileFamily = defineFamily({
  entity: File,
  resource: 'file',
  singular: 'file',
  plural: 'files',
  description: 'Uploaded files, optionally attached to a record of another family; the bytes are streamed in and out.',
  // Made only by the upload; never changed afterwards (a new version is a new file).
  operations: ['list', 'one', 'delete'],
  filters: {
    entityType: filters.equals('entityType', f.pattern(TYPE_NAME, 'must be a GraphQL type name such as Event'), { description: 'Files attached to records of this type' }),
    entityId: filters.equals('entityId', f.id(), { description: 'Files attached to this record' }),
  },
  order: (qb, a) => qb.orderBy(`${a}.createdAt`, 'DESC'),
  uploads: {
    upload: {
      permission: 'create',
      description:
        'Upload one file (multipart/form-data, the bytes in the part `file`; `entityType` and `entityId`, to attach it to a record you can see, in parts before it). Over FILE_MAX_BYTES is 413 and nothing is kept.',
      input: {
        entityType: f.pattern(TYPE_NAME, 'must be a GraphQL type name such as Event').describe('The type of the record to attach it to (`Event`, `Agreement`, …).'),
        entityId: f.id().describe('The record to attach it to, one of this company.'),
      },
      run: (content, input, tx, caller) => fileStorage.store(content, input, tx, caller),
    },
  },
  downloads: {
    content: {
      permission: 'view',
      description: 'The bytes, streamed with the declared type (ranges, ETag); anything a browser would run is served as an attachment.',
      open: (file, scope) => fileStorage.open(file, scope),
    },
  },
});
