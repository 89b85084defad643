import { defineProcedure } from '../../core/procedure';
import { f } from '../../core/fields';
import type { ServiceModule } from '../../core/module';
import type { Permission } from '../../permissions/catalog';
import { CurrencyAmount } from '../../core/amount';
import { DashboardInput, DashboardPart, dashboardService } from './dashboard.service';
import {
  Dashboard,
  DashboardApprovals,
  DashboardEventSales,
  DashboardHolds,
  DashboardOfferCount,
  DashboardPaymentsDue,
  DashboardSellThrough,
  DashboardTasks,
  DashboardUpcomingEvents,
} from './dashboard.entity';

/**
 * What each part needs besides basic.dashboard.view: the view permission of the records it counts
 * (sell-through names events as well as their tickets).
 */
const PART_PERMISSIONS: Record<DashboardPart, Permission | readonly Permission[]> = {
  upcomingEvents: 'basic.event.view',
  activeHolds: 'basic.avail.view',
  offersByStatus: 'basic.offer.view',
  pendingApprovals: 'basic.approval.view',
  income: 'basic.income.view',
  approvedExpenses: 'basic.expense.view',
  sellThrough: ['basic.ticket.view', 'basic.event.view'],
  myTasks: 'basic.task.view',
  paymentsDue: 'basic.agreement.view',
};

export const dashboardProcedure = defineProcedure<Dashboard>({
  name: 'dashboard',
  kind: 'query',
  description:
    'What needs attention in a period: upcoming events, active holds, offers by status, pending approvals, ' +
    'income and approved expenses per currency, sell-through, agreement payments due. Each part needs its own view permission.',
  permission: 'basic.dashboard.view',
  rest: { method: 'GET', path: '/dashboard' },
  input: {
    from: f.dayOrDateTime().describe('Start: a day (its midnight in the company’s time zone) or a date-time. Default: today.'),
    to: f.dayOrDateTime().describe('End: a day (counted whole) or a date-time (excluded). Default: 30 days after from; at most 366 days.'),
  },
  returns: () => Dashboard,
  // ApprovalTotal (pending approvals' amounts) keeps the approval queue's own rule, basic.approval.view.
  valueTypes: [DashboardUpcomingEvents, DashboardHolds, DashboardOfferCount, DashboardApprovals, DashboardSellThrough, DashboardEventSales, CurrencyAmount, DashboardTasks, DashboardPaymentsDue],
  parts: PART_PERMISSIONS,
  run: (input, scope, _access, parts) => dashboardService.compute(input as DashboardInput, scope, parts as ReadonlySet<DashboardPart>),
});

/** The dashboard: a read model over the families, no records of its own. */
export const dashboardModule: ServiceModule = { name: 'dashboard', procedures: [dashboardProcedure] };
