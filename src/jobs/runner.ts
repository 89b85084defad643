import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { CrossCompanyAccess } from './cross-company';
import { Enqueued, enqueueJob, JobSpec, jobWakeups, SqlRunner } from './enqueue';
import { BackoffPolicy, DEFAULT_BACKOFF, JobTimeoutError, RetryAfterError, retryDelayMs } from './retry';

/**
 * The background-job runner. Jobs are rows of `jobs`; any number of instances claim them with
 * `FOR UPDATE SKIP LOCKED` under a lease, so each run belongs to one instance. Delivery is at least
 * once (an instance that dies mid-run, or a run released at shutdown, is run again): handlers check
 * the current state before acting.
 */
export interface Job {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  companyId: string | null;
  /** 1 on the first run. */
  attempt: number;
  /** Aborted when the run times out or the instance stops before it finishes. */
  signal: AbortSignal;
}

export type JobHandler = (job: Job, data: CrossCompanyAccess) => Promise<void>;
export type PeriodicTask = (data: CrossCompanyAccess, signal: AbortSignal) => Promise<void>;
export type JobStatus = 'pending' | 'running' | 'done' | 'failed';
export type FinishedStatus = Extract<JobStatus, 'done' | 'failed'>;

export interface JobRunnerOptions {
  /** The pool for work across companies (openCrossCompanyDatabase), not the service's. */
  crossCompany: DataSource;
  logger: Logger;
  /** How often an idle runner looks for due jobs. */
  pollMs?: number;
  /** Most jobs this instance runs at once. */
  concurrency?: number;
  /** Longest one handler run may take, unless its registration says otherwise. */
  timeoutMs?: number;
  /** On stop, how long running jobs may take before they are handed back. */
  shutdownTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Called once for each job this instance finishes for good (done, or failed after its last attempt). */
  onFinished?: (status: FinishedStatus) => void;
  instanceId?: string;
}

interface Registration {
  handler: JobHandler;
  timeoutMs: number;
  /** Set for periodic tasks: after each run the same row waits this long again. */
  everyMs?: number;
}

interface ClaimedRow {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  company_id: string | null;
  attempts: number;
  max_attempts: number;
}

interface ActiveRun {
  controller: AbortController;
  /** Settles when the run is over and its outcome recorded; never rejects. */
  finished: Promise<void>;
  /** Handed back at shutdown: its outcome is no longer ours to record. */
  released: boolean;
}

/** Periodic tasks are jobs too: one row per task, kind and dedupe key `periodic:<name>`. */
const PERIODIC = 'periodic:';
/** Lease beyond the handler timeout, so a slow statement after the handler does not lose the job. */
const LEASE_MARGIN_MS = 30_000;
/** After an in-process enqueue, look again this much later: the enqueuing transaction may not have committed at the first look. */
const WAKE_RECHECK_MS = 100;
const MAX_ERROR_LENGTH = 2000;

export class JobRunner {
  readonly instanceId: string;
  private readonly logger: Logger;
  private readonly data: CrossCompanyAccess;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly defaultTimeoutMs: number;
  private readonly shutdownTimeoutMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly onFinished: (status: FinishedStatus) => void;
  private readonly handlers = new Map<string, Registration>();
  private readonly periodicToSchedule = new Set<string>();
  private readonly active = new Map<string, ActiveRun>();
  private state: 'idle' | 'started' | 'stopping' | 'stopped' = 'idle';
  private pollTimer?: NodeJS.Timeout;
  private tickRequested = false;
  /** Ticks run one after another, so the concurrency bound holds. */
  private lastTick: Promise<unknown> = Promise.resolve();
  private stopped?: Promise<void>;
  private readonly onWake = () => {
    this.requestTick();
    setTimeout(() => this.requestTick(), WAKE_RECHECK_MS).unref();
  };

