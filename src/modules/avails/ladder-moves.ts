import { ConflictError, FieldIssue, ValidationError } from '../../shared/errors';
import { recordEvent } from '../../core/events';
import { assignStored, storedValue } from '../../core/record';
import type { TenantScope } from '../../db/tenant-scope';
import { Avail, type AvailState } from './avail.family';
import { ACTIVE_STATES, DEFAULT_RESPOND_HOURS, isStanding, LADDER_MAX, Slot, slotKey } from './ladder';

/**
 * The writes of a ladder (ladder.ts says what it is). Every change of a ladder runs under the slot's
 * lock (taken before any hold of it is locked) and first restacks the slot: it writes down what time
 * decided (holds past their expiry become expired, challenges past their respond-by release level 1,
 * the rest move up), each move once, with its notice.
 */

/** The holds stored as active on a slot (some may have left it by now), in level order. */
function storedActive(tx: TenantScope, s: Slot, states: readonly AvailState[] = ACTIVE_STATES): Promise<Avail[]> {
  return tx.repo(Avail).find((qb, a) => {
    qb.andWhere(`${a}.date = :slotDate`, { slotDate: s.date });
    if (s.venueId) {
      qb.andWhere(`${a}.venueId = :slotVenue`, { slotVenue: s.venueId });
      qb.andWhere(`coalesce(${a}.stage, '') = :slotStage`, { slotStage: s.stage ?? '' });
    } else {
      qb.andWhere(`${a}.venueId IS NULL AND ${a}.artistId = :slotArtist`, { slotArtist: s.artistId });
    }
    qb.andWhere(`${a}.status IN (:...activeStates)`, { activeStates: states });
    qb.orderBy(`${a}.holdLevel`, 'ASC').addOrderBy(`${a}.id`, 'ASC');
  });
}

/** The holds standing on a slot now, in level order (what the ladder query answers). */
export async function standing(tx: TenantScope, s: Slot): Promise<Avail[]> {
  return (await storedActive(tx, s)).filter(isStanding);
}

/** What the ladder does to a hold besides its own actions (the family's `events`), and `released` (also an action's). */
type LadderMove = 'moved-up' | 'challenged' | 'unchallenged' | 'expired' | 'released';

async function change(tx: TenantScope, hold: Avail, patch: Partial<Avail>, type: LadderMove, payload: Record<string, unknown>): Promise<Avail> {
  const row = await tx.repo(Avail).update(hold.id, patch);
  // The holder hears about what happened to their hold (a notifications family addresses `affects`).
  await recordEvent(tx, { type: `avail.${type}`, entityType: 'Avail', entityId: hold.id, version: row.version, payload: { ...payload, affects: [hold.createdBy] } });
  return row;
}

/**
 * Close the gaps: the holds (in level order) take levels 1..n as stored; each that moves is in its
 * history. Returns them with their levels as now stored.
 */
async function moveUp(tx: TenantScope, holds: Avail[]): Promise<Avail[]> {
  for (const [i, hold] of holds.entries()) {
    const stored = storedValue(hold, 'holdLevel');
    if (stored !== i + 1) await change(tx, hold, { holdLevel: i + 1 }, 'moved-up', { from: stored, to: i + 1 });
    assignStored(hold, { holdLevel: i + 1 });
  }
  return holds;
}

/**
 * Take the slot's lock, write down what time has decided (expiries, unanswered challenges) and move
 * the ladder up. `keep` is the hold being acted on: it is left to its action. Returns the holds
 * standing after it, in level order.
 */
export async function restack(tx: TenantScope, s: Slot, keep?: string): Promise<Avail[]> {
  await tx.lockKey(slotKey(s));
  const standingNow: Avail[] = [];
  // Each hold reads as of now: one that has left the ladder is written down as what it reads.
  for (const hold of await storedActive(tx, s)) {
    if (hold.id === keep || isStanding(hold)) standingNow.push(hold);
    else if (hold.status === 'expired') {
      await change(tx, hold, { status: 'expired' }, 'expired', { level: hold.holdLevel, expiresAt: hold.expiresAt });
    } else {
      await change(tx, hold, { status: 'released', respondBy: null }, 'released', {
        level: hold.holdLevel,
        reason: 'the challenge was not answered by respondBy',
        challengedById: hold.challengedById,
      });
    }
  }
  return moveUp(tx, standingNow);
}

