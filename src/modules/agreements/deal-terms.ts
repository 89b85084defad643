import type { DocumentFormat } from '../../core/pdf';

/**
 * The deal of an offer as documents write it (the offer letter, the contract, the settlement
 * statement): what each deal type pays, and only the terms that type is made of.
 */
export interface DealTermsText {
  dealType: string;
  currency: string;
  guarantee?: number | null;
  percentage?: number | null;
  percentageOf?: string | null;
  expenseCap?: number | null;
  promoterProfit?: number | null;
  ticketPrice?: number | null;
}

const DEAL_NAMES: Record<string, string> = {
  flat: 'Flat guarantee',
  versus: 'Guarantee versus percentage, whichever is greater',
  plus: 'Guarantee plus percentage past the split point',
  door: 'Percentage of the door',
};

/** `45% of net` and the like; null for a deal without a percentage. */
export function percentageText(terms: DealTermsText, format: DocumentFormat): string | null {
  if (terms.percentage === null || terms.percentage === undefined) return null;
  return `${format.percent(terms.percentage)} of ${terms.percentageOf === 'net' ? 'net (after deal expenses)' : 'gross'}`;
}

/** One line: `Versus: EUR 2,000.00 vs 40% of gross`. */
export function dealSummary(terms: DealTermsText, format: DocumentFormat): string {
  const guarantee = terms.guarantee !== null && terms.guarantee !== undefined ? format.money(terms.guarantee, terms.currency) : null;
  const percentage = percentageText(terms, format);
  const joint = terms.dealType === 'versus' ? ' vs ' : ' plus ';
  return `${terms.dealType}: ${[guarantee, percentage].filter(Boolean).join(joint)}`;
}

/** Label/value rows of the deal, the terms its type does not use left out. */
export function dealRows(terms: DealTermsText, format: DocumentFormat): [string, string][] {
  const rows: [string, string | null][] = [
    ['Deal', DEAL_NAMES[terms.dealType] ?? terms.dealType],
    ['Currency', terms.currency],
    ['Guarantee', terms.guarantee === null || terms.guarantee === undefined ? null : format.money(terms.guarantee, terms.currency)],
    ['Percentage', percentageText(terms, format)],
    ['Expense cap', terms.expenseCap === null || terms.expenseCap === undefined ? null : format.money(terms.expenseCap, terms.currency)],
    ['Promoter profit', terms.promoterProfit === null || terms.promoterProfit === undefined ? null : `${format.percent(terms.promoterProfit)} of the deal expenses`],
    ['Ticket price', terms.ticketPrice === null || terms.ticketPrice === undefined ? null : format.money(terms.ticketPrice, terms.currency)],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== null);
}

/** The day's times in order, as the offer gives them (times of day at the venue). */
export function scheduleRows(schedule: Record<string, unknown> | null | undefined): [string, string][] {
  if (!schedule) return [];
  const labels: [string, string][] = [['loadIn', 'Load-in'], ['soundcheck', 'Soundcheck'], ['doors', 'Doors'], ['set', 'Set'], ['curfew', 'Curfew']];
  const rows: [string, string][] = labels.filter(([key]) => typeof schedule[key] === 'string').map(([key, label]) => [label, String(schedule[key])]);
  if (typeof schedule.setLength === 'number') rows.push(['Set length', `${schedule.setLength} minutes`]);
  return rows;
}

/** The radius clause in words, or null without one. */
export function radiusText(radius: { km?: unknown; days?: unknown } | null | undefined): string | null {
  if (!radius || typeof radius.km !== 'number' || typeof radius.days !== 'number') return null;
  return `No other public performance within ${radius.km} km for ${radius.days} days before and after the show.`;
}
