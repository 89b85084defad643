import { CurrencyAmount } from '../../core/amount';
import { ValidationError } from '../../shared/errors';
import type { DayOrInstant } from '../../core/fields';
import { basisPointsOf, totalFromDatabase } from '../../shared/money';
import type { TenantScope } from '../../db/tenant-scope';
import { COMPANY_DEFAULTS } from '../company';
import { levelNowSql, standingSql } from '../avails';
import { Event } from '../events';
import { approvalQueueState } from '../expenses';
import { OFFER_STATES, offerStatusNowSql } from '../offers';
import type { OfferState } from '../offers';
import {
  Dashboard,
  DashboardApprovals,
  DashboardHolds,
  DashboardOfferCount,
  DashboardPaymentsDue,
  DashboardSellThrough,
  DashboardTasks,
  DashboardUpcomingEvents,
  NEXT_EVENTS,
  SALES_EVENTS,
} from './dashboard.entity';

/** The parts of the dashboard, each computed by one SQL statement only when the caller may see it. */
export const DASHBOARD_PARTS = [
  'upcomingEvents',
  'activeHolds',
  'offersByStatus',
  'pendingApprovals',
  'income',
  'approvedExpenses',
  'sellThrough',
  'myTasks',
  'paymentsDue',
] as const;
export type DashboardPart = (typeof DASHBOARD_PARTS)[number];

/** The longest period one dashboard covers. */
export const MAX_PERIOD_DAYS = 366;
/** The period when none is asked for: today and the next days, in the company's time zone. */
export const DEFAULT_PERIOD_DAYS = 30;
const DAY_MS = 86_400_000;

export interface DashboardInput {
  from?: DayOrInstant;
  to?: DayOrInstant;
}

/** The period as instants: [from, to), with the time zone its days were read in. */
interface Period {
  from: Date;
  to: Date;
  timezone: string;
}

/**
 * $1 company, $2 start (included), $3 end (excluded), $4 the company's time zone, $5 now (the scope's,
 * from the server's clock): every part's parameters.
 */
type PeriodParams = [string, Date, Date, string, Date];
/** The scope's now in a part's statement. */
const NOW = '$5::timestamptz';

/** Events of the period that still take place: the set upcoming events and sell-through both count. */
const EVENTS_OF_PERIOD = `e.company_id = $1 AND e.starts_at >= $2 AND e.starts_at < $3 AND e.status <> 'cancelled'`;

/**
 * A day column within the period, its midnight read in the company's time zone: the range of days
 * first (what an index of the column serves), then the exact instants.
 */
const DAYS_OF_PERIOD = (day: string) =>
  `${day} BETWEEN ($2::timestamptz AT TIME ZONE $4)::date AND ($3::timestamptz AT TIME ZONE $4)::date
   AND ${day}::timestamp AT TIME ZONE $4 >= $2 AND ${day}::timestamp AT TIME ZONE $4 < $3`;

const count = (value: unknown): number => Number(value ?? 0);

/**
 * The dashboard, a read model over several families: every figure is an SQL aggregate (no rows are
 * pulled into Node to be counted), one statement per part the caller may see plus one for the
 * period, all in one transaction, so the number of statements is the same however much data the
 * company has.
 */
export class DashboardService {
  async compute(input: DashboardInput, scope: TenantScope, parts: ReadonlySet<DashboardPart>): Promise<Dashboard> {
    return scope.transaction(async (tx) => {
      const period = await this.period(input, tx);
      const p: PeriodParams = [tx.companyId, period.from, period.to, period.timezone, tx.now()];
      const answer: Dashboard = { from: period.from, to: period.to, timezone: period.timezone };
      // One connection runs them one after another; awaiting in turn keeps the order readable in logs.
      for (const part of DASHBOARD_PARTS) {
        if (!parts.has(part)) continue;
        (answer as unknown as Record<string, unknown>)[part] = await this.parts[part](tx, p);
      }
      return answer;
    });
  }

