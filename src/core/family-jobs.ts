import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Composition } from './composition';
import { isFamilyModule } from './module';
import { isUuid } from '../db/tenant';
import { TenantScope } from '../db/tenant-scope';
import { CallBudgets } from '../jobs/call-budget';
import type { JobQueue } from '../jobs/queue';
import { pruneInBatches } from '../jobs/upkeep';

/** The actor recorded in the history for work the jobs do. */
export const JOBS_ACTOR = 'system:jobs';

/**
 * The families' declared background work on the queue: each job runs in the company it was
 * scheduled for, and each sweep finds its due records across companies here (the only place that
 * may) and handles each one in its own company's scope.
 */
export function registerFamilyJobs(queue: JobQueue, composition: Composition, dataSource: DataSource, config: Config): void {
  const { modules } = composition;
  const scopeFor = (companyId: string) => new TenantScope(dataSource.manager, { companyId, userId: JOBS_ACTOR }, null, undefined, queue.clock, composition);
  const budgets = new CallBudgets(dataSource, queue.instanceId, queue.clock);
  for (const module of modules) {
    for (const [kind, job] of Object.entries(module.jobs ?? {})) {
      queue.registerHandler(
        kind,
        async ({ companyId, payload, attempt, signal }) => {
          if (!companyId || !isUuid(companyId)) throw new Error(`Job ${kind} has no company`);
          await job.run(payload, scopeFor(companyId), { attempt, signal, budgets });
        },
        { timeoutMs: job.timeoutMs },
      );
    }
    const prefix = isFamilyModule(module) ? module.family.singular : module.name;
    for (const rule of [module.retention ?? []].flat()) {
      const entity = rule.entity ?? module.family?.entity;
      if (!entity) throw new Error(`${prefix}: a retention rule of a module without a family names its entity`);
      const ruleTable = dataSource.getMetadata(entity).tablePath;
      const maxAgeMs = rule.maxAgeMs(config);
      queue.registerPeriodic(`${prefix}.${rule.name ?? 'remove-old'}`, rule.everyMs ?? 3600_000, (access, { signal, clock }) =>
        pruneInBatches(access, signal, ruleTable, `${rule.column ?? 'created_at'} < $2::timestamptz - $1 * interval '1 millisecond'`, [maxAgeMs, clock.now()], rule.batch).then(() => undefined),
      );
    }
    if (!isFamilyModule(module)) continue;
    const table = dataSource.getMetadata(module.family.entity).tablePath;
    for (const [name, sweep] of Object.entries(module.sweeps ?? {})) {
      queue.registerPeriodic(`${module.family.singular}.${name}`, sweep.everyMs, async (access, { signal, clock }) => {
        // The run's time is selected too, so the statement takes it whether or not the condition reads it.
        const due = await access.query<{ company_id: string; id: string }>(
          `SELECT company_id, id, $2::timestamptz AS as_of FROM ${table} WHERE ${sweep.due('$2::timestamptz')} ORDER BY company_id, id LIMIT $1`,
          [sweep.batch ?? 500, clock.now()],
        );
        for (const { company_id: companyId, id } of due) {
          if (signal.aborted) return;
          const scope = scopeFor(companyId);
          const record = await scope.repo(module.family.entity).findById(id);
          if (record) await sweep.run(record, scope);
        }
      });
    }
  }
}
