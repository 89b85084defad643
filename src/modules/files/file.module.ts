import type { FamilyModule } from '../../core/module';
import { File, fileFamily } from './file.family';
import { fileStorage } from './file.service';

export const fileModule: FamilyModule<File> = {
  family: fileFamily,
  handlers: {
    '*': [(event, tx) => fileStorage.detachFrom(event, tx)],
  },
};
