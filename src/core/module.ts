import type { TenantEntity } from '../db/base-entity';
import type { TenantScope } from '../db/tenant-scope';
import type { Config } from '../config';
import type { EventHandlers } from './events';
import type { FamilyDef } from './family';
import type { Notices } from './notices';
import type { RelationDef } from './relations';
import type { FamilyService } from './service';

/**
 * What one family hands the composition (`src/modules/index.ts` lists them all): its declaration and
 * service, the fields it adds between families, and the handlers it runs on other families' events.
 * The surfaces make routes, resolvers, rules and OpenAPI from it; nothing here knows HTTP or GraphQL.
 */
export interface FamilyModule<E extends TenantEntity = TenantEntity> {
  family: FamilyDef<E>;
  service: FamilyService<E>;
  relations?: RelationDef[];
  /** Event type → handlers run inside the transaction that recorded the event. */
  handlers?: EventHandlers;
  /**
   * Background work by job kind, scheduled with `tx.enqueue({ kind, … })` inside a change's
   * transaction. It runs in the company the job was scheduled for; delivery is at least once, so
   * the work checks the record's current state first.
   */
  jobs?: Record<string, FamilyJob>;
  /** Periodic sweeps over this family's records that are due (expired holds, stale challenges). */
  sweeps?: Record<string, FamilySweep<E>>;
  /** What its events tell the users they affect (event type → notice); see core/notices.ts. */
  notices?: Notices;
  /** Records older than this are removed, in every company, by a periodic job. */
  retention?: FamilyRetention;
}

export interface FamilyRetention {
  /** The age past which a record (by `createdAt`) is removed, from the configuration. */
  maxAgeMs(config: Config): number;
  /** How often to look; default hourly. */
  everyMs?: number;
  /** Most records one statement removes; the job repeats until none is left. */
  batch?: number;
}

export interface FamilyJob {
  run(payload: Record<string, unknown>, scope: TenantScope): Promise<void>;
  timeoutMs?: number;
}

export interface FamilySweep<E extends TenantEntity> {
  everyMs: number;
  /** Which records are due: one SQL condition on the family's table (the kit finds them in every company). */
  due: string;
  /** The work on one due record, in its own company; it rechecks the record, which may have moved on. */
  run(record: E, scope: TenantScope): Promise<void>;
  /** Most records one sweep handles; the rest wait for the next. */
  batch?: number;
}
