import DataLoader from 'dataloader';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { Enqueued, enqueueJob, JobSpec } from '../jobs/enqueue';
import { type Change, CHANGES_CHANNEL, changePayload } from './change-feed';
import type { TenantEntity } from './base-entity';
import { encodeCursor, LISTING_DEFAULTS, ListingLimits } from './keyset';
import { emptyPage, Page, PageRequest } from './page';
import { translateWriteError } from './pg-errors';
import { countInWindow, WindowCount } from './rate-counter';
import { Clock, systemClock } from '../shared/clock';
import { CompanyRow, isUuid, ScopeBinding } from './tenant';
import { QueryShaper, TenantRepository } from './tenant-repository';
import { readOnce, ReadOnce, unitOfWork, UnitOfWork } from './unit-of-work';

// core/family.ts takes the page types from here.
export type { Page, PageRequest } from './page';

/**
 * The only way services reach the database. Every repository it hands out is bound to the request's
 * company: the queries it builds carry the company filter, whatever the caller's shape says. The raw
 * SQL of sql() and read() is held to the company by row-level security alone, so its statements
 * name the company themselves as well (`company_id = $1`). The scope also runs transactions, takes locks, schedules jobs, and owns the
 * request's DataLoaders, so batched reads are scoped the same way.
 */