  /**
   * `from`/`to` as instants. A day is read in the company's time zone: `from` a day starts at its
   * midnight, `to` a day ends at the next midnight (the day counts whole). Absent `from`: today (by the clock);
   * absent `to`: 30 days after `from`. Empty, reversed or longer than 366 days is refused.
   */
  private async period(input: DashboardInput, tx: TenantScope): Promise<Period> {
    const [row] = await tx.read<{ timezone: string; from_at: Date; to_at: Date }>(
      `WITH c AS (SELECT COALESCE((SELECT timezone FROM companies WHERE company_id = $1 AND id = $1), $6::text) AS tz),
            w AS (SELECT c.tz, COALESCE($2::timestamptz, (COALESCE($3::date, ($8::timestamptz AT TIME ZONE c.tz)::date))::timestamp AT TIME ZONE c.tz) AS from_at FROM c)
       SELECT w.tz AS timezone, w.from_at,
              COALESCE($4::timestamptz,
                       ($5::date + 1)::timestamp AT TIME ZONE w.tz,
                       ((w.from_at AT TIME ZONE w.tz) + make_interval(days => $7)) AT TIME ZONE w.tz) AS to_at
         FROM w`,
      [tx.companyId, input.from?.at ?? null, input.from?.day ?? null, input.to?.at ?? null, input.to?.day ?? null, COMPANY_DEFAULTS.timezone, DEFAULT_PERIOD_DAYS, tx.now()],
    );
    const { timezone, from_at: from, to_at: to } = row;
    if (to.getTime() <= from.getTime()) throw ValidationError.field('to', 'must be after from');
    // A period of whole days across a daylight-saving change is an hour longer or shorter than 24 h a day.
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS + 2 * 3_600_000) {
      throw ValidationError.field('to', `must be at most ${MAX_PERIOD_DAYS} days after from`);
    }
    return { from, to, timezone };
  }

  private readonly parts: Record<DashboardPart, (tx: TenantScope, p: PeriodParams) => Promise<unknown>> = {
    upcomingEvents: async (tx, p): Promise<DashboardUpcomingEvents> => {
      const rows = await tx.read(
        `SELECT e.*, count(*) OVER () AS __count FROM events e
          WHERE ${EVENTS_OF_PERIOD}
          ORDER BY e.starts_at, e.id LIMIT ${NEXT_EVENTS}`,
        p.slice(0, 3),
      );
      const events = tx.repo(Event);
      return { count: count(rows[0]?.__count), next: rows.map((r) => events.hydrate(r)) };
    },

    // The ladder as of now, as every read of a hold sees it: holds past their expiry or their
    // unanswered challenge do not stand, and the holds below them are already first.
    activeHolds: async (tx, p): Promise<DashboardHolds> => {
      const [row] = await tx.read(
        `SELECT count(*) AS total,
                count(*) FILTER (WHERE a.status = 'held') AS held,
                count(*) FILTER (WHERE a.status = 'challenged') AS challenged,
                count(*) FILTER (WHERE ${levelNowSql('a', NOW)} = 1) AS first_holds
           FROM avails a
          WHERE a.company_id = $1 AND ${standingSql('a', NOW)}
            AND ${DAYS_OF_PERIOD('a.date')}`,
        p,
      );
      return { total: count(row.total), held: count(row.held), challenged: count(row.challenged), firstHolds: count(row.first_holds) };
    },

    // The show's day is the offer's date, else its event's start; a sent offer past expiry reads expired.
    // Dated offers and event-linked ones without a date are read apart, each through its own index
    // (offers by date; the period's events, then their offers): one condition over both reads every offer.
    offersByStatus: async (tx, p): Promise<DashboardOfferCount[]> => {
      const rows = await tx.read<{ status: OfferState; count: string }>(
        `SELECT ${offerStatusNowSql('o', NOW)} AS status, count(*) AS count
           FROM (SELECT o.status, o.expires_at FROM offers o
                  WHERE o.company_id = $1 AND ${DAYS_OF_PERIOD('o.date')}
                 UNION ALL
                 SELECT o.status, o.expires_at FROM events e
                   JOIN offers o ON o.company_id = e.company_id AND o.event_id = e.id
                  WHERE e.company_id = $1 AND e.starts_at >= $2 AND e.starts_at < $3 AND o.date IS NULL) o
          GROUP BY 1`,
        p,
      );
      const byStatus = new Map(rows.map((r) => [r.status, count(r.count)]));
      return OFFER_STATES.map((status) => ({ status, count: byStatus.get(status) ?? 0 }));
    },

    pendingApprovals: async (tx): Promise<DashboardApprovals> => {
      const { totals, oldestSubmittedAt } = await approvalQueueState(tx);
      return { count: totals.reduce((n, a) => n + a.count, 0), oldestSubmittedAt, amounts: totals };
    },

    income: (tx, p) => moneyOfEventsInPeriod(tx, p, 'incomes', ''),
    approvedExpenses: (tx, p) => moneyOfEventsInPeriod(tx, p, 'expenses', `AND m.status = 'approved'`),

    // The caller's own: open is to do or in progress; overdue is open and past its due time.
    myTasks: async (tx, p): Promise<DashboardTasks> => {
      const [row] = await tx.read(
        `SELECT count(*) AS open,
                count(*) FILTER (WHERE due_at < ${NOW}) AS overdue,
                count(*) FILTER (WHERE due_at >= $2 AND due_at < $3) AS due_in_period
           FROM tasks
          WHERE company_id = $1 AND assignee_id = $4 AND status IN ('todo', 'in_progress')`,
        [p[0], p[1], p[2], tx.userId, p[4]],
      );
      return { open: count(row.open), overdue: count(row.overdue), dueInPeriod: count(row.due_in_period) };
    },

    // Unpaid payments due before the period ends: the period's and the overdue ones of earlier days
    // (still owed), overdue apart; through the partial index of due payments.
    paymentsDue: async (tx, p): Promise<DashboardPaymentsDue> => {
      const rows = await tx.read<{ currency: string; count: string; amount: string; overdue_count: string; overdue_amount: string }>(
        `SELECT currency, count(*) AS count, sum(amount) AS amount,
                count(*) FILTER (WHERE due_at <= $3::timestamptz) AS overdue_count,
                COALESCE(sum(amount) FILTER (WHERE due_at <= $3::timestamptz), 0) AS overdue_amount
           FROM agreement_payments
          WHERE company_id = $1 AND status = 'due' AND due_at < $2
          GROUP BY currency ORDER BY currency`,
        [p[0], p[2], p[4]],
      );
      const overdue = rows.filter((r) => count(r.overdue_count) > 0);
      return {
        count: rows.reduce((n, r) => n + count(r.count), 0),
        amounts: rows.map((r) => amountOf(r)),
        overdueCount: overdue.reduce((n, r) => n + count(r.overdue_count), 0),
        overdueAmounts: overdue.map((r) => amountOf({ currency: r.currency, amount: r.overdue_amount })),
      };
    },

    // What can be sold is a tier's quantity less its kills; comps are given, not sold, and stay in it.
    sellThrough: async (tx, p): Promise<DashboardSellThrough> => {
      const rows = await tx.read(
        `SELECT e.*, s.sold AS __sold, s.comps AS __comps, s.allocation AS __allocation,
                count(*) OVER () AS __events, sum(s.sold) OVER () AS __total_sold,
                sum(s.comps) OVER () AS __total_comps, sum(s.allocation) OVER () AS __total_allocation
           FROM events e
          CROSS JOIN LATERAL (
                SELECT COALESCE(sum(t.sold), 0) AS sold, COALESCE(sum(t.comps), 0) AS comps,
                       COALESCE(sum(t.quantity - t.kills), 0) AS allocation
                  FROM tickets t WHERE t.company_id = e.company_id AND t.event_id = e.id) s
          WHERE ${EVENTS_OF_PERIOD}
          ORDER BY e.starts_at, e.id LIMIT ${SALES_EVENTS}`,
        p.slice(0, 3),
      );
      const events = tx.repo(Event);
      const first = rows[0];
      const sold = count(first?.__total_sold);
      const allocation = count(first?.__total_allocation);
      return {
        events: count(first?.__events),
        sold,
        comps: count(first?.__total_comps),
        allocation,
        sellThrough: basisPointsOf(sold, allocation),
        next: rows.map((r) => ({
          event: events.hydrate(r),
          sold: count(r.__sold),
          comps: count(r.__comps),
          allocation: count(r.__allocation),
          sellThrough: basisPointsOf(count(r.__sold), count(r.__allocation)),
        })),
      };
    },
  };
}

