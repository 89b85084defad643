/** What other families may use of Venues. */
export { Venue, venueFamily, venueService } from './venue.family';
