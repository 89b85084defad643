/** What other families may use of Artists. */
export { Artist, artistFamily, artistService } from './artist.family';
export { artistModule } from './artist.module';
