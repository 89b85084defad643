import { ValidationError, type FieldIssue } from '../../shared/errors';
import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Artist } from '../artists';
import { companyService } from '../company';
import { Event } from './event.entity';
import { eventFamily } from './event.family';

class EventService extends FamilyService<Event> {
  /** Money defaults to the company's currency; times in order; the lineup only of the company's artists. */
  protected override async prepareCreate(tx: TenantScope, data: Partial<Event>): Promise<Partial<Event>> {
    checkTimes(data);
    await checkLineup(tx, data.lineup);
    return { ...data, lineup: data.lineup ?? [], currency: data.currency ?? (await companyService.currency(tx)) };
  }

  protected override async prepareUpdate(tx: TenantScope, id: string, patch: Partial<Event>): Promise<Partial<Event>> {
    const current = await this.repo(tx).getById(id, 'Event');
    checkTimes({ ...current, ...patch }, patch);
    await checkLineup(tx, patch.lineup);
    return patch;
  }
}

/** Doors, start and end in order; each issue names the field that was sent (or the one that moves). */
function checkTimes(event: Partial<Event>, sent: Partial<Event> = event): void {
  const issues: FieldIssue[] = [];
  const { startsAt, doorsAt, endsAt } = event;
  if (startsAt && doorsAt && doorsAt > startsAt) {
    issues.push({ field: sent.doorsAt !== undefined || sent.startsAt === undefined ? 'doorsAt' : 'startsAt', message: 'the doors must open no later than the start' });
  }
  if (startsAt && endsAt && endsAt < startsAt) {
    issues.push({ field: sent.endsAt !== undefined || sent.startsAt === undefined ? 'endsAt' : 'startsAt', message: 'the event must end no earlier than it starts' });
  }
  if (issues.length) throw new ValidationError([...new Map(issues.map((i) => [i.field, i])).values()]);
}

/**
 * Every id of a lineup is an artist of this company. The artists are locked FOR SHARE until the
 * change commits, so none can be deleted in between (and a deleted one is refused while it is in
 * a lineup: see the module's handler).
 */
async function checkLineup(tx: TenantScope, lineup: string[] | undefined): Promise<void> {
  if (!lineup?.length) return;
  const found = await tx.repo(Artist).find((qb, a) => qb.andWhere(`${a}.id IN (:...lineupIds)`, { lineupIds: lineup }).setLock('pessimistic_read'));
  const known = new Set(found.map((a) => a.id));
  const missing = lineup.filter((id) => !known.has(id));
  if (missing.length) throw ValidationError.field('lineup', `no such artist in this company: ${missing.join(', ')}`);
}

export const eventService = new EventService(eventFamily);
