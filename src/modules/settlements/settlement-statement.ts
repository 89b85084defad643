import { renderPdf, type PdfSection } from '../../core/pdf';
import type { TenantScope } from '../../db/tenant-scope';
import { dealSummary } from '../agreements';
import { Artist } from '../artists';
import { letterhead } from '../company';
import type { Event } from '../events';
import { Offer } from '../offers';
import { Venue } from '../venues';
import type { Settlement } from './settlement.family';

/**
 * The settlement statement of an event: every line of its settlement as `GET …/settlement` reads it,
 * the deal and payout of each lineup artist, and who settled it and when; `PROVISIONAL` across every
 * page while the event is not settled (its figures still move). Its creation date is the settlement's
 * (or, before it, the event's last change).
 */
export async function renderSettlementStatement(event: Event, settlement: Settlement, scope: TenantScope): Promise<Buffer> {
  const payouts = [...settlement.payouts, ...settlement.otherCurrencies.flatMap((c) => c.payouts)];
  const [head, venue, artists, offers] = await scope.all([
    () => letterhead(scope),
    () => (event.venueId ? scope.byId(Venue).load(event.venueId) : Promise.resolve(null)),
    () => scope.byId(Artist).loadMany(payouts.map((p) => p.artistId)),
    () => scope.byId(Offer).loadMany(payouts.map((p) => p.offerId)),
  ] as const);
  const { format } = head;
  const c = settlement.currency;
  const m = (amount: number) => format.money(amount, c);
  const nameOf = (i: number) => {
    const artist = artists[i];
    return artist && !(artist instanceof Error) ? artist.name : payouts[i].artistId;
  };
  const dealOf = (i: number) => {
    const offer = offers[i];
    if (!offer || offer instanceof Error) return payouts[i].dealType;
    const extras = [
      offer.expenseCap !== null ? `expense cap ${format.money(offer.expenseCap, offer.currency)}` : null,
      offer.promoterProfit !== null ? `promoter profit ${format.percent(offer.promoterProfit)}` : null,
    ].filter(Boolean);
    return [dealSummary(offer, format), ...extras].join(', ');
  };
  const ownPayouts = settlement.payouts.length;

  const sections: PdfSection[] = [
    {
      heading: 'The event',
      rows: [
        ['Event', event.name],
        ['Venue', venue?.name ?? null],
        ['Starts', format.dateTime(event.startsAt)],
        ['Currency', c],
      ],
    },
    {
      heading: 'Statement',
      rows: [
        ['Gross ticket sales', m(settlement.gross)],
        ['Ticket fees', m(settlement.fees)],
        ['Adjusted gross', m(settlement.adjustedGross)],
        [`Tax${event.taxRate ? ` (${format.percent(event.taxRate)}, included in prices)` : ''}`, m(settlement.tax)],
        ['Net gross', m(settlement.netGross)],
        ['Other income', m(settlement.otherIncome)],
        [`Expenses (approved, artist fees excepted${settlement.vatReclaimable ? ', net of VAT' : ''})`, m(settlement.expenses)],
        ...(settlement.vatReclaimable ? [['VAT on expenses, reclaimable', m(settlement.vatReclaimable)] as [string, string]] : []),
        ['Promoter profit (headliner deal)', m(settlement.promoterProfit)],
        ['Split point (headliner deal)', m(settlement.splitPoint)],
        ['Artist payout (headliner)', m(settlement.artistPayout)],
        ['Promoter result', m(settlement.promoterResult)],
        ...(settlement.withholdingDue ? [['Withholding tax due to the tax office', m(settlement.withholdingDue)] as [string, string]] : []),
      ],
    },
    {
      heading: 'Deals and payouts',
      ...(ownPayouts
        ? {
            table: {
              columns: ['Artist', 'Deal', 'Payout', 'Withholding', 'To the artist'],
              rows: settlement.payouts.map((p, i) => [nameOf(i), dealOf(i), m(p.amount), m(p.withholding), m(p.netToArtist)]),
              numeric: [2, 3, 4],
              widths: [0.2, 0.35, 0.15, 0.15, 0.15],
              total: ['Total', '', ...(['amount', 'withholding', 'netToArtist'] as const).map((k) => m(settlement.payouts.reduce((sum, p) => sum + p[k], 0)))],
            },
            // The agency's commission is the artist's cost, shown for the record.
            text: settlement.payouts.flatMap((p, i) =>
              p.agencyCommission !== null ? [`${nameOf(i)}: agency commission ${m(p.agencyCommission)} (charged by the agency to the artist, not paid by the promoter)`] : [],
            ),
          }
        : { text: [`No lineup artist has an accepted offer in ${c}.`] }),
    },
    ...(settlement.otherCurrencies.length
      ? [
          {
            heading: 'Other currencies (listed as they are, never converted or summed)',
            table: {
              columns: ['Currency', 'Gross', 'Fees', 'Other income', 'Expenses', 'Payouts'],
              rows: settlement.otherCurrencies.map((o) => [
                o.currency,
                ...[o.gross, o.fees, o.otherIncome, o.expenses, o.payouts.reduce((sum, p) => sum + p.amount, 0)].map((v) => format.money(v, o.currency)),
              ]),
              numeric: [1, 2, 3, 4, 5],
            },
            text: settlement.otherCurrencies.flatMap((o) =>
              o.payouts.map((p) => `${nameOf(payouts.indexOf(p))}: ${dealOf(payouts.indexOf(p))}, paid ${format.money(p.amount, p.currency)} (the guarantee)`),
            ),
          },
        ]
      : []),
    {
      heading: 'Settlement',
      rows: settlement.settled
        ? [
            ['Status', 'Settled'],
            ['Settled at', format.dateTime(settlement.settledAt)],
            ['Settled by', settlement.settledBy],
          ]
        : [['Status', 'Provisional: the event is not settled, and these figures change with its tickets, income, expenses and offers until it is.']],
    },
  ];
  return renderPdf({
    issuer: head.issuer,
    issuerLines: head.issuerLines,
    title: 'Settlement statement',
    subtitle: `${event.name} - ${format.dateTime(event.startsAt)}`,
    createdAt: settlement.settledAt ?? event.updatedAt,
    watermark: settlement.settled ? undefined : 'PROVISIONAL',
    sections,
    footer: `Event ${event.id}`,
  });
}

/** `settlement-<event>-<day it starts, in the company's time zone>.pdf` (made safe where it is served). */
export async function settlementFileName(event: Event, scope: TenantScope): Promise<string> {
  const { format } = await letterhead(scope);
  return `settlement-${event.name}-${format.isoDay(event.startsAt)}.pdf`;
}
