import { ConflictError, FieldIssue, ValidationError } from '../../shared/errors';
import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { companyService } from '../company';
import { DealType, Offer, OfferSchedule } from './offer.entity';
import { offerFamily } from './offer.family';

/** The fields each deal type is made of. */
const DEAL_NEEDS: Record<DealType, readonly (keyof Offer)[]> = {
  flat: ['guarantee'],
  versus: ['guarantee', 'percentage', 'percentageOf'],
  plus: ['guarantee', 'percentage', 'percentageOf'],
  door: ['percentage', 'percentageOf'],
};

const SCHEDULE_ORDER = ['loadIn', 'soundcheck', 'doors', 'set', 'curfew'] as const;

/** The rules across fields, on the offer as it would be stored; one detail per offending field. */
function check(offer: Partial<Offer>, written: Partial<Offer>, now: Date): void {
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

/** Only a draft may change or go; the offer is locked first so a concurrent send cannot slip past. */
async function draftOnly(tx: TenantScope, id: string, what: string): Promise<Offer> {
  const current = await tx.repo(Offer).lock(id, 'Offer');
  if (current.status !== 'draft') {
    throw new ConflictError(`Cannot ${what} an offer that is ${current.status}; only a draft can be ${what === 'edit' ? 'edited' : 'deleted'}`, [
      { field: 'status', current: current.status, allowed: ['draft'] },
    ]);
  }
  return current;
}

class OfferService extends FamilyService<Offer> {
  /** An offer without a currency is in the company's. */
  protected override async prepareCreate(tx: TenantScope, data: Partial<Offer>): Promise<Partial<Offer>> {
    const values = { ...data, currency: data.currency ?? (await companyService.currency(tx)) };
    check(values, values, tx.now());
    return values;
  }

  protected override async prepareUpdate(tx: TenantScope, id: string, patch: Partial<Offer>): Promise<Partial<Offer>> {
    const current = await draftOnly(tx, id, 'edit');
    check({ ...current, ...patch }, patch, tx.now());
    return patch;
  }

  protected override async beforeDelete(tx: TenantScope, offer: Offer): Promise<void> {
    await draftOnly(tx, offer.id, 'delete');
  }
}

export const offerService = new OfferService(offerFamily);
