import type { FamilyModule } from '../../core/module';
import { Venue } from './venue.entity';
import { venueFamily } from './venue.family';
import { venueService } from './venue.service';

export const venueModule: FamilyModule<Venue> = { family: venueFamily, service: venueService };
