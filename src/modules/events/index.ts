/** What other families may use of Events. */
export { Event, EVENT_STATES, eventFamily, eventService, LINEUP_MAX } from './event.family';
export type { EventState } from './event.family';
export { eventModule } from './event.module';
