import { addressField } from '../../core/address';
import { CrudService } from '../../core/crud-service';
import { crudModule } from '../../core/crud-module';
import { f } from '../../core/fields';
import { filters } from '../../core/listing';
import { defineResource } from '../../core/resource';
import type { TenantScope } from '../../db/tenant-scope';
import { companyService } from '../company/company.service';
import { Venue } from './venue.entity';

export const venueResource = defineResource({
  entity: Venue,
  resource: 'venue',
  singular: 'venue',
  plural: 'venues',
  fields: {
    name: f.text().required(),
    address: addressField().nullable(),
    timezone: f.timezone(),
    capacity: f.int(1).nullable(),
    notes: f.longText().nullable(),
  },
  filters: {
    q: filters.search(['name'], 'Text contained in the name'),
    city: filters.jsonText('address', 'city', 'The city of the address (case-insensitive)'),
  },
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC'),
});

class VenueService extends CrudService<Venue> {
  protected override async prepareCreate(scope: TenantScope, data: Partial<Venue>): Promise<Partial<Venue>> {
    return { ...data, timezone: data.timezone ?? (await companyService.current(scope)).timezone };
  }
}

export const venueModule = crudModule(venueResource, new VenueService(venueResource));
