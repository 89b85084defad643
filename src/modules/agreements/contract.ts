import { renderPdf, type PdfSection } from '../../core/pdf';
import type { TenantScope } from '../../db/tenant-scope';
import { Venue } from '../venues';
import type { Agreement } from './agreement.family';
import { dealRows, type DealTermsText, radiusText, scheduleRows } from './deal-terms';
import { readShow, scheduleAndRadius, venueLine } from './show-document';

/**
 * The contract of an agreement: the parties, the show and the terms as they were kept when the
 * offer was accepted (`terms`, never changed since). Nothing of the agreement's own state is in it,
 * so the bytes read before signing are the bytes signed; its creation date is the agreement's.
 */
export async function renderContract(agreement: Agreement, scope: TenantScope): Promise<Buffer> {
  const terms = agreement.terms as Record<string, unknown> & Partial<DealTermsText>;
  const eventId = agreement.eventId ?? (typeof terms.eventId === 'string' ? terms.eventId : null);
  const [head, artist, event] = await readShow(scope, agreement.artistId, eventId);
  const venueId = typeof terms.venueId === 'string' ? terms.venueId : (event?.venueId ?? null);
  const venue = venueId ? await scope.byId(Venue).load(venueId) : null;
  const { format } = head;
  const day = typeof terms.date === 'string' ? format.day(terms.date) : event ? format.dateTime(event.startsAt) : '-';
  const currency = typeof terms.currency === 'string' ? terms.currency : head.currency;
  const deal: DealTermsText = { ...terms, dealType: String(terms.dealType ?? '-'), currency };
  const schedule = scheduleRows(terms.schedule as Record<string, unknown> | null);
  const radius = radiusText(terms.radius as { km?: unknown; days?: unknown } | null);

  const sections: PdfSection[] = [
    { heading: 'Parties', rows: [['Promoter', [head.issuer, ...head.issuerLines].join(', ')], ['Artist', artist?.name ?? agreement.artistId]] },
    {
      heading: 'The show',
      rows: [
        ['Event', event?.name ?? null],
        ['Venue', venueLine(venue)],
        ['Date', day],
      ],
    },
    { heading: 'Deal', rows: dealRows(deal, format) },
    ...scheduleAndRadius(schedule, radius),
    ...(typeof terms.terms === 'string' && terms.terms.trim() ? [{ heading: 'Terms', text: terms.terms.split(/\n{2,}/) }] : []),
    {
      heading: 'Signature',
      text: [
        'Signed electronically in Kisum Base: the signer\'s name and email address, the time, and the SHA-256 of this document as signed are kept with the agreement.',
      ],
    },
  ];
  return renderPdf({
    issuer: head.issuer,
    issuerLines: head.issuerLines,
    title: 'Performance agreement',
    subtitle: `${artist?.name ?? 'Artist'} - ${day}`,
    createdAt: agreement.createdAt,
    sections,
    footer: `Agreement ${agreement.id}, from offer ${agreement.offerId}${typeof terms.offerVersion === 'number' ? ` (version ${terms.offerVersion})` : ''}`,
  });
}

/** `contract-<artist>-<day of the show>.pdf` (made safe where it is served). */
export async function contractFileName(agreement: Agreement, scope: TenantScope): Promise<string> {
  const [head, artist, event] = await readShow(scope, agreement.artistId, agreement.eventId);
  const day = typeof agreement.terms.date === 'string' ? agreement.terms.date : head.format.isoDay(event?.startsAt ?? agreement.createdAt);
  return `contract-${artist?.name ?? 'artist'}-${day}.pdf`;
}