  constructor(options: JobRunnerOptions) {
    this.logger = options.logger.child({ component: 'jobs' });
    this.data = new CrossCompanyAccess(options.crossCompany);
    this.pollMs = options.pollMs ?? 1000;
    this.concurrency = options.concurrency ?? 4;
    this.defaultTimeoutMs = options.timeoutMs ?? 60_000;
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.onFinished = options.onFinished ?? (() => undefined);
  }

  /** True between start() and stop(): polling and claiming on its own. */
  get isRunning(): boolean {
    return this.state === 'started';
  }

  registerHandler(kind: string, handler: JobHandler, options: { timeoutMs?: number } = {}): void {
    if (kind.startsWith(PERIODIC)) throw new Error(`Job kind ${kind}: the prefix ${PERIODIC} is reserved for periodic tasks`);
    this.register(kind, { handler, timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs });
  }

  /** Run `task` every `everyMs`, on one instance at a time (the task's row is claimed like any job). */
  registerPeriodic(name: string, everyMs: number, task: PeriodicTask, options: { timeoutMs?: number } = {}): void {
    if (!(Number.isInteger(everyMs) && everyMs > 0)) throw new Error(`Periodic task ${name}: everyMs must be a positive integer`);
    const kind = `${PERIODIC}${name}`;
    this.register(kind, {
      handler: (job, data) => task(data, job.signal),
      timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs,
      everyMs,
    });
    this.periodicToSchedule.add(kind);
  }

  private register(kind: string, registration: Registration): void {
    if (this.handlers.has(kind)) throw new Error(`Job kind ${kind} already has a handler`);
    this.handlers.set(kind, registration);
  }

  /** Enqueue outside a caller's transaction (inside one, call enqueueJob with its EntityManager). */
  enqueue(spec: JobSpec, sql?: SqlRunner): Promise<Enqueued> {
    // On its own, for any company: the cross-company pool (row-level security).
    return sql ? enqueueJob(sql, spec) : this.data.transaction((manager) => enqueueJob(manager, spec));
  }

