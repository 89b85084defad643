import { FieldIssue, ValidationError } from '../../shared/errors';
import type { DealType, Offer, OfferSchedule } from './offer.family';

/** The fields each deal type is made of. */
const DEAL_NEEDS: Record<DealType, readonly (keyof Offer)[]> = {
  flat: ['guarantee'],
  versus: ['guarantee', 'percentage', 'percentageOf'],
  plus: ['guarantee', 'percentage', 'percentageOf'],
  door: ['percentage', 'percentageOf'],
};

/** The times of the show's day, in the order they happen. */
const SCHEDULE_ORDER = ['loadIn', 'soundcheck', 'doors', 'set', 'curfew'] as const;

/**
 * The rules across an offer's fields, on the offer as it would be stored (`written`: what this write
 * gives); one detail per offending field.
 */
export function checkTerms(offer: Partial<Offer>, written: Partial<Offer>, now: Date): void {
  const issues: FieldIssue[] = [];
  for (const field of DEAL_NEEDS[offer.dealType!]) {
    if (offer[field] === null || offer[field] === undefined) issues.push({ field, message: `is required for a ${offer.dealType} deal` });
  }
  if (!offer.eventId) {
    for (const field of ['venueId', 'date'] as const) {
      if (!offer[field]) issues.push({ field, message: 'is required when the offer names no eventId' });
    }
  }
  issues.push(...scheduleIssues(offer.schedule));
  if (written.expiresAt && written.expiresAt <= now) issues.push({ field: 'expiresAt', message: 'must be in the future' });
  if (issues.length) throw new ValidationError(issues);
}

/** Times of one day, each later than the one before it (as given); none may run past midnight. */
function scheduleIssues(schedule: OfferSchedule | null | undefined): FieldIssue[] {
  if (!schedule) return [];
  const issues: FieldIssue[] = [];
  let previous: { key: string; time: string } | undefined;
  for (const key of SCHEDULE_ORDER) {
    const time = schedule[key];
    if (!time) continue;
    if (previous && time <= previous.time) issues.push({ field: `schedule.${key}`, message: `must be after ${previous.key} (${previous.time})` });
    previous = { key, time };
  }
  return issues;
}
