import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { TenantScope } from '../db/tenant-scope';
import { agencyModule, agencyResource } from '../modules/agency/agency.module';
import { artistModule, artistResource } from '../modules/artist/artist.module';
import { venueModule, venueResource } from '../modules/venue/venue.module';
import { vendorModule, vendorResource } from '../modules/vendor/vendor.module';

/** DEV ONLY — the demo company the dev default serves. */
export const DEMO_COMPANY_ID = '5eed0000-0000-4000-8000-00000000d3e0';

/** Fills the demo company once, through the services, so the data passes the same rules. */
export async function seedDemoCompany(dataSource: DataSource, log: Logger): Promise<void> {
  const scope = new TenantScope(dataSource.manager, { companyId: DEMO_COMPANY_ID, userId: 'seed' });
  if ((await scope.repo(agencyResource.entity).query().getCount()) > 0) return;

  await scope.transaction(async (tx) => {
    const agencies = [];
    for (const agency of [
      { key: 'northern-lights', name: 'Northern Lights Booking', email: 'hello@northernlights.example', website: 'https://northernlights.example' },
      { key: 'blue-room', name: 'Blue Room Agency', email: 'bookings@blueroom.example', phone: '+44 20 7946 0000' },
      { key: 'tidal-artists', name: 'Tidal Artists', notes: 'Electronic and club acts.' },
    ]) {
      agencies.push(await agencyModule.service.create(tx, agencyResource.inputs.parseCreate(agency)));
    }
    for (const [i, artist] of [
      { name: 'The Aurora Set', genres: ['indie', 'rock'], country: 'NO', city: 'Oslo', defaultFee: 250000 },
      { name: 'Marlowe Quartet', genres: ['jazz'], country: 'GB', city: 'London', defaultFee: 120000 },
      { name: 'Kite Theory', genres: ['electronic'], country: 'DE', city: 'Berlin', defaultFee: 400000 },
      { name: 'Saltwater Choir', genres: ['folk'], country: 'IE', city: 'Galway' },
    ].entries()) {
      await artistModule.service.create(tx, artistResource.inputs.parseCreate({ ...artist, agencyId: agencies[i % agencies.length].id }));
    }
    for (const venue of [
      { name: 'The Lantern Hall', capacity: 1200, timezone: 'Europe/Berlin', address: { line1: 'Lichtstraße 4', city: 'Berlin', postalCode: '10115', country: 'DE' } },
      { name: 'Harbour Room', capacity: 350, timezone: 'Europe/London', address: { line1: '2 Quay Street', city: 'Bristol', country: 'GB' } },
    ]) {
      await venueModule.service.create(tx, venueResource.inputs.parseCreate(venue));
    }
    for (const vendor of [
      { name: 'Loud & Clear PA', category: 'sound', email: 'hire@loudclear.example' },
      { name: 'Green Room Catering', category: 'catering' },
      { name: 'Night Watch Security', category: 'security', taxNumber: 'DE123456789' },
    ]) {
      await vendorModule.service.create(tx, vendorResource.inputs.parseCreate(vendor));
    }
  });
  log.info({ companyId: DEMO_COMPANY_ID }, 'demo company seeded');
}
