import { FamilyService } from '../../core/service';
import { Notification } from './notification.entity';
import { notificationFamily } from './notification.family';

export const notificationService = new FamilyService<Notification>(notificationFamily);
