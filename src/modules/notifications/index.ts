/** What other families may use of Notifications. */
export { Notification, notificationFamily } from './notification.family';
export { notificationModule } from './notification.module';
