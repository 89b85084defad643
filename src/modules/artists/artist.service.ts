import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { companyService } from '../company';
import { Artist } from './artist.entity';
import { artistFamily } from './artist.family';

class ArtistService extends FamilyService<Artist> {
  /** Money records default to the company's currency. */
  protected override async prepareCreate(scope: TenantScope, data: Partial<Artist>): Promise<Partial<Artist>> {
    return { ...data, currency: data.currency ?? (await companyService.currency(scope)) };
  }
}

export const artistService = new ArtistService(artistFamily);
