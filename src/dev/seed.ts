import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { TenantScope } from '../db/tenant-scope';
import { agencyFamily, agencyService } from '../modules/agencies';
import { artistFamily, artistService } from '../modules/artists';
import { venueFamily, venueService } from '../modules/venues';
import { vendorFamily, vendorService } from '../modules/vendors';

/** DEV ONLY — the demo company the dev default serves. */
export const DEMO_COMPANY_ID = '5eed0000-0000-4000-8000-00000000d3e0';

/** Fills the demo company once, through the services, so the data passes the same rules. */
export async function seedDemoCompany(dataSource: DataSource, log: Logger): Promise<void> {
  const scope = new TenantScope(dataSource.manager, { companyId: DEMO_COMPANY_ID, userId: 'seed' });
  if ((await scope.repo(agencyFamily.entity).page({ page: 1, limit: 1 })).total > 0) return;

  await scope.transaction(async (tx) => {
    const agencies = [];
    for (const agency of [
      { key: 'northern-lights', name: 'Northern Lights Booking', email: 'hello@northernlights.example', website: 'https://northernlights.example' },
      { key: 'blue-room', name: 'Blue Room Agency', email: 'bookings@blueroom.example', phone: '+44 20 7946 0000' },
      { key: 'tidal-artists', name: 'Tidal Artists', notes: 'Electronic and club acts.' },
    ]) {
      agencies.push(await agencyService.create(tx, agencyFamily.inputs.parseCreate(agency)));
    }
    for (const [i, artist] of [
      { name: 'The Aurora Set', genres: ['indie', 'rock'], country: 'NO', city: 'Oslo', defaultFee: 250000 },
      { name: 'Marlowe Quartet', genres: ['jazz'], country: 'GB', city: 'London', defaultFee: 120000 },
      { name: 'Kite Theory', genres: ['electronic'], country: 'DE', city: 'Berlin', defaultFee: 400000 },
      { name: 'Saltwater Choir', genres: ['folk'], country: 'IE', city: 'Galway' },
    ].entries()) {
      await artistService.create(tx, artistFamily.inputs.parseCreate({ ...artist, agencyId: agencies[i % agencies.length].id }));
    }
    for (const venue of [
      { name: 'The Lantern Hall', capacity: 1200, timezone: 'Europe/Berlin', address: { line1: 'Lichtstraße 4', city: 'Berlin', postalCode: '10115', country: 'DE' } },
      { name: 'Harbour Room', capacity: 350, timezone: 'Europe/London', address: { line1: '2 Quay Street', city: 'Bristol', country: 'GB' } },
    ]) {
      await venueService.create(tx, venueFamily.inputs.parseCreate(venue));
    }
    for (const vendor of [
      { name: 'Loud & Clear PA', category: 'sound', email: 'hire@loudclear.example' },
      { name: 'Green Room Catering', category: 'catering' },
      { name: 'Night Watch Security', category: 'security', taxNumber: 'DE123456789' },
    ]) {
      await vendorService.create(tx, vendorFamily.inputs.parseCreate(vendor));
    }
  });
  log.info({ companyId: DEMO_COMPANY_ID }, 'demo company seeded');
}
