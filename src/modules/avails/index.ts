/** What other families may use of Avails. */
export { Avail, AVAIL_STATES, ACTIVE_STATES, levelNowSql, standingSql } from './avail.entity';
export type { AvailState } from './avail.entity';
export { availFamily } from './avail.family';
export type { Slot } from './avail.family';
export { availService } from './avail.service';
export { availModule } from './avail.module';
