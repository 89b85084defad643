import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Composition } from '../core/composition';
import { TenantScope } from '../db/tenant-scope';
import { agencyFamily, agencyService } from '../modules/agencies';
import { artistFamily, artistService } from '../modules/artists';
import { venueFamily, venueService } from '../modules/venues';
import { vendorFamily, vendorService } from '../modules/vendors';
import { availFamily, availService } from '../modules/avails';
import { eventFamily, eventService } from '../modules/events';
import { expenseFamily, expenseService } from '../modules/expenses';
import { incomeFamily, incomeService } from '../modules/incomes';
import { offerFamily, offerService } from '../modules/offers';
import { ticketFamily, ticketService } from '../modules/tickets';

const DAY = 86_400_000;
/** A calendar day `days` from now (UTC). */
const dayFromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
/** 20:00 UTC on that day. */
const eveningOf = (days: number) => `${dayFromNow(days)}T20:00:00.000Z`;

/** DEV ONLY — the demo company the dev default serves. */
export const DEMO_COMPANY_ID = '5eed0000-0000-4000-8000-00000000d3e0';

/** Fills the demo company once, through the services, so the data passes the same rules. */
export async function seedDemoCompany(dataSource: DataSource, composition: Composition, log: Logger): Promise<void> {
  const scope = new TenantScope(dataSource.manager, { companyId: DEMO_COMPANY_ID, userId: 'seed' }, null, undefined, undefined, composition);
  if ((await scope.repo(agencyFamily.entity).page({ page: 1, limit: 1 })).total > 0) return;

  await scope.transaction(async (tx) => {
    const agencies = [];
    const artists = [];
    const venues = [];
    const vendors = [];
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
      artists.push(await artistService.create(tx, artistFamily.inputs.parseCreate({ ...artist, agencyId: agencies[i % agencies.length].id })));
    }
    for (const venue of [
      { name: 'The Lantern Hall', capacity: 1200, timezone: 'Europe/Berlin', address: { line1: 'Lichtstraße 4', city: 'Berlin', postalCode: '10115', country: 'DE' } },
      { name: 'Harbour Room', capacity: 350, timezone: 'Europe/London', address: { line1: '2 Quay Street', city: 'Bristol', country: 'GB' } },
    ]) {
      venues.push(await venueService.create(tx, venueFamily.inputs.parseCreate(venue)));
    }
    for (const vendor of [
      { name: 'Loud & Clear PA', category: 'sound', email: 'hire@loudclear.example' },
      { name: 'Green Room Catering', category: 'catering' },
      { name: 'Night Watch Security', category: 'security', taxNumber: 'DE123456789' },
    ]) {
      vendors.push(await vendorService.create(tx, vendorFamily.inputs.parseCreate(vendor)));
    }

    // A show on sale in two weeks: two ticket tiers with sales, and the headliner's accepted offer.
    const [aurora, marlowe, kite] = artists;
    const [lantern, harbour] = venues;
    const upcoming = await eventService.create(
      tx,
      eventFamily.inputs.parseCreate({
        name: 'Aurora Set — Winter Lights', venueId: lantern.id, startsAt: eveningOf(14), doorsAt: `${dayFromNow(14)}T19:00:00.000Z`,
        capacity: 1200, currency: 'EUR', taxRate: 700, lineup: [aurora.id, kite.id],
      }),
    );
    await eventService.act(tx, 'openSales', upcoming.id, {});
    for (const [tier, sold] of [[{ name: 'Early bird', price: 2500, fee: 200, quantity: 300 }, 300], [{ name: 'General', price: 3200, fee: 250, quantity: 850, kills: 20 }, 412]] as const) {
      const ticket = await ticketService.create(tx, ticketFamily.inputs.parseCreate(tier), upcoming.id);
      await ticketService.act(tx, 'sales', ticket.id, { quantity: sold }, upcoming.id);
    }
    const offer = await offerService.create(
      tx,
      offerFamily.inputs.parseCreate({
        artistId: aurora.id, eventId: upcoming.id, dealType: 'versus', currency: 'EUR', guarantee: 800000, percentage: 8500,
        percentageOf: 'net', terms: 'Versus 85 % of net after expenses; hospitality for 8.',
      }),
    );
    await offerService.act(tx, 'send', offer.id, {});
    await offerService.act(tx, 'accept', offer.id, {});

    // A show that has happened: income and expenses, one waiting for approval.
    const past = await eventService.create(
      tx,
      eventFamily.inputs.parseCreate({ name: 'Marlowe Quartet Live', venueId: harbour.id, startsAt: eveningOf(-10), capacity: 350, currency: 'GBP', lineup: [marlowe.id] }),
    );
    await eventService.act(tx, 'announce', past.id, {});
    await eventService.act(tx, 'complete', past.id, {});
    await incomeService.create(tx, incomeFamily.inputs.parseCreate({ category: 'bar', description: 'Bar takings', amount: 184000 }), past.id);
    const pa = await expenseService.create(
      tx,
      expenseFamily.inputs.parseCreate({ category: 'production', vendorId: vendors[0].id, description: 'PA and engineer', amount: 65000 }),
      past.id,
    );
    await expenseService.act(tx, 'submit', pa.id, {}, past.id);
    await expenseService.create(tx, expenseFamily.inputs.parseCreate({ category: 'hospitality', vendorId: vendors[1].id, description: 'Rider and dinner', amount: 22000 }), past.id);

    // Holds on one date at the Harbour Room, a first hold and a second one below it: three weeks out,
    // inside the dashboard's default period (the next 30 days), so the demo dashboard shows them.
    for (const [artist, note] of [[kite, 'Waiting for routing'], [marlowe, 'Second hold, strong interest']] as const) {
      await availService.create(tx, availFamily.inputs.parseCreate({ date: dayFromNow(21), venueId: harbour.id, artistId: artist.id, note }));
    }
  });
  log.info({ companyId: DEMO_COMPANY_ID }, 'demo company seeded');
}
