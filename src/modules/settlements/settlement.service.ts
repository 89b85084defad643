import { ConflictError } from '../../shared/errors';
import { FamilyService } from '../../core/service';
import { CurrencyTotals, DealTerms, settle } from './settlement-math';
import type { TenantScope } from '../../db/tenant-scope';
import { Event } from '../events';
import { Expense } from '../expenses';
import { Income } from '../incomes';
import { Offer } from '../offers';
import { Ticket } from '../tickets';
import { SettledStatement, Settlement, settlementFamily } from './settlement.family';

type Totals = Map<string, Map<string, CurrencyTotals>>;

class SettlementService extends FamilyService<SettledStatement> {
  /**
   * The settlement of each event: the stored statement of a settled one, else computed now from the
   * sums of its tickets, income and approved expenses (SQL, per event and currency, one statement
   * each for every event asked at once) and its lineup's accepted offers.
   */
  async read(events: readonly Event[], scope: TenantScope): Promise<Settlement[]> {
    const ids = events.map((e) => e.id);
    if (!ids.length) return [];
    const stored = new Map(
      (await scope.repo(SettledStatement).find((qb, a) => qb.andWhere(`${a}.eventId IN (:...settledEvents)`, { settledEvents: ids }))).map((s) => [s.eventId, s]),
    );
    const open = events.filter((e) => !stored.has(e.id));
    const computed = new Map((await this.compute(open, scope)).map((s) => [s.eventId, s]));
    return events.map((e) => {
      const s = stored.get(e.id);
      return s ? { ...s.statement, eventId: e.id, settled: true, settledAt: s.settledAt, settledBy: s.settledBy } : computed.get(e.id)!;
    });
  }

  /**
   * Store the statement of the event being settled, in the settle action's transaction (the event
   * row locked FOR UPDATE, so no expense or ticket of it changes meanwhile): refused while an
   * expense of it awaits approval.
   */
  async store(eventId: string, tx: TenantScope): Promise<void> {
    const waiting = await tx.repo(Expense).page({ page: 1, limit: 1 }, (qb, a) =>
      qb.andWhere(`${a}.eventId = :settling AND ${a}.status = 'submitted'`, { settling: eventId }),
    );
    if (waiting.total > 0) {
      throw new ConflictError(`${waiting.total} expense(s) of the event await approval; approve or reject them before settling`, [
        { field: 'expenses', submitted: waiting.total },
      ]);
    }
    const event = await tx.repo(Event).getById(eventId, 'Event');
    const [figures] = await this.compute([event], tx);
    const { eventId: _e, settled: _s, settledAt: _a, settledBy: _b, ...statement } = figures;
    await tx.repo(SettledStatement).insert({ eventId, statement, settledAt: tx.now(), settledBy: tx.userId });
  }

  private async compute(events: readonly Event[], scope: TenantScope): Promise<Settlement[]> {
    if (!events.length) return [];
    const ids = events.map((e) => e.id);
    const totals: Totals = new Map();
    const add = (eventId: string, currency: string, values: Partial<CurrencyTotals>) => {
      const perEvent = totals.get(eventId) ?? totals.set(eventId, new Map()).get(eventId)!;
      const t = perEvent.get(currency) ?? { currency, gross: 0, fees: 0, income: 0, expenses: 0 };
      perEvent.set(currency, { ...t, ...values });
    };
    const [tickets, incomes, expenses, offers] = await scope.all([
      () => scope.repo(Ticket).totals((qb, a) => qb.andWhere(`${a}.eventId IN (:...tierEvents)`, { tierEvents: ids }), ['eventId', 'currency'], {
        gross: (a) => `${a}.sold * ${a}.price`,
        fees: (a) => `${a}.sold * COALESCE(${a}.fee, 0)`,
      }),
      () => scope.repo(Income).totals((qb, a) => qb.andWhere(`${a}.eventId IN (:...incomeEvents)`, { incomeEvents: ids }), ['eventId', 'currency'], {
        income: (a) => `${a}.amount`,
      }),
      () => scope.repo(Expense).totals(
        (qb, a) => qb.andWhere(`${a}.eventId IN (:...expenseEvents) AND ${a}.status = 'approved' AND ${a}.category <> 'artist_fee'`, { expenseEvents: ids }),
        ['eventId', 'currency'],
        { expenses: (a) => `${a}.amount` },
      ),
      // The latest accepted offer first, so the first one met per artist is the one that counts.
      () => scope.repo(Offer).find((qb, a) =>
        qb
          .andWhere(`${a}.eventId IN (:...offerEvents) AND ${a}.status = 'accepted'`, { offerEvents: ids })
          .orderBy(`${a}.updatedAt`, 'DESC')
          .addOrderBy(`${a}.id`, 'DESC'),
      ),
    ]);
    for (const t of tickets) add(t.eventId, t.currency, { gross: t.gross, fees: t.fees });
    for (const t of incomes) add(t.eventId, t.currency, { income: t.income });
    for (const t of expenses) add(t.eventId, t.currency, { expenses: t.expenses });

    return events.map((event) => {
      const deals = event.lineup.flatMap((artistId): DealTerms[] => {
        const offer = offers.find((o) => o.eventId === event.id && o.artistId === artistId);
        return offer ? [{ ...offer, offerId: offer.id }] : [];
      });
      const figures = settle({ currency: event.currency, taxRate: event.taxRate, totals: [...(totals.get(event.id)?.values() ?? [])], deals });
      return { ...figures, eventId: event.id, settled: false, settledAt: null, settledBy: null };
    });
  }
}

export const settlementService = new SettlementService(settlementFamily);
