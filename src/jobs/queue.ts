import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import {
  Logger as WorkerLogger,
  parseCronItems,
  run,
  runOnce,
  type Job as WorkerJob,
  type JobHelpers,
  type ParsedCronItem,
  type Runner,
  type RunnerOptions,
  type Task,
  type TaskList,
  type TimestampDigest,
  type WorkerEvents,
} from 'graphile-worker';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { Clock, systemClock } from '../shared/clock';
import { CrossCompanyAccess } from './cross-company';
import { Enqueued, enqueueJob, JobSpec, SqlRunner } from './enqueue';
import { JobHandedBackError, JobTimeoutError, RetryAfterError } from './retry';

/**
 * Background jobs on graphile-worker: jobs are added in the transaction of the change that needs
 * them (src/jobs/enqueue.ts), any number of instances take them (each run belongs to one), a
 * LISTEN/NOTIFY wake-up starts a new job at once on whichever instance is free, failed runs come
 * back with the library's backoff, and periodic tasks come from its crontab. What it does not do is
 * here: each job's company, a timeout per kind, "come back later" (RetryAfterError), handing back at
 * shutdown what outlives the shutdown timeout, and the metrics. Delivery is at least once (a run
 * handed back, or held by an instance that died, runs again): handlers check the current state first.
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
  /** The server's clock: what the run's expiries, deadlines and cut-offs compare with. */
  clock: Clock;
}

export type JobHandler = (job: Job, data: CrossCompanyAccess) => Promise<void>;
/** A periodic task's run: its abort signal and the server's clock, as a job's. */
export type PeriodicRun = Pick<Job, 'signal' | 'clock'>;
export type PeriodicTask = (data: CrossCompanyAccess, run: PeriodicRun) => Promise<void>;
export type FinishedStatus = 'done' | 'failed';

export interface JobQueueOptions {
  /** The pool for work across companies (openCrossCompanyDatabase), not the service's: the worker runs on it too. */
  crossCompany: DataSource;
  /** graphile-worker's schema (jobQueueSchema), installed by the migrations. */
  schema: string;
  logger: Logger;
  /** How often an idle instance looks for jobs that became due (new ones wake it at once). */
  pollMs?: number;
  /** Most jobs this instance runs at once. */
  concurrency?: number;
  /** Longest one handler run may take, unless its registration says otherwise. */
  timeoutMs?: number;
  /** On stop, how long running jobs may take before they are handed back. */
  shutdownTimeoutMs?: number;
  /** Called once for each job this instance finishes for good (done, or failed after its last attempt). */
  onFinished?: (status: FinishedStatus) => void;
  instanceId?: string;
  /** The server's clock, handed to every run (the queue's own due times stay the database's). */
  clock?: Clock;
}

/** The stored payload: the company beside what the enqueuer passed. */
interface Envelope {
  companyId?: string | null;
  payload?: Record<string, unknown>;
}

/** Periodic tasks are jobs too, of kind `periodic:<name>`: one waiting at a time (key), one running at a time (queue). */
const PERIODIC = 'periodic:';
const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
/** The gauge counts at most this many jobs per state: a scrape stays cheap whatever the backlog. */
const COUNT_LIMIT = 100_000;
/** Most failed jobs one statement of the retention removes. */
const PRUNE_BATCH = 1000;

export class JobQueue {
  readonly instanceId: string;
  readonly clock: Clock;
  /** graphile-worker's schema. */
  readonly schema: string;
  private readonly logger: Logger;
  private readonly data: CrossCompanyAccess;
  private readonly pool: Pool;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly defaultTimeoutMs: number;
  private readonly shutdownTimeoutMs: number;
  private readonly onFinished: (status: FinishedStatus) => void;
  /** Read by the library at every look for work, so kinds registered later are taken from then on. */
  private readonly tasks: TaskList = Object.create(null);
  private readonly periodic = new Map<string, number>();
  /** Runs that asked to come back later: their job was added again, so their success is not one. */
  private readonly rescheduled = new Set<string>();
  /** Runs cut off by the shutdown timeout, to hand back once the library has released them. */
  private readonly handedBack = new Set<string>();
  private runner?: Runner;
  private stopped?: Promise<void>;

