import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { TenantScope } from '../db/tenant-scope';
import { agencyModule, agencyResource } from '../modules/agency/agency.module';

/** DEV ONLY — the demo company the dev default serves. */
export const DEMO_COMPANY_ID = '5eed0000-0000-4000-8000-00000000d3e0';

/** Fills the demo company once (through the services, so the data passes the same rules). */
export async function seedDemoCompany(dataSource: DataSource, log: Logger): Promise<void> {
  const scope = new TenantScope(dataSource.manager, { companyId: DEMO_COMPANY_ID, userId: 'seed' });
  const existing = await scope.repo(agencyResource.entity).query().getCount();
  if (existing > 0) return;

  await scope.transaction(async (tx) => {
    for (const agency of [
      { key: 'northern-lights', name: 'Northern Lights Booking', email: 'hello@northernlights.example', website: 'https://northernlights.example' },
      { key: 'blue-room', name: 'Blue Room Agency', email: 'bookings@blueroom.example', phone: '+44 20 7946 0000' },
      { key: 'tidal-artists', name: 'Tidal Artists', notes: 'Electronic and club acts.' },
    ]) {
      await agencyModule.service.create(tx, agencyResource.inputs.parseCreate(agency));
    }
  });
  log.info({ companyId: DEMO_COMPANY_ID }, 'demo company seeded');
}
