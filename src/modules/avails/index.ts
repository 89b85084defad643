/** What other families may use of Avails. */
export { Avail, AVAIL_STATES, availFamily } from './avail.family';
export type { AvailState } from './avail.family';
export { ACTIVE_STATES, levelNowSql, standingSql } from './ladder';
export type { Slot } from './ladder';
export { availService } from './avail.service';
export { availModule } from './avail.module';