  constructor(options: JobQueueOptions) {
    this.logger = options.logger.child({ component: 'jobs' });
    this.data = new CrossCompanyAccess(options.crossCompany);
    this.pool = (options.crossCompany.driver as unknown as { master: Pool }).master;
    this.schema = options.schema;
    this.pollMs = options.pollMs ?? 1000;
    this.concurrency = options.concurrency ?? 4;
    this.defaultTimeoutMs = options.timeoutMs ?? 60_000;
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.clock = options.clock ?? systemClock;
    this.onFinished = options.onFinished ?? (() => undefined);
    // Connections the library holds (its LISTEN) may fail while checked out: log it, as TypeORM does for its own.
    if (!this.pool.listeners('connect').length) {
      this.pool.on('connect', (client) => client.on('error', (err) => this.logger.warn({ err }, 'a job queue connection failed')));
    }
  }

  /** True between start() and stop(): taking jobs on its own. */
  get isRunning(): boolean {
    return this.runner !== undefined && this.stopped === undefined;
  }

  registerHandler(kind: string, handler: JobHandler, options: { timeoutMs?: number } = {}): void {
    if (kind.startsWith(PERIODIC)) throw new Error(`Job kind ${kind}: the prefix ${PERIODIC} is reserved for periodic tasks`);
    this.register(kind, options.timeoutMs, handler);
  }

  /**
   * Run `task` every `everyMs` (whole minutes that divide a day), on one instance at a time: the
   * crontab of every started instance adds its job at its minute, and the library lets one of them
   * add it. Register before start().
   */
  registerPeriodic(name: string, everyMs: number, task: PeriodicTask, options: { timeoutMs?: number } = {}): void {
    const minutes = everyMs / MINUTE_MS;
    if (!(Number.isInteger(minutes) && minutes > 0 && DAY_MINUTES % minutes === 0)) {
      throw new Error(`Periodic task ${name}: everyMs must be whole minutes that divide a day (1, 5, 60, 360, 1440 minutes…)`);
    }
    if (this.runner) throw new Error(`Periodic task ${name}: register it before the queue starts`);
    const kind = `${PERIODIC}${name}`;
    this.register(kind, options.timeoutMs, (job, data) => task(data, job));
    this.periodic.set(kind, minutes);
  }

  private register(kind: string, timeoutMs: number | undefined, handler: JobHandler): void {
    if (this.tasks[kind]) throw new Error(`Job kind ${kind} already has a handler`);
    this.tasks[kind] = this.task(kind, timeoutMs ?? this.defaultTimeoutMs, handler);
  }

  /** Enqueue outside a caller's transaction (inside one, call enqueueJob with its EntityManager). */
  enqueue(spec: JobSpec, sql?: SqlRunner): Promise<Enqueued> {
    // On its own, for any company: the cross-company pool.
    return enqueueJob(sql ?? this.data, spec);
  }

  /** Add periodic tasks' jobs due now, as their schedule does at their minute (tests, tools). */
  async triggerPeriodic(...names: string[]): Promise<void> {
    for (const name of names) {
      const kind = `${PERIODIC}${name}`;
      if (!this.periodic.has(kind)) throw new Error(`No periodic task ${name}`);
      await this.data.query(`SELECT FROM ${this.ident}.add_job($1, '{}'::json, queue_name => $1, max_attempts => 1, job_key => $1)`, [kind]);
    }
  }