function amountOf(row: { currency: string; amount: string }): CurrencyAmount {
  const { amount, currency } = totalFromDatabase(row.amount, row.currency);
  return { currency, amount };
}

/**
 * Money of the events starting in the period (cancelled ones too: their money was real), per
 * currency. By the event's start, not by when money moved: what a promoter reads of a period is
 * what its shows took and cost. Per event of the period (its rows through the event's index), so
 * what it reads is the period's, however much the company has.
 */
async function moneyOfEventsInPeriod(tx: TenantScope, p: PeriodParams, table: 'incomes' | 'expenses', condition: string): Promise<CurrencyAmount[]> {
  const rows = await tx.read<{ currency: string; amount: string }>(
    `SELECT s.currency, sum(s.amount) AS amount
       FROM events e
      CROSS JOIN LATERAL (
            SELECT m.currency, sum(m.amount) AS amount FROM ${table} m
             WHERE m.company_id = e.company_id AND m.event_id = e.id ${condition}
             GROUP BY m.currency) s
      WHERE e.company_id = $1 AND e.starts_at >= $2 AND e.starts_at < $3
      GROUP BY s.currency ORDER BY s.currency`,
    p.slice(0, 3),
  );
  return rows.map(amountOf);
}

export const dashboardService = new DashboardService();
