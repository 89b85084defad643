/** What other families may use of Events. */
export { Event, EVENT_STATES } from './event.entity';
export type { EventState } from './event.entity';
export { eventFamily, LINEUP_MAX } from './event.family';
export { eventService } from './event.service';
export { eventModule } from './event.module';
