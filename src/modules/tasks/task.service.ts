import { recordEvent } from '../../core/events';
import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { Task, taskFamily } from './task.family';

/** The event that tells someone a task is now theirs (a notification). */
export const TASK_ASSIGNED = 'task.assigned' as const;

class TaskService extends FamilyService<Task> {
  override create(scope: TenantScope, data: Partial<Task>, parentId?: string): Promise<Task> {
    return scope.transaction(async (tx) => {
      const row = await super.create(tx, { ...data, priority: data.priority ?? 'normal' }, parentId);
      await this.announceAssignment(tx, row, null);
      return row;
    });
  }

  override update(scope: TenantScope, id: string, patch: Partial<Task>, version?: number, parentId?: string): Promise<Task> {
    return scope.transaction(async (tx) => {
      // Locked first, so of two reassignments each one compares with the assignee it replaced.
      const before = await this.repo(tx).lock(id, 'Task');
      const row = await super.update(tx, id, patch, version, parentId);
      await this.announceAssignment(tx, row, before.assigneeId);
      return row;
    });
  }

  /**
   * A task that became someone's (created for them, or handed over) is a `task.assigned` event
   * affecting them; taking a task yourself tells nobody.
   */
  private async announceAssignment(tx: TenantScope, task: Task, previous: string | null): Promise<void> {
    const assignee = task.assigneeId;
    if (!assignee || assignee === previous || assignee === tx.userId) return;
    await recordEvent(tx, {
      type: TASK_ASSIGNED,
      entityType: 'Task',
      entityId: task.id,
      version: task.version,
      payload: { from: previous, to: assignee, title: task.title, affects: [assignee] },
    });
  }
}

export const taskService = new TaskService(taskFamily);
