/** The dashboard: a read model over the other families. */
export { dashboardModule, dashboardProcedure } from './dashboard.module';
export { DASHBOARD_PARTS, MAX_PERIOD_DAYS, DEFAULT_PERIOD_DAYS } from './dashboard.service';
export type { DashboardPart } from './dashboard.service';
