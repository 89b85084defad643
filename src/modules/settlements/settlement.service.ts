import { ConflictError, ValidationError } from '../../shared/errors';
import { FamilyService } from '../../core/service';
import { CurrencyTotals, DealTerms, DetailedPayout, DetailedSettlementFigures, Payout, PayoutDeductions, project, ProjectedTier, SettlementInput } from './settlement-math';
import { settleAcrossCurrencies } from './settlement-fx-reads';
import type { TenantScope } from '../../db/tenant-scope';
import { totalFromDatabase } from '../../shared/money';
import { Agency } from '../agencies';
import { Artist } from '../artists';
import { companyService } from '../company';
import { Event } from '../events';
import { Venue } from '../venues';
import { Expense } from '../expenses';
import { Income } from '../incomes';
import { Offer } from '../offers';
import { Ticket } from '../tickets';
import { AgencyCommission, OfferProjection, SettledStatement, Settlement, settlementFamily } from './settlement.family';

type Totals = Map<string, Map<string, CurrencyTotals>>;

/**
 * A statement stored before withholding, VAT and commission were settled reads as it was then: none
 * of them (its expenses as they were counted, every payout paid whole to the artist).
 */
function withDetail(stored: DetailedSettlementFigures): DetailedSettlementFigures {
  const payout = (p: Payout & Partial<PayoutDeductions>): DetailedPayout => ({ ...p, withholding: p.withholding ?? 0, netToArtist: p.netToArtist ?? p.amount, agencyId: p.agencyId ?? null, agencyCommission: p.agencyCommission ?? null });
  return {
    ...stored,
    vatReclaimable: stored.vatReclaimable ?? 0,
    withholdingDue: stored.withholdingDue ?? 0,
    payouts: stored.payouts.map(payout),
    otherCurrencies: stored.otherCurrencies.map((o) => ({ ...o, payouts: o.payouts.map(payout) })),
  };
}

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
      return s ? { ...withDetail(s.statement), eventId: e.id, settled: true, settledAt: s.settledAt, settledBy: s.settledBy } : computed.get(e.id)!;
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
    const [tickets, incomes, expenses, offers, company] = await scope.all([
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
        { expenses: (a) => `${a}.amount`, expenseVat: (a) => `${a}.vat` },
      ),
      // The latest accepted offer first, so the first one met per artist is the one that counts.
      () => scope.repo(Offer).find((qb, a) =>
        qb
          .andWhere(`${a}.eventId IN (:...offerEvents) AND ${a}.status = 'accepted'`, { offerEvents: ids })
          .orderBy(`${a}.updatedAt`, 'DESC')
          .addOrderBy(`${a}.id`, 'DESC'),
      ),
      () => companyService.current(scope),
    ]);
    for (const t of tickets) add(t.eventId, t.currency, { gross: t.gross, fees: t.fees });
    for (const t of incomes) add(t.eventId, t.currency, { income: t.income });
    for (const t of expenses) add(t.eventId, t.currency, { expenses: t.expenses, expenseVat: t.expenseVat });
    const agencyOf = await this.agencies(offers.map((o) => o.artistId), scope);

    const settlements: Settlement[] = [];
    for (const event of events) {
      const deals = event.lineup.flatMap((artistId): DealTerms[] => {
        const offer = offers.find((o) => o.eventId === event.id && o.artistId === artistId);
        return offer ? [{ ...offer, offerId: offer.id, ...agencyOf(artistId) }] : [];
      });
      const input: SettlementInput = {
        currency: event.currency,
        taxRate: event.taxRate,
        totals: [...(totals.get(event.id)?.values() ?? [])],
        deals,
        vatRegistered: company.vatRegistered,
      };
      const figures = await settleAcrossCurrencies(event, input, scope, company.timezone);
      settlements.push({ ...figures, eventId: event.id, settled: false, settledAt: null, settledBy: null });
    }
    return settlements;
  }

  /** Each artist's agency and its commission rate, as they are now (a settled statement keeps them). */
  private async agencies(artistIds: string[], scope: TenantScope): Promise<(artistId: string) => Pick<DealTerms, 'agencyId' | 'commissionRate'>> {
    const artists = (await scope.byId(Artist).loadMany([...new Set(artistIds)])).filter((a): a is Artist => Boolean(a) && !(a instanceof Error));
    const agencyIds = [...new Set(artists.map((a) => a.agencyId).filter((id): id is string => id !== null))];
    const agencies = (await scope.byId(Agency).loadMany(agencyIds)).filter((a): a is Agency => Boolean(a) && !(a instanceof Error));
    return (artistId) => {
      const agencyId = artists.find((a) => a.id === artistId)?.agencyId ?? null;
      return { agencyId, commissionRate: agencies.find((a) => a.id === agencyId)?.commissionRate ?? null };
    };
  }

  /**
   * The projection of each offer: the settlement (the same function) of imagined sales of every tier
   * of its event (its tickets' allocations, prices and fees in the event's currency) or, without an
   * event, of its venue's capacity at its ticketPrice; the event's expenses not rejected (artist fees
   * excepted) as the budget; the offer's deal alone. No other income is imagined.
   */
  async project(offers: readonly Offer[], sellThrough: number[], scope: TenantScope): Promise<OfferProjection[]> {
    const eventIds = [...new Set(offers.map((o) => o.eventId).filter((id): id is string => id !== null))];
    const venueIds = [...new Set(offers.filter((o) => !o.eventId && o.venueId).map((o) => o.venueId!))];
    const [events, tiers, budgets, venues, company] = await scope.all([
      () => scope.byId(Event).loadMany(eventIds),
      () => (eventIds.length ? scope.repo(Ticket).find((qb, a) => qb.andWhere(`${a}.eventId IN (:...projectedEvents)`, { projectedEvents: eventIds })) : Promise.resolve([])),
      () =>
        eventIds.length
          ? scope.repo(Expense).totals(
              (qb, a) => qb.andWhere(`${a}.eventId IN (:...budgetEvents) AND ${a}.status <> 'rejected' AND ${a}.category <> 'artist_fee'`, { budgetEvents: eventIds }),
              ['eventId', 'currency'],
              { expenses: (a) => `${a}.amount`, expenseVat: (a) => `${a}.vat` },
            )
          : Promise.resolve([]),
      () => scope.byId(Venue).loadMany(venueIds),
      () => companyService.current(scope),
    ] as const);
    const agencyOf = await this.agencies(offers.map((o) => o.artistId), scope);
    return offers.map((offer) => {
      const deal: DealTerms = { ...offer, offerId: offer.id, ...agencyOf(offer.artistId) };
      const vatRegistered = company.vatRegistered;
      if (offer.eventId) {
        const event = events[eventIds.indexOf(offer.eventId)] as Event;
        if (offer.currency !== event.currency) {
          throw new ConflictError(`The offer is in ${offer.currency} and its event in ${event.currency}: a projection is in one currency`, [
            { field: 'currency', offer: offer.currency, event: event.currency },
          ]);
        }
        const own = tiers.filter((t) => t.eventId === event.id && t.currency === event.currency);
        const budget = budgets.find((b) => b.eventId === event.id && b.currency === event.currency);
        return project(
          {
            currency: event.currency,
            taxRate: event.taxRate,
            vatRegistered,
            tiers: own.map((t): ProjectedTier => ({ quantity: t.quantity, price: t.price, fee: t.fee ?? 0 })),
            expenses: budget?.expenses ?? 0,
            expenseVat: budget?.expenseVat ?? 0,
            deal,
          },
          sellThrough,
        );
      }
      const venue = venues[venueIds.indexOf(offer.venueId!)] as Venue | null;
      const missing = [
        ...(offer.ticketPrice === null ? [{ field: 'ticketPrice', message: 'is needed to project an offer without an event' }] : []),
        ...(!venue?.capacity ? [{ field: 'venueId', message: 'names a venue without a capacity: a projection of an offer without an event sells its capacity' }] : []),
      ];
      if (missing.length) throw new ConflictError('The offer cannot be projected: it names no event, and its ticket price or venue capacity is unknown', missing);
      return project(
        { currency: offer.currency, taxRate: null, vatRegistered, tiers: [{ quantity: venue!.capacity!, price: offer.ticketPrice!, fee: 0 }], expenses: 0, expenseVat: 0, deal },
        sellThrough,
      );
    });
  }

  /**
   * An agency's commission over the statements of events settled from `from` to `to` (days in the
   * company's time zone, both included), summed by the database per currency over every payout to
   * one of its artists (the event's currency and the others).
   */
  async commission(agency: Agency, from: string, to: string, scope: TenantScope): Promise<AgencyCommission> {
    if (to < from) throw ValidationError.field('to', 'must not be before from');
    const { timezone } = await companyService.current(scope);
    const rows = await scope.read<{ currency: string; commission: string; payouts: string; count: number }>(
      `SELECT p->>'currency' AS currency, sum((p->>'agencyCommission')::bigint)::text AS commission, sum((p->>'amount')::bigint)::text AS payouts, count(*)::int AS count
         FROM settlements s
        CROSS JOIN LATERAL jsonb_array_elements((s.statement->'payouts') || jsonb_path_query_array(s.statement, '$.otherCurrencies[*].payouts[*]')) p
        WHERE s.company_id = $1
          AND s.settled_at >= $3::date::timestamp AT TIME ZONE $5 AND s.settled_at < ($4::date + 1)::timestamp AT TIME ZONE $5
          AND p->>'agencyId' = $2 AND p->>'agencyCommission' IS NOT NULL
        GROUP BY 1
        ORDER BY 1`,
      [scope.companyId, agency.id, from, to, timezone],
    );
    return {
      from,
      to,
      totals: rows.map((r) => ({
        currency: r.currency,
        commission: totalFromDatabase(r.commission, r.currency).amount,
        payouts: totalFromDatabase(r.payouts, r.currency).amount,
        count: r.count,
      })),
    };
  }
}

export const settlementService = new SettlementService(settlementFamily);
