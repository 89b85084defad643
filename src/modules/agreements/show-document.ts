import type { PdfSection } from '../../core/pdf';
import type { TenantScope } from '../../db/tenant-scope';
import { Artist } from '../artists';
import { addressLine, letterhead, type Letterhead } from '../company';
import { Event } from '../events';
import type { Venue } from '../venues';

/**
 * What the documents of a show (an offer letter, a contract) are about, read in one batch: the
 * company's letterhead, the artist, and the event when there is one.
 */
export function readShow(scope: TenantScope, artistId: string, eventId: string | null): Promise<readonly [Letterhead, Artist | null, Event | null]> {
  return scope.all([
    () => letterhead(scope),
    () => scope.byId(Artist).load(artistId),
    () => (eventId ? scope.byId(Event).load(eventId) : Promise.resolve(null)),
  ] as const);
}

/** A venue as a document names it: its name and address on one line. */
export function venueLine(venue: Venue | null): string | null {
  return venue ? [venue.name, addressLine(venue.address)].filter(Boolean).join(', ') : null;
}

/** The day's schedule and the radius clause, each as a section where the terms have it. */
export function scheduleAndRadius(schedule: [string, string][], radius: string | null): PdfSection[] {
  return [
    ...(schedule.length ? [{ heading: 'Schedule (times of day at the venue)', rows: schedule }] : []),
    ...(radius ? [{ heading: 'Radius', text: [radius] }] : []),
  ];
}
