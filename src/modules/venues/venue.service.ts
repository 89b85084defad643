import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { companyService } from '../company';
import { Venue } from './venue.entity';
import { venueFamily } from './venue.family';

class VenueService extends FamilyService<Venue> {
  /** A venue without a time zone is in the company's. */
  protected override async prepareCreate(scope: TenantScope, data: Partial<Venue>): Promise<Partial<Venue>> {
    return { ...data, timezone: data.timezone ?? (await companyService.current(scope)).timezone };
  }
}

export const venueService = new VenueService(venueFamily);
