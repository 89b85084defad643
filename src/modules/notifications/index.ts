/** What other families may use of Notifications. */
export { Notification } from './notification.entity';
export { notificationFamily } from './notification.family';
export { notificationService } from './notification.service';
export { notificationModule } from './notification.module';
