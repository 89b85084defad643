import type { FamilyModule } from '../../core/module';
import { FamilyService } from '../../core/service';
import { File } from './file.entity';
import { fileFamily } from './file.family';
import { fileStorage } from './file.service';

export const fileModule: FamilyModule<File> = {
  family: fileFamily,
  // Made only by the upload (file.service.ts); read, listed and deleted like any record.
  service: new FamilyService(fileFamily),
  handlers: {
    '*': [(event, tx) => fileStorage.detachFrom(event, tx)],
  },
};
