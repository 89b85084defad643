/** What other families may use of Artists. */
export { Artist } from './artist.entity';
export { artistFamily } from './artist.family';
export { artistService } from './artist.service';
export { artistModule } from './artist.module';