  /**
   * Jobs waiting (due or later) or running, all kinds, all instances, each state counted up to a
   * bound. Succeeded jobs are gone from the library's table; failed ones are not counted.
   */
  async counts(): Promise<{ pending: number; running: number }> {
    const [row] = await this.data.query<{ pending: number; running: number }>(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM ${this.ident}.jobs WHERE locked_at IS NULL AND attempts < max_attempts LIMIT $1) waiting)::int AS pending,
              (SELECT count(*) FROM (SELECT 1 FROM ${this.ident}.jobs WHERE locked_at IS NOT NULL LIMIT $1) taken)::int AS running`,
      [COUNT_LIMIT],
    );
    return row;
  }

  /**
   * Jobs that failed for good and last changed over `days` before `now` (the server's clock) go (the
   * library keeps them for a person to look at).
   */
  async removeFailed(days: number, now: Date, signal: AbortSignal): Promise<number> {
    let removed = 0;
    while (!signal.aborted) {
      const [{ n }] = await this.data.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${this.ident}.complete_jobs(ARRAY(
           SELECT id FROM ${this.ident}.jobs
            WHERE attempts >= max_attempts AND locked_at IS NULL AND updated_at < $2::timestamptz - $1 * interval '1 day'
            LIMIT ${PRUNE_BATCH}))`,
        [days, now],
      );
      removed += n;
      if (n < PRUNE_BATCH) break;
    }
    return removed;
  }

  /** Take jobs on this instance: the worker pool, its LISTEN wake-up and the crontab. */
  async start(): Promise<void> {
    if (this.runner || this.stopped) return;
    this.runner = await run(this.options(this.events()), undefined, this.crontab());
    this.runner.promise.catch((err) => this.logger.error({ err }, 'the job queue stopped taking jobs'));
  }

  /**
   * Everything due now, run to completion, on this instance (concurrently up to its concurrency);
   * what start() does continuously, on demand (tests, tools). Resolves to the number of runs.
   */
  async runOnce(): Promise<number> {
    const events = this.events();
    let runs = 0;
    events.on('job:start', () => runs++);
    await runOnce(this.options(events), this.tasks);
    return runs;
  }

  /**
   * Take nothing new; let running jobs finish within the shutdown timeout; hand back those that do
   * not (due at once, the attempt not counted) so another instance runs them.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      if (!this.runner) return;
      await this.runner.stop();
      await this.handBack();
    })();
    return this.stopped;
  }

  private async handBack(): Promise<void> {
    if (!this.handedBack.size) return;
    const ids = [...this.handedBack];
    try {
      await this.data.query(
        `SELECT FROM ${this.ident}.jobs j, LATERAL ${this.ident}.reschedule_jobs(ARRAY[j.id], run_at => now(), attempts => j.attempts - 1) r
          WHERE j.id = ANY($1::bigint[]) AND j.locked_at IS NULL`,
        [ids],
      );
      this.logger.warn({ jobs: ids }, 'jobs still running at shutdown were handed back');
    } catch (err) {
      // They run again after the library's backoff.
      this.logger.error({ err, jobs: ids }, 'could not hand back running jobs; they run again after their backoff');
    }
  }

  private get ident(): string {
    return `"${this.schema.replace(/"/g, '""')}"`;
  }

  private options(events: WorkerEvents): RunnerOptions {
    return {
      pgPool: this.pool,
      schema: this.schema,
      concurrency: this.concurrency,
      pollInterval: this.pollMs,
      // The server handles SIGTERM (src/main.ts) and stops the queue in its order.
      noHandleSignals: true,
      gracefulShutdownAbortTimeout: this.shutdownTimeoutMs,
      logger: workerLogger(this.logger),
      events,
      taskList: this.tasks,
      preset: {
        plugins: [SCHEMA_FROM_MIGRATIONS],
        // Outcomes are written before the pool reports it stopped (runOnce, stop): batched with no delay.
        worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 },
      },
    };
  }

  /** The library's events of one pool: the metrics, and what a run asked for. */
  private events(): WorkerEvents {
    const events = new EventEmitter() as WorkerEvents;
    events.on('job:success', ({ job }) => {
      if (!this.rescheduled.delete(job.id)) this.onFinished('done');
    });
    events.on('job:failed', ({ job }) => {
      if (!this.handedBack.has(job.id)) this.onFinished('failed');
    });
    return events;
  }

  /** Each periodic task at its minutes of the day, spread by name so hourly tasks do not all start at :00. */
  private crontab(): ParsedCronItem[] {
    return parseCronItems(
      [...this.periodic].map(([kind, minutes]) => {
        const offset = spread(kind, minutes);
        return {
          task: kind,
          identifier: kind,
          match: (at: TimestampDigest) => (at.hour * 60 + at.min) % minutes === offset,
          // An instance that was down at the minute catches up on start, once.
          options: { backfillPeriod: minutes * MINUTE_MS, maxAttempts: 1, jobKey: kind, queueName: kind, jobKeyMode: 'replace' as const },
        };
      }),
    );
  }

  /** The library's task for `kind`: the handler with its company, its timeout and its abort signal. */
  private task(kind: string, timeoutMs: number, handler: JobHandler): Task {
    return async (stored, helpers) => {
      const envelope: Envelope = stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {};
      const companyId = envelope.companyId ?? null;
      const payload = envelope.payload ?? {};
      const controller = new AbortController();
      const job: Job = { id: helpers.job.id, kind, payload, companyId, attempt: helpers.job.attempts, signal: controller.signal, clock: this.clock };
      try {
        await bounded(() => handler(job, this.data), controller, timeoutMs, helpers);
      } catch (err) {
        if (err instanceof JobHandedBackError) this.handedBack.add(helpers.job.id);
        if (err instanceof RetryAfterError && !kind.startsWith(PERIODIC)) return this.retryLater(helpers.job, kind, companyId, payload, err);
        throw recorded(err);
      }
    };
  }

  /**
   * "Come back later": the same work as a job of its own after the delay, with the attempts this one
   * had left (a job that holds the key moves to then); this run then ends as a success.
   */
  private async retryLater(job: WorkerJob, kind: string, companyId: string | null, payload: Record<string, unknown>, err: RetryAfterError): Promise<void> {
    await this.enqueue({
      kind,
      payload,
      companyId,
      // The library decides when a job is due by the database's now(): its due times are real time.
      runAt: new Date(Date.now() + Math.max(0, Math.round(err.delayMs))),
      dedupeKey: job.key ?? undefined,
      maxAttempts: Math.max(1, job.max_attempts - job.attempts + 1),
    });
    this.rescheduled.add(job.id);
    this.logger.info({ job: job.id, kind, delayMs: err.delayMs, reason: err.message }, 'job asked to retry later');
  }
}

