import { ConflictError } from '../../shared/errors';
import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Avail, availFamily } from './avail.family';
import { Slot, slotKey } from './ladder';
import { confirmedOn, restack } from './ladder-moves';

/** The ladder's order of locks, what a read shows after a write, and what sweeps and bookings ask of a slot. */
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
}

export const availService = new AvailService(availFamily);
