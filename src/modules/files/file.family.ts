import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { filters } from '../../core/listing';
import { File, TYPE_NAME } from './file.entity';
import { fileStorage } from './file.service';

export const fileFamily = defineFamily({
  entity: File,
  resource: 'file',
  singular: 'file',
  plural: 'files',
  description: 'Uploaded files, optionally attached to a record of another family; the bytes are streamed in and out.',
  // Made only by the upload; never changed afterwards (a new version is a new file).
  operations: ['list', 'one', 'delete'],
  fields: {},
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
