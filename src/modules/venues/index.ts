/** What other families may use of Venues. */
export { Venue } from './venue.entity';
export { venueFamily } from './venue.family';
export { venueService } from './venue.service';
export { venueModule } from './venue.module';
