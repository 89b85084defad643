/** What other families may use of Tasks. */
export { Task, TASK_STATES, TASK_PRIORITIES } from './task.entity';
export type { TaskState, TaskPriority } from './task.entity';
export { taskFamily } from './task.family';
export { taskService, TASK_ASSIGNED } from './task.service';
export { taskModule } from './task.module';
