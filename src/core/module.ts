import type { Logger } from 'pino';
import type { Config } from '../config';
import type { TenantEntity } from '../db/base-entity';
import type { ClassType } from '../db/class-type';
import type { Configured } from './composition';
import type { DocumentDef } from './documents';
import type { CallBudgets } from '../jobs/call-budget';
import type { TenantScope } from '../db/tenant-scope';
import type { ProcedureDef } from './procedure';
import type { EventDecl } from './event-types';
import type { EventHandlers } from './events';
import type { FamilyDef } from './family';
import type { Notices } from './notices';
import type { RelationDef } from './relations';
import type { SecretLinkDef } from './secret-link';
import type { SubscriptionDef } from './subscriptions';
import type { FamilyService } from './service';
import type { ComputedReadDef } from './computed-reads';

/**
 * What one family hands the composition (`src/modules/index.ts` lists them all): its declaration and
 * service, the fields it adds between families, and the handlers it runs on other families' events.
 * The surfaces make routes, resolvers, rules and OpenAPI from it; nothing here knows HTTP or GraphQL.
 */
export interface FamilyModule<E extends TenantEntity = TenantEntity> extends ModuleParts {
  family: FamilyDef<E>;
  /** Its service when it has one of its own (a subclass); else the kit's (`serviceOf`). */
  service?: FamilyService<E>;
  relations?: RelationDef[];
  /** Computed reads it adds under records of a family (its own or another's). */
  computedReads?: ComputedReadDef[];
  /** Documents (PDF) it makes of records of a family (its own or another's). */
  documents?: DocumentDef[];
  /** Periodic sweeps over this family's records that are due (expired holds, stale challenges). */
  sweeps?: Record<string, FamilySweep<E>>;
}

/**
 * A module without a record family of its own: a read model (the dashboard), an integration (Xero),
 * helpers that answer from several families (AI). It offers procedures, handles events, runs jobs.
 */
export interface ServiceModule extends ModuleParts {
  name: string;
  family?: undefined;
  /** The events it records (`<name>.<past participle>`); a family's are on its declaration. */
  events?: readonly EventDecl[];
}

/** Everything the composition serves is one of these (`src/modules/index.ts`). */
export type Module = FamilyModule | ServiceModule;

export const isFamilyModule = (module: Module): module is FamilyModule => module.family !== undefined;

const ownModules = new WeakMap<FamilyDef, FamilyModule>();

/**
 * What the composition lists (`src/modules/index.ts`) as a module: a family with nothing besides its
 * declaration (no relations, handlers, jobs) is listed as its declaration, and is its own module.
 */
export function asModule(entry: Module | FamilyDef): Module {
  if (!('typeName' in entry)) return entry;
  let module = ownModules.get(entry);
  if (!module) ownModules.set(entry, (module = { family: entry }));
  return module;
}

/** What any module may hand the composition besides a family. */
export interface ModuleParts {
  /** Operations beyond a family's records, each made into a REST route and a GraphQL root field. */
  procedures?: ProcedureDef[];
  /** Tables beyond a family's record (a connection, counters, a log). */
  entities?: ClassType[];
  /** Event type → handlers run inside the transaction that recorded the event. */
  handlers?: EventHandlers;
  /**
   * Background work by job kind, scheduled with `tx.enqueue({ kind, … })` inside a change's
   * transaction. It runs in the company the job was scheduled for; delivery is at least once, so
   * the work checks the record's current state first.
   */
  jobs?: Record<string, FamilyJob>;
  /**
   * Called once per server at start-up with its configuration, before anything is served: a module
   * that talks to another service makes its client from the URL, key and limits here and answers it
   * as a setting (`KEY.is(client)`); its services read it back from the scope (`KEY.of(scope)`), so
   * each server started in a process keeps its own.
   */
  configure?(config: Config, logger: Logger): Configured | Configured[];
  /** What its events tell the users they affect (event type → notice); see core/notices.ts. */
  notices?: Notices;
  /** Documents served at links that carry a secret instead of a token, outside `/api` (a calendar feed). */
  links?: SecretLinkDef[];
  /**
   * Records older than this are removed, in every company, by a periodic job (one per rule): of
   * the family's table, or of one of the module's `entities` that the rule names.
   */
  retention?: FamilyRetention | FamilyRetention[];
  /** What a caller may follow as it changes, each made into a GraphQL `Subscription` field (core/subscriptions.ts). */
  subscriptions?: SubscriptionDef[];
}

export interface FamilyRetention {
  /** The table's entity when it is not the family's (a service module's table). */
  entity?: ClassType;
  /** The age past which a record is removed, from the configuration (measured against the server's clock). */
  maxAgeMs(config: Config): number;
  /** The column the age is read from (an index must lead with it); default `created_at`. */
  column?: string;
  /** Names the periodic job `<family>.<name>`; default `remove-old`. */
  name?: string;
  /** How often to look, in whole minutes that divide a day (the job queue's crontab); default hourly. */
  everyMs?: number;
  /** Most records one statement removes; the job repeats until none is left. */
  batch?: number;
}

export interface FamilyJob {
  run(payload: Record<string, unknown>, scope: TenantScope, context: JobContext): Promise<void>;
  timeoutMs?: number;
}

/** What a job run has besides its company's scope. */
export interface JobContext {
  /** 1 on the first run. */
  attempt: number;
  /** Aborted when the run times out or the instance stops. */
  signal: AbortSignal;
  /** Limits of outside APIs, kept across every instance (src/jobs/call-budget.ts). */
  budgets: CallBudgets;
}

export interface FamilySweep<E extends TenantEntity> {
  /** How often, in whole minutes that divide a day (the job queue's crontab). */
  everyMs: number;
  /**
   * Which records are due: one SQL condition on the family's table (the kit finds them in every
   * company), comparing with `now`, the SQL of the run's time from the server's clock (a parameter).
   */
  due(now: string): string;
  /** The work on one due record, in its own company; it rechecks the record, which may have moved on. */
  run(record: E, scope: TenantScope): Promise<void>;
  /** Most records one sweep handles; the rest wait for the next. */
  batch?: number;
}
