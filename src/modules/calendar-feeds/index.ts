/** What other modules may use of Calendar feeds. */
export { CalendarFeed, CalendarFeedRow } from './calendar-feed.entity';
export { calendarFeedModule } from './calendar-feed.module';
