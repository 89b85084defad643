import { ConflictError, FieldIssue, ValidationError } from '../../shared/errors';
import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Avail } from './avail.entity';
import { availFamily, confirmedOn, LADDER_MAX, leave, restack, Slot, slotKey } from './avail.family';

/** What places a hold on its ladder; fixed once it is placed (release it and hold again to move). */
const PLACEMENT = ['date', 'venueId', 'stage', 'artistId', 'holdLevel'] as const;

class AvailService extends FamilyService<Avail> {
  /**
   * Every action changes a ladder: the slot's lock comes first, before the kit locks the hold, so
   * two changes of one slot always take their locks in the same order (no deadlock).
   */
  override act(scope: TenantScope, name: string, id: string, rawInput: unknown, parentId?: string): Promise<Avail> {
    return scope.transaction(async (tx) => {
      const hold = await this.repo(tx).findById(id);
      if (hold) await tx.lockKey(slotKey(hold));
      return super.act(tx, name, id, rawInput, parentId);
    });
  }

  /** The changed hold as it reads now: its level and status as of now are the database's to compute. */
  override async update(scope: TenantScope, id: string, patch: Partial<Avail>, version?: number, parentId?: string): Promise<Avail> {
    const row = await super.update(scope, id, patch, version, parentId);
    return (await this.repo(scope).findById(row.id)) ?? row;
  }

  /** Write down what time has decided on the slot of this hold (sweeps): expiries, unanswered challenges. */
  restackSlot(scope: TenantScope, hold: Avail): Promise<void> {
    return scope.transaction(async (tx) => void (await restack(tx, hold)));
  }

  /**
   * The first hold standing on a slot, for a booking about to confirm it (`act(tx, 'confirm', …)`),
   * placed now when the slot has none. A slot that already has a confirmed hold is a 409. Run it in
   * the booking's transaction: the slot's lock is held until that commits.
   */
  firstHold(scope: TenantScope, slot: Slot, extra: Partial<Avail> = {}): Promise<Avail> {
    return scope.transaction(async (tx) => {
      const [first] = await restack(tx, slot);
      const [confirmed] = await confirmedOn(tx, slot);
      if (confirmed) throw new ConflictError(`Another hold (${confirmed.id}) is already confirmed on ${slot.date}`, [{ field: 'date', message: 'another hold is already confirmed on this slot' }]);
      return first ?? this.create(tx, { ...extra, date: slot.date, venueId: slot.venueId, stage: slot.stage, artistId: slot.artistId });
    });
  }

  /** The hold takes the level asked for, if free and without a gap, or the next free one. */
  protected override async prepareCreate(tx: TenantScope, data: Partial<Avail>): Promise<Partial<Avail>> {
    if (!data.venueId && !data.artistId) {
      throw new ValidationError([
        { field: 'venueId', message: 'a hold needs a venue or an artist' },
        { field: 'artistId', message: 'a hold needs a venue or an artist' },
      ]);
    }
    futureExpiry(data, tx.now());
    const slot = { date: data.date!, venueId: data.venueId ?? null, stage: data.venueId ? (data.stage ?? null) : null, artistId: data.artistId ?? null };
    const ladder = await restack(tx, slot);
    const next = ladder.length + 1;
    if (next > LADDER_MAX) throw new ConflictError(`The ladder of this slot is full: at most ${LADDER_MAX} holds stand on one slot`);
    const asked = data.holdLevel ?? next;
    if (asked < next) throw new ConflictError(`Level ${asked} of this slot is already held; the next free level is ${next}`, [{ field: 'holdLevel', message: `already held; the next free level is ${next}` }]);
    if (asked > next) throw new ConflictError(`Level ${asked} would leave a gap in the ladder; the next free level is ${next}`, [{ field: 'holdLevel', message: `the next free level is ${next}` }]);
    // Without a venue there is no stage: the slot is the artist's day.
    return { ...data, stage: slot.stage, holdLevel: asked };
  }

  protected override async prepareUpdate(tx: TenantScope, _id: string, patch: Partial<Avail>): Promise<Partial<Avail>> {
    const fixed: FieldIssue[] = PLACEMENT.filter((k) => patch[k] !== undefined).map((field) => ({
      field,
      message: 'cannot be changed once held; release the hold and place a new one',
    }));
    if (fixed.length) throw new ValidationError(fixed);
    futureExpiry(patch, tx.now());
    return patch;
  }

  /** A deleted hold leaves its ladder like a released one. */
  protected override async beforeDelete(tx: TenantScope, hold: Avail): Promise<void> {
    await leave(tx, hold);
  }
}

function futureExpiry(data: Partial<Avail>, now: Date): void {
  if (data.expiresAt && data.expiresAt <= now) throw ValidationError.field('expiresAt', 'must be in the future');
}

export const availService = new AvailService(availFamily);
