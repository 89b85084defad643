import type { Caller, TestBase } from '../support/harness';
import { createVia } from '../support/fixtures';

/** Records the events and tickets tests make over REST. */
/* eslint-disable @typescript-eslint/no-explicit-any */

export const STARTS = '2031-06-01T20:00:00.000Z';

export const createEvent = (base: TestBase, actor: Caller, body: Record<string, unknown> = {}): Promise<any> =>
  createVia(base, actor, '/api/events', { name: 'Show', startsAt: STARTS, ...body });

export const createArtist = (base: TestBase, actor: Caller, name: string): Promise<any> => createVia(base, actor, '/api/artists', { name });

export const createVenue = (base: TestBase, actor: Caller, name = 'Hall'): Promise<any> => createVia(base, actor, '/api/venues', { name });

export const createTier = (base: TestBase, actor: Caller, eventId: string, body: Record<string, unknown> = {}): Promise<any> =>
  createVia(base, actor, `/api/events/${eventId}/tickets`, { name: 'General', price: 2500, quantity: 100, ...body });

/** An event whose tickets are on sale. */
export async function eventOnSale(base: TestBase, actor: Caller, body: Record<string, unknown> = {}): Promise<any> {
  const event = await createEvent(base, actor, body);
  const res = await base.rest('POST', `/api/events/${event.id}/openSales`, { as: actor, body: {} });
  if (res.status !== 200) throw new Error(`openSales failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}