/**
 * What the server's composition root hands every scope it makes: the server's event handlers,
 * notices, families by name and configured modules (`src/core/composition.ts` declares its members
 * by declaration merging). Data access carries it without reading it, so two servers in one process
 * each reach their own.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ScopeComposition {}

export class TenantScope {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();
  /** In a transaction, the time it began: its one now, as PostgreSQL's `now()` is a transaction's. */
  private readonly began: Date | null;

  constructor(
    private readonly manager: EntityManager,
    readonly binding: ScopeBinding,
    /** The request's scope, when this one is a transaction inside it (its caches are cleared on writes). */
    private readonly outer: TenantScope | null = null,
    /** What a list page may cost (LIST_COUNT_LIMIT, LIST_MAX_PAGE_DEPTH). */
    readonly listing: ListingLimits = LISTING_DEFAULTS,
    /** The server's clock (src/shared/clock.ts). */
    readonly clock: Clock = systemClock,
    /** The server this scope works for; absent only in a scope a test makes to read and write rows. */
    private readonly composed: ScopeComposition | null = null,
  ) {
    this.began = outer ? clock.now() : null;
  }

  /**
   * The time domain rules compare with (expiries, deadlines, what a record reads as now): in a
   * transaction the instant it began, so every statement and check of it agrees; outside one, the
   * clock's current time. Queries of the scope's repositories carry it as a parameter (NOW_PARAMETER).
   */
  now(): Date {
    return this.began ?? this.clock.now();
  }

  /** The server this scope works for (its event handlers, notices, families, configured modules). */
  get composition(): ScopeComposition {
    if (!this.composed) throw new Error('This scope was made without a server composition');
    return this.composed;
  }

  get inTransaction(): boolean {
    return this.outer !== null;
  }

  get companyId(): string {
    return this.binding.companyId;
  }
  get userId(): string {
    return this.binding.userId;
  }

  repo<T extends CompanyRow>(target: EntityTarget<T>): TenantRepository<T> {
    return new TenantRepository(this.manager, target, this.binding, (entity, id) => this.forget(entity, id), this.unitOfWork, this.readOnce, this.listing, () => this.now());
  }

  /**
   * One transaction; nested calls join the outer one. Row-level security sees the company from its
   * first statement. A deferred constraint is checked at commit, so the commit's refusal is
   * translated like a statement's.
   */
  async transaction<R>(work: (scope: TenantScope) => Promise<R>): Promise<R> {
    if (this.inTransaction) return work(this);
    try {
      return await this.manager.transaction(async (m) => {
        await m.query(`SELECT set_config('app.company_id', $1, true)`, [this.companyId]);
        return work(new TenantScope(m, this.binding, this, this.listing, this.clock, this.composed));
      });
    } catch (err) {
      throw translateWriteError(err);
    }
  }

  /**
   * Independent reads at once where that helps: in parallel outside a transaction (each on a pooled
   * connection of its own), one after another inside one, whose single connection runs one statement
   * at a time anyway (pg refuses overlapping queries on a client from version 9).
   */
  async all<T extends readonly unknown[]>(reads: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
    if (!this.inTransaction) return Promise.all(reads.map((read) => read())) as unknown as Promise<T>;
    const results: unknown[] = [];
    for (const read of reads) results.push(await read());
    return results as unknown as T;
  }

  /**
   * Serialize work on one thing of this company (a slot of a ladder) until the transaction ends:
   * a transaction-scoped advisory lock on (company, key). The wait is bounded by the statement timeout.
   */
  async lockKey(key: string): Promise<void> {
    if (!this.inTransaction) throw new Error('lockKey() needs a transaction');
    await this.manager.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [this.companyId, key]);
  }

  /**
   * Raw SQL in this company's unit of work, for what a repository does not say (aggregates, bytes
   * read a chunk at a time): row-level security still holds it to this company's rows.
   */
  sql<R = ObjectLiteral>(text: string, params: unknown[] = []): Promise<R[]> {
    return this.unitOfWork((m) => m.query(text, params));
  }

  /**
   * Schedule background work for this company in this transaction: it exists only if the change
   * that needs it commits.
   */
  enqueue(spec: Omit<JobSpec, 'companyId'>): Promise<Enqueued> {
    if (!this.inTransaction) throw new Error('enqueue() needs the transaction of the change');
    return enqueueJob(this.manager, { ...spec, companyId: this.companyId });
  }

  /**
   * Tell every instance (their subscribers) of a change of this company, once this transaction
   * commits: PostgreSQL delivers a NOTIFY only on commit, and not at all on a rollback. Ids only.
   */
  async announce(change: Omit<Change, 'companyId'>): Promise<void> {
    if (!this.inTransaction) throw new Error('announce() needs the transaction of the change');
    await this.manager.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, changePayload({ companyId: this.companyId, ...change })]);
  }

  /**
   * Count one more call of `key` (`ai`) for this company in the current window of `windowSeconds`:
   * the caller compares the count with its limit. Shared by every instance (PostgreSQL).
   */
  countCall(key: string, windowSeconds: number): Promise<WindowCount> {
    return this.unitOfWork((m) => countInWindow(m, this.companyId, key, windowSeconds, this.now()));
  }

  /** See unitOfWork (unit-of-work.ts): outside a transaction, each call is a short one of its own. */
  private readonly unitOfWork: UnitOfWork = (work) => unitOfWork(this.companyManager, work);

  /**
   * The rows of one read statement written in SQL, for what a repository cannot say in one statement
   * (aggregates over several tables, a read model). It runs under row-level security like every
   * other read (outside a transaction, in a short one of its own); the statement still names the
   * company itself (`company_id = $1`), so it reads correctly even as a role that bypasses RLS.
   * Values are passed as parameters, never spliced into the text.
   */
  read<R extends ObjectLiteral = ObjectLiteral>(sql: string, params: unknown[] = []): Promise<R[]> {
    if (!/^\s*(WITH|SELECT)\b/i.test(sql)) throw new Error('TenantScope.read() runs a SELECT (or WITH … SELECT) only');
    return this.sql<R>(sql, params);
  }

  /** See readOnce (unit-of-work.ts): outside a transaction, the statements in one round trip. */
  private readonly readOnce: ReadOnce = (...statements) => readOnce(this.companyManager, statements);

  private get companyManager() {
    return { manager: this.manager, companyId: this.companyId, inTransaction: this.inTransaction };
  }

  /**
   * A record was written: drop what this request's loaders hold of it (and every list of its kind),
   * so a read later in the same request sees the write.
   */
  forget(entity: string, id: string): void {
    for (const [name, loader] of this.loaders) {
      if (name === `byId:${entity}` || name.startsWith(`byId:${entity}:`)) loader.clear(id);
      else if (name.startsWith(`manyBy:${entity}.`) || name.startsWith(`pagedManyBy:${entity}.`)) loader.clearAll();
    }
    this.outer?.forget(entity, id);
  }

  /**
   * A per-request DataLoader of records by id (missing or foreign ids load as null). `columns`: only
   * these properties of them (with the id and company), a loader of its own per set.
   */
  byId<T extends TenantEntity>(target: EntityTarget<T>, columns?: readonly string[]): DataLoader<string, T | null> {
    const repo = this.repo(target);
    return this.loader(`byId:${repo.metadata.name}${columns ? `:${columns.join(',')}` : ''}`, async (ids: readonly string[]) => {
      const rows = await repo.findByIds(ids, columns);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    });
  }

  /** A per-request DataLoader of the records whose `property` equals each key (one-to-many). */
  manyBy<T extends TenantEntity>(
    target: EntityTarget<T>,
    property: keyof T & string,
    order?: QueryShaper<T>,
  ): DataLoader<string, T[]> {
    const repo = this.repo(target);
    return this.loader(`manyBy:${repo.metadata.name}.${property}`, async (keys: readonly string[]) => {
      const valid = keys.filter(isUuid);
      const rows = valid.length
        ? await repo.find((qb, a) => {
            qb.andWhere(`${a}.${property} IN (:...keys)`, { keys: valid });
            order?.(qb, a);
          })
        : [];
      const groups = new Map<string, T[]>();
      for (const row of rows) {
        const key = row[property] as unknown as string;
        groups.set(key, [...(groups.get(key) ?? []), row]);
      }
      return keys.map((k) => groups.get(k) ?? []);
    });
  }

  /**
   * A per-request DataLoader of one page of the records whose `property` equals each key, with the
   * total per key: one statement for every key of a page (see TenantRepository.pagesBy).
   */
  pagedManyBy<T extends CompanyRow>(
    target: EntityTarget<T>,
    property: keyof T & string,
    paging: PageRequest,
    order: QueryShaper<T>,
    /** Only these properties of the records (the id, company and `property` among them); all when absent. */
    columns?: readonly string[],
  ): DataLoader<string, Page<T>> {
    const repo = this.repo(target);
    const after = paging.after ? `:${encodeCursor(paging.after.cursor)}` : '';
    const name = `pagedManyBy:${repo.metadata.name}.${property}:${paging.page}:${paging.limit}${after}${columns ? `:${columns.join(',')}` : ''}`;
    return this.loader(name, async (keys: readonly string[]) => {
      const valid = [...new Set(keys.filter(isUuid))];
      const pages = valid.length ? await repo.pagesBy(property, valid, paging, order, columns) : new Map<string, Page<T>>();
      return keys.map((k) => pages.get(k) ?? emptyPage<T>(paging, 0));
    });
  }

  /** A named per-request loader for anything else a family batches. */
  loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
      this.loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}