/**
 * Run `work` until it settles, its timeout passes, or the instance's shutdown timeout (the library's
 * abort signal) passes, whichever comes first; the run's own signal is aborted in the last two cases.
 */
async function bounded(work: () => Promise<void>, controller: AbortController, timeoutMs: number, helpers: JobHelpers): Promise<void> {
  const handled = Promise.resolve().then(work);
  handled.catch(() => undefined); // a run that outlives its bound must not reject unobserved
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  try {
    await Promise.race([
      handled,
      new Promise<never>((_, reject) => {
        const end = (error: Error) => {
          controller.abort(error);
          reject(error);
        };
        timer = setTimeout(() => end(new JobTimeoutError(timeoutMs)), timeoutMs);
        onStop = () => end(new JobHandedBackError());
        if (helpers.abortSignal.aborted) onStop();
        else helpers.abortSignal.addEventListener('abort', onStop, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onStop) helpers.abortSignal.removeEventListener('abort', onStop);
  }
}

const MAX_ERROR_LENGTH = 2000;

/** The library keeps an error's message as the job's `last_error`: the name goes in front, the length is bounded. */
function recorded(error: unknown): Error {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error ?? 'handler failed without a reason');
  const message = text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
  const wrapped = new Error(message, { cause: error });
  if (error instanceof Error && error.stack) wrapped.stack = error.stack;
  return wrapped;
}

/** A stable minute within the period for `kind`. */
function spread(kind: string, minutes: number): number {
  let hash = 0;
  for (const char of kind) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % minutes;
}

/**
 * The library's log lines through the service's logger: a run that failed is a warning (with its job
 * and kind), and its chatter (a worker connected, a job completed) is debug.
 */
function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger(() => (level, message, meta) => {
    const failed = meta as { failure?: boolean; job?: WorkerJob; error?: unknown } | undefined;
    if (failed?.failure && failed.job) {
      logger.warn({ job: failed.job.id, kind: failed.job.task_identifier, attempt: failed.job.attempts, err: failed.error }, 'job failed');
    } else if (level === 'error') logger.error(message);
    else if (level === 'warning') logger.warn(message);
    else logger.debug(message);
  });
}

/**
 * The service never creates or changes graphile-worker's schema: the migrations install it as the
 * owner (migrations/support/job-queue.ts). Started on a schema that is missing or behind the
 * library, the queue refuses, naming the fix, instead of trying as a role that may not.
 */
const SCHEMA_FROM_MIGRATIONS: GraphileConfig.Plugin = {
  name: 'KisumSchemaFromMigrations',
  version: '1.0.0',
  worker: {
    middleware: {
      bootstrap(_next, event) {
        throw new Error(`the job queue's schema ${event.ctx.workerSchema} is not installed: run the migrations as the schema owner (npm run migrate)`);
      },
      async migrate(next, event) {
        const { rows } = await event.client.query<{ id: number | null }>(`SELECT max(id) AS id FROM ${event.ctx.escapedWorkerSchema}.migrations`);
        if ((rows[0]?.id ?? 0) < event.ctx.maxMigrationNumber) {
          throw new Error(`the job queue's schema ${event.ctx.workerSchema} is behind graphile-worker: run the migrations as the schema owner (npm run migrate)`);
        }
        return next();
      },
    },
  },
};
