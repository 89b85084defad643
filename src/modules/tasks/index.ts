/** What other families may use of Tasks. */
export { Task, TASK_STATES, TASK_PRIORITIES, taskFamily } from './task.family';
export type { TaskState, TaskPriority } from './task.family';
export { taskService, TASK_ASSIGNED } from './task.service';
export { taskModule } from './task.module';