  /** One statement on `jobs` across companies (row-level security lets the runner see every company's jobs). */
  private sql(text: string, params?: unknown[]): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.data.query(text, params);
  }

  /**
   * Jobs waiting or running (all kinds, all companies): read through the claim index, so the cost
   * follows the backlog, never the finished history (finished jobs are counted as they finish,
   * `onFinished`).
   */
  async counts(): Promise<Record<Exclude<JobStatus, FinishedStatus>, number>> {
    const [row]: { pending: number; running: number }[] = await this.sql(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'running')::int AS running
         FROM jobs WHERE status IN ('pending', 'running')`,
    );
    return row;
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'started';
    jobWakeups.on('enqueued', this.onWake);
    this.schedulePoll(0);
  }

  /**
   * One look for due work, run to completion: claims what fits the concurrency bound, runs it and
   * records the outcomes. What the poll loop does, on demand (tests, tools).
   * Resolves to the number of jobs run.
   */
  async runOnce(): Promise<number> {
    const runs = await this.tick();
    await Promise.all(runs);
    return runs.length;
  }

  /**
   * Claim nothing new; let running jobs finish within the shutdown timeout; hand back those that
   * do not (pending again, lease cleared) so another instance runs them.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.state = 'stopping';
      clearTimeout(this.pollTimer);
      jobWakeups.off('enqueued', this.onWake);
      await this.lastTick;
      const runs = [...this.active.values()];
      if (runs.length) {
        let timer: NodeJS.Timeout | undefined;
        const inTime = await Promise.race([
          Promise.all(runs.map((r) => r.finished)).then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.shutdownTimeoutMs))),
        ]);
        clearTimeout(timer);
        if (!inTime) await this.releaseUnfinished();
      }
      this.state = 'stopped';
    })();
    return this.stopped;
  }

  private async releaseUnfinished(): Promise<void> {
    const ids = [...this.active.keys()];
    for (const run of this.active.values()) {
      run.released = true;
      run.controller.abort(new Error('instance stopping'));
    }
    try {
      const [released] = await this.sql(
        `UPDATE jobs SET status = 'pending', locked_by = NULL, locked_until = NULL, run_at = now(), updated_at = now()
          WHERE id = ANY($1::uuid[]) AND locked_by = $2 AND status = 'running'
          RETURNING id`,
        [ids, this.instanceId],
      );
      this.logger.warn({ jobs: ids, released: released?.length ?? ids.length }, 'jobs still running at shutdown were handed back');
    } catch (err) {
      // Their leases expire and another instance reclaims them.
      this.logger.error({ err, jobs: ids }, 'could not hand back running jobs; they are reclaimed when their lease expires');
    }
  }

  private schedulePoll(ms: number): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => this.requestTick(), ms);
    this.pollTimer.unref();
  }

  /** A tick for the poll loop: coalesced, errors logged, next poll scheduled after it. */
  private requestTick(): void {
    if (this.state !== 'started' || this.tickRequested) return;
    this.tickRequested = true;
    this.tick()
      .catch((err) => this.logger.warn({ err }, 'job poll failed; retrying at the next poll'))
      .finally(() => {
        if (this.state === 'started') this.schedulePoll(this.pollMs);
      });
  }

  private tick(): Promise<Promise<void>[]> {
    const next = this.lastTick.then(() => this.claimAndLaunch());
    this.lastTick = next.catch(() => undefined);
    return next;
  }

  private async claimAndLaunch(): Promise<Promise<void>[]> {
    this.tickRequested = false;
    if (this.state === 'stopping' || this.state === 'stopped') return [];
    const free = this.concurrency - this.active.size;
    // One cross-company transaction per look.
    const scheduled = [...this.periodicToSchedule];
    const rows = await this.data.transaction(async (manager) => {
      await this.reclaimExpiredLeases(manager);
      await this.schedulePeriodic(manager, scheduled);
      return free > 0 ? this.claim(manager, free) : [];
    });
    // Committed: those rows exist now.
    for (const kind of scheduled) this.periodicToSchedule.delete(kind);
    return rows.map((row) => this.launch(row));
  }

  /**
   * Jobs whose lease ran out (their instance died, or hung past timeout and margin) are waiting
   * again. It counts as an attempt, so a job that kills its instance cannot loop forever.
   */
  private async reclaimExpiredLeases(manager: EntityManager): Promise<void> {
    const [rows] = await manager.query(
      `UPDATE jobs
          SET attempts = attempts + 1,
              last_error = 'lease expired (held by ' || locked_by || ')',
              status = CASE WHEN attempts + 1 >= max_attempts AND kind NOT LIKE '${PERIODIC}%' THEN 'failed' ELSE 'pending' END,
              run_at = now(), locked_by = NULL, locked_until = NULL, updated_at = now()
        WHERE status = 'running' AND locked_until < now()
        RETURNING id, kind`,
    );
    if (rows?.length) this.logger.warn({ jobs: rows }, 'reclaimed jobs whose lease expired');
  }

  /** Each periodic task has its row (created once, by whichever instance gets there first). */
  private async schedulePeriodic(manager: EntityManager, kinds: string[]): Promise<void> {
    for (const kind of kinds) {
      await manager.query(
        `INSERT INTO jobs (kind, payload, dedupe_key) VALUES ($1, $2::jsonb, $1)
         ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'running') DO NOTHING`,
        [kind, JSON.stringify({ everyMs: this.handlers.get(kind)?.everyMs })],
      );
    }
  }

  private async claim(manager: EntityManager, limit: number): Promise<ClaimedRow[]> {
    if (!this.handlers.size) return [];
    const leaseMs = Math.max(...[...this.handlers.values()].map((r) => r.timeoutMs)) + LEASE_MARGIN_MS;
    const [rows] = await manager.query(
      `UPDATE jobs
          SET status = 'running', locked_by = $1, locked_until = now() + $2 * interval '1 millisecond', updated_at = now()
        WHERE id IN (SELECT id FROM jobs
                      WHERE status = 'pending' AND run_at <= now() AND kind = ANY($3::text[])
                      ORDER BY run_at
                      LIMIT $4
                      FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, payload, company_id, attempts, max_attempts`,
      [this.instanceId, leaseMs, [...this.handlers.keys()], limit],
    );
    return rows ?? [];
  }

  private launch(row: ClaimedRow): Promise<void> {
    const run: ActiveRun = { controller: new AbortController(), finished: Promise.resolve(), released: false };
    run.finished = this.execute(row, run)
      .catch((err) => this.logger.error({ err, job: row.id, kind: row.kind }, 'could not record the outcome of a job; its lease will expire and it runs again'))
      .finally(() => {
        this.active.delete(row.id);
        this.requestTick(); // a slot is free
      });
    this.active.set(row.id, run);
    return run.finished;
  }

  private async execute(row: ClaimedRow, run: ActiveRun): Promise<void> {
    const registration = this.handlers.get(row.kind)!;
    const job: Job = {
      id: row.id,
      kind: row.kind,
      payload: row.payload,
      companyId: row.company_id,
      attempt: row.attempts + 1,
      signal: run.controller.signal,
    };
    let error: unknown = null;
    let timer: NodeJS.Timeout | undefined;
    try {
      const handled = Promise.resolve().then(() => registration.handler(job, this.data));
      handled.catch(() => undefined); // a run that outlives its timeout must not reject unobserved
      await Promise.race([
        handled,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new JobTimeoutError(registration.timeoutMs)), registration.timeoutMs);
        }),
      ]);
    } catch (err) {
      error = err ?? new Error('handler failed without a reason');
    } finally {
      clearTimeout(timer);
    }
    if (error instanceof JobTimeoutError) run.controller.abort(error);
    if (run.released) return;
    await this.record(row, registration, error);
  }

  /** The outcome of a run; each update applies only while this instance still holds the job. */
  private async record(row: ClaimedRow, registration: Registration, error: unknown): Promise<void> {
    const held = `WHERE id = $1 AND locked_by = $2 AND status = 'running'`;
    const unlock = `locked_by = NULL, locked_until = NULL, updated_at = now()`;
    const params = [row.id, this.instanceId];
    if (error === null) {
      if (registration.everyMs !== undefined) {
        await this.sql(
          `UPDATE jobs SET status = 'pending', run_at = now() + $3 * interval '1 millisecond', attempts = 0, last_error = NULL, ${unlock} ${held}`,
          [...params, registration.everyMs],
        );
      } else {
        const done = await this.sql(`UPDATE jobs SET status = 'done', ${unlock} ${held} RETURNING id`, params);
        if (done.length) this.onFinished('done');
      }
      return;
    }

    const message = describeError(error);
    if (error instanceof RetryAfterError) {
      await this.sql(
        `UPDATE jobs SET status = 'pending', run_at = now() + $3 * interval '1 millisecond', last_error = $4, ${unlock} ${held}`,
        [...params, Math.max(0, Math.round(error.delayMs)), message],
      );
      this.logger.info({ job: row.id, kind: row.kind, delayMs: error.delayMs }, 'job asked to retry later');
      return;
    }
    if (registration.everyMs !== undefined) {
      // A periodic task never gives up: it tries again next period.
      await this.sql(
        `UPDATE jobs SET status = 'pending', run_at = now() + $3 * interval '1 millisecond', attempts = attempts + 1, last_error = $4, ${unlock} ${held}`,
        [...params, registration.everyMs, message],
      );
    } else {
      const failed = row.attempts + 1 >= row.max_attempts;
      const recorded = await this.sql(
        `UPDATE jobs SET attempts = attempts + 1, last_error = $3,
                status = $4, run_at = CASE WHEN $4 = 'failed' THEN run_at ELSE now() + $5 * interval '1 millisecond' END,
                ${unlock} ${held} RETURNING id`,
        [...params, message, failed ? 'failed' : 'pending', retryDelayMs(row.attempts + 1, this.backoff)],
      );
      if (failed && recorded.length) this.onFinished('failed');
    }
    this.logger.warn({ job: row.id, kind: row.kind, attempt: row.attempts + 1, error: message }, 'job failed');
  }
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