/** The holds confirmed on a slot. */
export function confirmedOn(tx: TenantScope, s: Slot): Promise<Avail[]> {
  return storedActive(tx, s, ['confirmed']);
}

/** The acted hold after its slot was restacked: its level may have moved. */
async function restacked(tx: TenantScope, hold: Avail): Promise<{ self: Avail; ladder: Avail[] }> {
  const ladder = await restack(tx, hold, hold.id);
  const self = ladder.find((h) => h.id === hold.id);
  if (!self) throw new ConflictError('The hold is no longer on its ladder');
  return { self, ladder };
}

/**
 * A hold leaves its ladder (released, deleted): every hold below moves up one level, and a challenge
 * it made of level 1 is withdrawn.
 */
export async function leave(tx: TenantScope, hold: Avail): Promise<void> {
  const ladder = await restack(tx, hold, hold.id);
  const rest = ladder.filter((h) => h.id !== hold.id);
  for (const first of rest.filter((h) => h.status === 'challenged' && h.challengedById === hold.id)) {
    await change(tx, first, { status: 'held', respondBy: null, challengedById: null }, 'unchallenged', { challengedById: hold.id });
  }
  await moveUp(tx, rest);
}

/** Only the first hold is confirmed: every other hold of the slot is released. */
export async function confirm(tx: TenantScope, hold: Avail): Promise<Partial<Avail>> {
  const { self, ladder } = await restacked(tx, hold);
  if (self.holdLevel !== 1) throw new ConflictError(`Only the first hold can be confirmed; this hold is level ${self.holdLevel}`);
  for (const other of ladder.filter((h) => h.id !== self.id)) {
    await change(tx, other, { status: 'released', respondBy: null }, 'released', { level: other.holdLevel, reason: 'the slot was confirmed', confirmedId: self.id });
  }
  return { respondBy: null };
}

/** The second hold challenges the first, which must answer by `respondBy` (default DEFAULT_RESPOND_HOURS from now). */
export async function challenge(tx: TenantScope, hold: Avail, respondBy: Date | undefined): Promise<Partial<Avail>> {
  const { self, ladder } = await restacked(tx, hold);
  if (self.holdLevel !== 2) throw new ConflictError(`Only the second hold can challenge the first; this hold is level ${self.holdLevel}`);
  const first = ladder[0];
  if (first.status === 'challenged') throw new ConflictError('The first hold is already challenged');
  const now = tx.now();
  const by = respondBy ?? new Date(now.getTime() + DEFAULT_RESPOND_HOURS * 3_600_000);
  if (by <= now) throw ValidationError.field('respondBy', 'must be in the future');
  await change(tx, first, { status: 'challenged', respondBy: by, challengedById: self.id }, 'challenged', { challengedById: self.id, respondBy: by });
  return {};
}

/** A new hold takes the level asked for, if free and without a gap, or the next free one. */
export async function place(tx: TenantScope, data: Partial<Avail>): Promise<Partial<Avail>> {
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

/** What places a hold on its ladder; fixed once it is placed (release it and hold again to move). */
const PLACEMENT = ['date', 'venueId', 'stage', 'artistId', 'holdLevel'] as const;

/** A change of a placed hold: its placement stays, a new expiry is in the future. */
export function checkChange(patch: Partial<Avail>, now: Date): Partial<Avail> {
  const fixed: FieldIssue[] = PLACEMENT.filter((k) => patch[k] !== undefined).map((field) => ({
    field,
    message: 'cannot be changed once held; release the hold and place a new one',
  }));
  if (fixed.length) throw new ValidationError(fixed);
  futureExpiry(patch, now);
  return patch;
}

function futureExpiry(data: Partial<Avail>, now: Date): void {
  if (data.expiresAt && data.expiresAt <= now) throw ValidationError.field('expiresAt', 'must be in the future');
}
