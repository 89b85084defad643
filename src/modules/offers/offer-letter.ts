import { renderPdf, type PdfSection } from '../../core/pdf';
import type { TenantScope } from '../../db/tenant-scope';
import { dealRows, radiusText, readShow, scheduleAndRadius, scheduleRows, venueLine } from '../agreements';
import { Venue } from '../venues';
import type { Offer } from './offer.family';

/**
 * The offer letter: to the artist, for the show, the deal, the day's schedule, the radius clause and
 * when the offer lapses, as the offer reads now. Its creation date is the offer's last change.
 */
export async function renderOfferLetter(offer: Offer, scope: TenantScope): Promise<Buffer> {
  const [head, artist, event] = await readShow(scope, offer.artistId, offer.eventId);
  const venueId = offer.venueId ?? event?.venueId ?? null;
  const venue = venueId ? await scope.byId(Venue).load(venueId) : null;
  const { format } = head;
  const day = offer.date ? format.day(offer.date) : event ? format.dateTime(event.startsAt) : '-';
  const schedule = scheduleRows(offer.schedule as Record<string, unknown> | null);
  const radius = radiusText(offer.radius);

  const sections: PdfSection[] = [
    {
      heading: 'The show',
      rows: [
        ['Artist', artist?.name ?? offer.artistId],
        ['Event', event?.name ?? null],
        ['Venue', venueLine(venue)],
        ['Date', day],
      ],
    },
    { heading: 'Deal', rows: dealRows(offer, format) },
    ...scheduleAndRadius(schedule, radius),
    {
      heading: 'Validity',
      rows: [
        ['Status', offer.status],
        ['Expires', offer.expiresAt ? format.dateTime(offer.expiresAt) : 'No expiry set'],
      ],
    },
    ...(offer.terms?.trim() ? [{ heading: 'Terms', text: offer.terms.split(/\n{2,}/) }] : []),
  ];
  return renderPdf({
    issuer: head.issuer,
    issuerLines: head.issuerLines,
    title: 'Offer',
    subtitle: `${artist?.name ?? 'Artist'} - ${day}`,
    createdAt: offer.updatedAt,
    sections,
    footer: `Offer ${offer.id}, version ${offer.version}`,
  });
}

/** `offer-<artist>-<day of the show>.pdf` (made safe where it is served). */
export async function offerLetterFileName(offer: Offer, scope: TenantScope): Promise<string> {
  const [head, artist, event] = await readShow(scope, offer.artistId, offer.eventId);
  return `offer-${artist?.name ?? 'artist'}-${offer.date ?? head.format.isoDay(event?.startsAt ?? offer.createdAt)}.pdf`;
}
