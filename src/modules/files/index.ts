/** What other families may use of Files: the entity their file references point at. */
export { File, fileFamily } from './file.family';
export { fileStorage } from './file.service';
export { fileModule } from './file.module';
