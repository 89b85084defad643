/** What other families may use of Files: the entity their file references point at. */
export { File } from './file.entity';
export { fileFamily } from './file.family';
export { fileStorage } from './file.service';
export { fileModule } from './file.module';
