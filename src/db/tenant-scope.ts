import DataLoader from 'dataloader';
import { escapeLiteral } from 'pg';
import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors';
import { MoneyOverflowError } from '../core/money';
import { Enqueued, enqueueJob, JobSpec } from '../jobs/enqueue';
import type { TenantEntity } from './base-entity';
import { countInWindow, WindowCount } from './rate-counter';
import { afterCondition, checkCursor, CursorRequest, encodeCursor, fingerprint, keySelections, keyValues, LISTING_DEFAULTS, ListingLimits, SortKey, sortKeys } from './keyset';
import { closeConnectionAfterTimeout } from './availability';

/** Anything stored per company: the full records of families, and append-only rows (events). */
export interface CompanyRow extends ObjectLiteral {
  id: string;
  companyId: string;
}
import { ReferencedError, translateWriteError } from './pg-errors';

/** Who is acting, for which company. Comes from the request context, never from a payload. */
export interface Tenant {
  companyId: string;
  userId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export interface PageRequest {
  page: number;
  limit: number;
  /** The rows after this cursor instead of page `page` (see keyset.ts). */
  after?: CursorRequest;
  /** `false`: nobody reads the total (a GraphQL page without `total`), so it is not counted. */
  count?: boolean;
}

export interface PageInfo {
  /** The cursor after this page's last row (the request's own on an empty page after one); null on an empty first page. */
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface Page<T> {
  items: T[];
  /** The page number; after a cursor, the page its position falls on at this limit (as of the cursor's making). */
  page: number;
  limit: number;
  /** Every matching row, exact up to the count limit; above it at least that many (`totalIsEstimate`). */
  total: number;
  totalIsEstimate: boolean;
  pageInfo: PageInfo;
}

/** A page whose total was not asked for: reading it anyway is a programming error, never a wrong number. */
function uncounted<T>(page: Omit<Page<T>, 'total' | 'totalIsEstimate'>): Page<T> {
  const refuse = {
    enumerable: false,
    get() {
      throw new Error('Page.total was not counted: the page was asked for without it');
    },
  };
  return Object.defineProperties(page as Page<T>, { total: refuse, totalIsEstimate: refuse });
}

/** A page without its total, to be given one. */
function withoutTotal<T>({ total: _t, totalIsEstimate: _e, ...page }: Page<T>): Omit<Page<T>, 'total' | 'totalIsEstimate'> {
  return page;
}

/** Where a page starts: after the request's cursor (its position), or at its page number's offset (not past the depth limit). */
function startOf(request: PageRequest, limits: ListingLimits): number {
  if (request.after) return request.after.cursor.n;
  const offset = (request.page - 1) * request.limit;
  if (offset > limits.maxPageDepth) {
    throw new ValidationError([{ field: 'page', message: `skips ${offset} rows, more than ${limits.maxPageDepth}: follow the page's cursor instead (REST meta.nextCursor as cursor, GraphQL pageInfo.endCursor as after)` }]);
  }
  return offset;
}

/** The page number a row position falls on. */
const pageAt = (before: number, limit: number) => Math.floor(before / limit) + 1;

/**
 * A page of the rows read (one more than the limit, which says whether a next page exists), with the
 * cursor after its last row.
 */
function pageOf<T>(raw: ObjectLiteral[], map: (raw: ObjectLiteral) => T, request: PageRequest, before: number, keys: readonly SortKey[], print: string): Omit<Page<T>, 'total' | 'totalIsEstimate'> {
  const rows = raw.slice(0, request.limit);
  const last = rows[rows.length - 1];
  const endCursor = last
    ? encodeCursor({ f: print, k: keyValues(last, keys), n: before + rows.length })
    : request.after
      ? encodeCursor(request.after.cursor)
      : null;
  return {
    items: rows.map(map),
    page: request.after ? pageAt(before, request.limit) : request.page,
    limit: request.limit,
    pageInfo: { endCursor, hasNextPage: raw.length > request.limit },
  };
}

/**
 * A count read up to the limit (one row more says there are more): the total and whether it is an
 * estimate. Over the limit it is the limit, or the rows this page reached when more; a last page
 * reached by number knows the exact total itself.
 */
function cappedTotal(counted: number, limits: ListingLimits, request: PageRequest, page: Omit<Page<unknown>, 'total' | 'totalIsEstimate'>, before: number): Pick<Page<never>, 'total' | 'totalIsEstimate'> {
  if (counted <= limits.countLimit) return { total: counted, totalIsEstimate: false };
  const reached = before + page.items.length;
  if (!request.after && !page.pageInfo.hasNextPage && page.items.length) return { total: reached, totalIsEstimate: false };
  return { total: Math.max(limits.countLimit, reached), totalIsEstimate: true };
}

/** Runs database work with the company set for row-level security; see TenantScope.unitOfWork. */
export type UnitOfWork = <R>(work: (manager: EntityManager) => Promise<R>) => Promise<R>;
/** One read statement with the company set for row-level security; see TenantScope.readOnce. */
export type ReadOnce = (...statements: [sql: string, params: unknown[]][]) => Promise<ObjectLiteral[][]>;

/** Statements one after another on one manager (a transaction's): the rows of each. */
async function inTurn(manager: EntityManager, statements: [sql: string, params: unknown[]][]): Promise<ObjectLiteral[][]> {
  const results: ObjectLiteral[][] = [];
  for (const [sql, params] of statements) results.push(await manager.query(sql, params));
  return results;
}

// pg's own conversion of a parameter to its text (dates, arrays, buffers, JSON), as it sends them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): string | Buffer | null };

/**
 * A statement with its parameters written in as literals, for the simple protocol. node-pg sends
 * every parameter as text of unknown type, and PostgreSQL types an untyped quoted literal from its
 * context in exactly the same way, so the statement means the same; the text is escaped by pg.
 */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_m, n: string) => {
    const value = prepareValue(params[Number(n) - 1]);
    return value === null ? 'NULL' : escapeLiteral(String(value));
  });
}

/** Adds conditions, joins and order to a scoped query; the company filter is applied after it. */
export type QueryShaper<T extends ObjectLiteral> = (qb: SelectQueryBuilder<T>, alias: string) => void;

/**
 * The only way services reach the database: every repository it hands out is bound to the
 * request's company, so a query without the company filter cannot be written through it.
 * It also owns the request's DataLoaders, so batched reads are scoped the same way.
 */
export class TenantScope {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  constructor(
    private readonly manager: EntityManager,
    readonly tenant: Tenant,
    /** The request's scope, when this one is a transaction inside it (its caches are cleared on writes). */
    private readonly outer: TenantScope | null = null,
    /** What a list page may cost (LIST_COUNT_LIMIT, LIST_MAX_PAGE_DEPTH). */
    readonly listing: ListingLimits = LISTING_DEFAULTS,
  ) {}

  get inTransaction(): boolean {
    return this.outer !== null;
  }

  get companyId(): string {
    return this.tenant.companyId;
  }
  get userId(): string {
    return this.tenant.userId;
  }

  repo<T extends CompanyRow>(target: EntityTarget<T>): TenantRepository<T> {
    return new TenantRepository(this.manager, target, this.tenant, (entity, id) => this.forget(entity, id), this.unitOfWork, this.readOnce, this.listing);
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
        return work(new TenantScope(m, this.tenant, this, this.listing));
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
   * Count one more call of `key` (`ai`) for this company in the current window of `windowSeconds`:
   * the caller compares the count with its limit. Shared by every instance (PostgreSQL).
   */
  countCall(key: string, windowSeconds: number): Promise<WindowCount> {
    return this.unitOfWork((m) => countInWindow(m, this.companyId, key, windowSeconds));
  }

  /**
   * The second tenancy line, row-level security, needs `app.company_id` for every statement, reads
   * included, and the setting must not outlive the work on a pooled connection (a later query that
   * forgets the company would see this one's rows). So each repository call outside a transaction is
   * a short transaction of its own: BEGIN and the transaction-local setting in one round trip
   * (simple protocol; the id is a checked uuid, inlined), its statements, COMMIT. That costs two
   * statements per call (three round trips become one plus two), constant in page size since the
   * loaders batch; pinning one connection per request would cost fewer statements but hold a pool
   * slot for the whole request and need a reset on every exit path.
   */
  private readonly unitOfWork: UnitOfWork = async (work) => {
    if (this.inTransaction) return work(this.manager);
    if (!isUuid(this.companyId)) throw new Error('TenantScope: the company id is not a uuid');
    const transactional = this.manager.queryRunner;
    if (transactional?.isTransactionActive) {
      // Built on a caller's transaction: set the company in it and stay there.
      await transactional.query(`SELECT set_config('app.company_id', $1, true)`, [this.companyId]);
      return work(this.manager);
    }
    const runner = this.manager.connection.createQueryRunner();
    try {
      await runner.query(`BEGIN; SELECT set_config('app.company_id', '${this.companyId}', true)`);
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work(runner.manager);
      } catch (err) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      await runner.query('COMMIT');
      return result;
    } finally {
      await runner.release();
    }
  };

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

  /**
   * Reads outside a transaction in one round trip: BEGIN, the company, the statements and COMMIT sent
   * together (simple protocol, the parameters inlined by pg's escaping, see inlineParameters), so a
   * page and its count cost one trip and each is as cheap for PostgreSQL as on its own. Inside a
   * transaction they are ordinary statements of that transaction. The rows of each, in order.
   */
  private readonly readOnce: ReadOnce = async (...statements) => {
    if (this.inTransaction || this.manager.queryRunner?.isTransactionActive) {
      return this.unitOfWork((m) => inTurn(m, statements));
    }
    if (!isUuid(this.companyId)) throw new Error('TenantScope: the company id is not a uuid');
    const connection = this.manager.connection;
    const runner = connection.createQueryRunner();
    const text = `BEGIN; SELECT set_config('app.company_id', '${this.companyId}', true); ${statements.map(([sql, params]) => inlineParameters(sql, params)).join('; ')}; COMMIT`;
    // What logs, errors and subscribers see: the statements' shape, placeholders instead of values.
    const shape = `BEGIN; SELECT set_config('app.company_id', $company, true); ${statements.map(([sql]) => sql).join('; ')}; COMMIT`;
    try {
      // The driver's client itself: TypeORM's query() keeps only one result of a multi-statement text.
      const client = (await runner.connect()) as { query(text: string): Promise<{ rows: ObjectLiteral[] }[]> };
      connection.logger.logQuery(shape, [], runner);
      const started = performance.now();
      let failure: unknown;
      try {
        return (await client.query(text)).slice(2, 2 + statements.length).map((result) => result.rows);
      } catch (err) {
        failure = err;
        connection.logger.logQueryError(err as Error, shape, [], runner);
        // A failed statement leaves the connection in the aborted transaction (a timed-out one, closed).
        if (!closeConnectionAfterTimeout(err, runner)) await client.query('ROLLBACK').catch(() => undefined);
        throw new QueryFailedError(shape, [], err as Error);
      } finally {
        const event = { connection, queryRunner: runner, manager: runner.manager, query: shape, parameters: [], success: !failure, executionTime: performance.now() - started, error: failure };
        for (const subscriber of connection.subscribers) void subscriber.afterQuery?.(event as never);
      }
    } finally {
      await runner.release();
    }
  };

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
   * total per key: one statement for every key of a page (see pagesBy).
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
      return keys.map((k) => pages.get(k) ?? repo.emptyPage(paging, 0));
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

const owners = new WeakMap<object, string>();

/**
 * Records of this entity belong to one user of the company (a notification to its recipient): every
 * read, change and delete through a scope sees only the scope user's own, so another user's record is
 * absent (404) on every path that reaches it. Inserts are free: the domain makes them for others.
 */
export function OwnedBy(property: string): ClassDecorator {
  return (target) => void owners.set(target, property);
}

/** The property holding the user a record of this entity belongs to, when it is `@OwnedBy` one. */
export function ownerOf(entity: object): string | undefined {
  return owners.get(entity);
}

/** Options of a guarded write. */
export interface WriteGuard<T> {
  /** The version the caller read; another is a conflict. */
  version?: number;
  /** A further condition of the UPDATE (`status IN (...)`), as SQL on the table's columns. */
  where?: { sql: string; params: Record<string, unknown> };
  /** The error when the record exists but the condition did not hold. */
  refused?: (current: T) => Error;
}

/** A repository of one entity, bound to one company. */
export class TenantRepository<T extends CompanyRow> {
  readonly metadata: EntityMetadata;
  /** The column holding the user a record belongs to, for an entity `@OwnedBy` one. */
  private readonly ownerColumn: { property: string; column: string } | null;

  constructor(
    private readonly manager: EntityManager,
    private readonly target: EntityTarget<T>,
    private readonly tenant: Tenant,
    private readonly written: (entity: string, id: string) => void = () => undefined,
    /** Where this repository's statements run: directly on `manager` unless its scope says otherwise. */
    private readonly unit: UnitOfWork = (work) => work(manager),
    /** Where a single read runs (in one round trip, outside a transaction). */
    private readonly readOnce: ReadOnce = (...statements) => unit((m) => inTurn(m, statements)),
    private readonly listing: ListingLimits = LISTING_DEFAULTS,
  ) {
    this.metadata = manager.connection.getMetadata(target);
    const owner = owners.get(this.metadata.target as object);
    const column = owner ? this.metadata.findColumnWithPropertyPath(owner) : undefined;
    if (owner && !column) throw new Error(`${this.metadata.name} is owned by ${owner}, which is not a column`);
    this.ownerColumn = owner && column ? { property: owner, column: column.databaseName } : null;
  }

  /** The owner condition of a write's WHERE (on column names), for an entity `@OwnedBy` a user. */
  private ownedWhere(): { sql: string; params: Record<string, unknown> } | null {
    return this.ownerColumn ? { sql: `"${this.ownerColumn.column}" = :__ownerId`, params: { __ownerId: this.tenant.userId } } : null;
  }

  /**
   * The rows of a scoped select, mapped straight to records: the columns TypeORM selected (as
   * `<alias>_<column>`) are copied onto a new record through the same conversions as its own reads,
   * without its generic entity transformer (most of a list's cost). A select with joins keeps
   * TypeORM's path, which knows how to fold joined rows.
   */
  private async records(qb: SelectQueryBuilder<T>): Promise<T[]> {
    if (qb.expressionMap.joinAttributes.length) return this.run((r) => qb.setQueryRunner(r.manager.queryRunner!).getMany());
    const [raw] = await this.readOnce(qb.getQueryAndParameters());
    return raw.map(recordMapper<T>(this.metadata, qb.alias, this.manager.connection.driver));
  }

  /** `work` on this repository bound to the unit of work's manager (the company set for row-level security). */
  private run<R>(work: (repo: TenantRepository<T>) => Promise<R>): Promise<R> {
    return this.unit((m) => work(m === this.manager ? this : new TenantRepository(m, this.target, this.tenant, this.written, undefined, undefined, this.listing)));
  }

  /**
   * A select with the caller's shape; the company filter is added last so nothing can drop it.
   * A joined table must be joined through `join()`, which filters it by the company too.
   * Run it inside the scope's transaction: outside one, row-level security sees no company (use
   * find, page and the other methods, which set it).
   */
  query(shape?: QueryShaper<T>, alias = 'r'): SelectQueryBuilder<T> {
    const qb = this.manager.createQueryBuilder<T>(this.target, alias);
    shape?.(qb, alias);
    // A top-level OR would bind looser than the company filter (`a OR b AND company`): refuse it.
    if (qb.expressionMap.wheres.some((w) => w.type === 'or')) {
      throw new Error('A scoped query must group OR conditions in Brackets');
    }
    for (const join of qb.expressionMap.joinAttributes) {
      if (!join.condition?.includes(`${join.alias.name}.companyId = :__companyId`)) {
        throw new Error(`A scoped query joins ${join.alias.name} without the company filter; use TenantRepository.join`);
      }
    }
    if (this.ownerColumn) qb.andWhere(`${alias}.${this.ownerColumn.property} = :__ownerId`, { __ownerId: this.tenant.userId });
    return qb.andWhere(`${alias}.companyId = :__companyId`, { __companyId: this.tenant.companyId });
  }

  /** Inner-join another company-owned table in a scoped query: the company filter comes with it. */
  join<J extends CompanyRow>(qb: SelectQueryBuilder<T>, target: EntityTarget<J>, alias: string, on: string): SelectQueryBuilder<T> {
    return qb.innerJoin(target as never, alias, `(${on}) AND ${alias}.companyId = :__companyId`, { __companyId: this.tenant.companyId });
  }

  /**
   * The record, locked until the transaction ends (404 when absent): `FOR UPDATE` by default, or
   * `FOR SHARE` (`'share'`), which many writers of its children hold at once while it cannot change
   * under them. A lock waited for returns the record as its holder committed it.
   */
  async lock(id: string, what = this.metadata.name, mode: 'update' | 'share' = 'update'): Promise<T> {
    if (!this.manager.queryRunner?.isTransactionActive) throw new Error('lock() needs a transaction');
    const row = isUuid(id)
      ? await this.query((qb, a) => qb.andWhere(`${a}.id = :id`, { id }).setLock(mode === 'update' ? 'pessimistic_write' : 'pessimistic_read')).getOne()
      : null;
    if (!row) throw new NotFoundError(what);
    return row;
  }

  /** `columns`: only these properties of the records (always their id and company). */
  async find(shape?: QueryShaper<T>, columns?: readonly string[]): Promise<T[]> {
    const qb = this.query(shape);
    if (columns) this.narrow(qb, columns);
    return this.records(qb);
  }

  /**
   * Sums in SQL over the rows a shape selects, one row per group (`SUM(sold * price) … GROUP BY
   * currency`): `sums` maps a name to an expression of the alias. Each sum is read back as an exact
   * safe integer (money in minor units); a group's columns come back as text.
   */
  totals<G extends string, S extends string>(
    shape: QueryShaper<T>,
    groupBy: readonly G[],
    sums: Record<S, (alias: string) => string>,
  ): Promise<(Record<G, string> & Record<S, number>)[]> {
    return this.run(async (r) => {
      const qb = r.query(shape).select([]);
      for (const g of groupBy) qb.addSelect(`r.${g}`, g).addGroupBy(`r.${g}`);
      for (const [name, expression] of Object.entries(sums) as [S, (alias: string) => string][]) {
        qb.addSelect(`COALESCE(SUM(${expression('r')}), 0)::text`, name);
      }
      const rows = await qb.getRawMany<Record<string, string>>();
      return rows.map((row) => {
        const out: Record<string, string | number> = { ...row };
        for (const name of Object.keys(sums)) {
          const value = Number(row[name]);
          if (!Number.isSafeInteger(value)) throw new MoneyOverflowError(`${name} ${row[name]}`);
          out[name] = value;
        }
        return out as Record<G, string> & Record<S, number>;
      });
    });
  }

  async findById(id: string): Promise<T | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.find((qb, a) => qb.andWhere(`${a}.id = :id`, { id }));
    return row ?? null;
  }

  async getById(id: string, what = this.metadata.name): Promise<T> {
    const row = await this.findById(id);
    if (!row) throw new NotFoundError(what);
    return row;
  }

  async findByIds(ids: readonly string[], columns?: readonly string[]): Promise<T[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    if (!valid.length) return [];
    return this.find((qb, a) => qb.andWhere(`${a}.id IN (:...ids)`, { ids: valid }), columns);
  }

  /**
   * One page per key of the rows whose `property` is that key, each with its total: one statement
   * for the whole batch, sent in one round trip outside a transaction like every single read. Each key
   * is a lateral subquery of its own (`unnest(keys) … LEFT JOIN LATERAL`), so a key's page reads what a
   * list's page reads, through the same index, and its total counts up to the count limit as a list's
   * does: a busy record's nested list costs what a quiet one's does.
   */
  async pagesBy(property: string, keys: string[], paging: PageRequest, order: QueryShaper<T>, columns?: readonly string[]): Promise<Map<string, Page<T>>> {
    const before = startOf(paging, this.listing);
    const column = this.metadata.findColumnWithPropertyPath(property);
    if (!column) throw new Error(`${this.metadata.name} has no column ${property}`);
    const sqlType = this.manager.connection.driver.normalizeType(column);
    // The batch's key, from the outer statement, already of the column's type: a cast here would be a
    // function that is not leakproof, which row-level security keeps out of the index condition.
    const ofBatchKey = (qb: SelectQueryBuilder<T>, a: string) => qb.andWhere(`${a}.${property} = __batch.key`);
    const inner = this.query((qb, a) => {
      ofBatchKey(qb, a);
      order(qb, a);
    });
    if (columns) this.narrow(inner, [...columns, property]);
    const sortBy = sortKeys(inner, this.metadata);
    // Bound to the relation and its order (the parents of a batch vary).
    const print = fingerprint(`${this.metadata.name}.${property}`, [], sortBy);
    for (const [expression, alias] of keySelections(sortBy)) inner.addSelect(expression, alias);
    // The sort keys as they are (not as text), for the outer statement to keep each page's order.
    sortBy.forEach((k, i) => inner.addSelect(k.column, `__s${i}`));
    if (paging.after) {
      const after = afterCondition(sortBy, checkCursor(paging.after, print, sortBy).k, '__after');
      inner.andWhere(after.sql, after.params);
    } else {
      inner.offset(before);
    }
    inner.limit(paging.limit + 1);
    const [pageSql, pageParams] = inner.getQueryAndParameters();
    const params: unknown[] = [...pageParams];
    // Placeholders of a statement built on its own, renumbered to follow those already taken.
    const appended = (sql: string, more: readonly unknown[]) => {
      const offset = params.length;
      params.push(...more);
      return sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`);
    };
    const counted = paging.count !== false;
    let countJoin = '';
    if (counted) {
      const [matchingSql, matchingParams] = this.query((qb, a) => ofBatchKey(qb, a)).select('1').orderBy().getQueryAndParameters();
      countJoin = `CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM (${appended(matchingSql, matchingParams)} LIMIT ${this.listing.countLimit + 1}) m) __count`;
    }
    params.push(keys);
    const statement: [string, unknown[]] = [
      `SELECT __batch.key AS __key, __page.*${counted ? ', __count.n AS __total' : ''}
         FROM unnest(CAST($${params.length} AS ${sqlType}[])) WITH ORDINALITY AS __batch(key, ord)
         LEFT JOIN LATERAL (${pageSql}) __page ON true
         ${countJoin}
        ORDER BY __batch.ord, ${sortBy.map((k, i) => `__page.__s${i} ${k.descending ? 'DESC' : 'ASC'} ${k.nullsLast ? 'NULLS LAST' : 'NULLS FIRST'}`).join(', ')}`,
      params,
    ];
    const [rows] = await this.readOnce(statement);
    const map = recordMapper<T>(this.metadata, 'r', this.manager.connection.driver);
    const byKey = new Map<string, { raw: ObjectLiteral[]; total: number }>();
    for (const row of rows) {
      const key = row.__key as string;
      const entry = byKey.get(key) ?? { raw: [], total: Number(row.__total ?? 0) };
      // A key with nothing on this page is one row of NULLs beside its count.
      if (row.r_id !== null) entry.raw.push(row);
      byKey.set(key, entry);
    }
    const pages = new Map<string, Page<T>>();
    for (const [key, { raw, total }] of byKey) {
      const page = raw.length ? pageOf(raw, map, paging, before, sortBy, print) : withoutTotal(this.emptyPage(paging, 0));
      pages.set(key, counted ? { ...page, ...cappedTotal(total, this.listing, paging, page, before) } : uncounted(page));
    }
    return pages;
  }

  /**
   * Select only these properties (always with the id and the company: what a record is), when the
   * select is still the plain whole record; a shape that joined or selected more keeps every column,
   * and so does an entity that derives values from its columns after a load.
   */
  private narrow(qb: SelectQueryBuilder<T>, properties: readonly string[]): void {
    const { selects, joinAttributes } = qb.expressionMap;
    if (joinAttributes.length || selects.length !== 1 || selects[0].selection !== qb.alias || this.metadata.afterLoadListeners.length) return;
    qb.select(
      [...new Set(['id', 'companyId', ...properties])].map((p) => {
        if (!this.metadata.findColumnWithPropertyPath(p)) throw new Error(`${this.metadata.name} has no column ${p}`);
        return `${qb.alias}.${p}`;
      }),
    );
  }

  /** How many records the shaped query finds (an unread count). */
  count(shape?: QueryShaper<T>): Promise<number> {
    return this.run((r) => r.query(shape).getCount());
  }

  /**
   * One page and the total: two statements in one round trip (see readOnce); the page alone when the
   * request says nobody reads the total.
   */
  async page(request: PageRequest, shape?: QueryShaper<T>, columns?: readonly string[]): Promise<Page<T>> {
    const qb = this.query(shape);
    if (columns) this.narrow(qb, columns);
    const before = startOf(request, this.listing);
    if (qb.expressionMap.joinAttributes.length) {
      // TypeORM folds the joined rows; such a list pages by number only.
      if (request.after) throw new Error(`A list of ${this.metadata.name} with joins pages by number only`);
      const [items, total] = await this.run((r) => r.query(shape).skip(before).take(request.limit).getManyAndCount());
      return { items, total, totalIsEstimate: false, page: request.page, limit: request.limit, pageInfo: { endCursor: null, hasNextPage: before + items.length < total } };
    }
    const keys = sortKeys(qb, this.metadata);
    // Every condition of the list but none of the paging, unordered: what its cursors are bound to and what its total counts.
    const matching = this.query(shape).select('1').orderBy().getQueryAndParameters();
    const print = fingerprint(matching[0], matching[1], keys);
    if (request.after) {
      const cursor = checkCursor(request.after, print, keys);
      const after = afterCondition(keys, cursor.k, '__after');
      qb.andWhere(after.sql, after.params);
    } else {
      qb.offset(before);
    }
    // One row more than the page says whether another follows.
    qb.limit(request.limit + 1);
    for (const [expression, alias] of keySelections(keys)) qb.addSelect(expression, alias);
    const map = recordMapper<T>(this.metadata, qb.alias, this.manager.connection.driver);
    if (request.count === false) {
      const [raw] = await this.readOnce(qb.getQueryAndParameters());
      return uncounted(pageOf(raw, map, request, before, keys, print));
    }
    // The count is a statement of its own in the same round trip, over at most one row more than the
    // count limit: a window count (`count(*) OVER ()`) or an unbounded one would read every matching row.
    const counted: [string, unknown[]] = [`SELECT count(*)::int AS n FROM (${matching[0]} LIMIT ${this.listing.countLimit + 1}) matching`, matching[1]];
    const [raw, [{ n }]] = await this.readOnce(qb.getQueryAndParameters(), counted);
    const page = pageOf(raw, map, request, before, keys, print);
    return { ...page, ...cappedTotal(Number(n), this.listing, request, page, before) };
  }

  /** A page with no rows (a key with none on this page), keeping the request's cursor. */
  emptyPage(request: PageRequest, total: number): Page<T> {
    return {
      items: [],
      page: request.after ? pageAt(request.after.cursor.n, request.limit) : request.page,
      limit: request.limit,
      total,
      totalIsEstimate: false,
      pageInfo: { endCursor: request.after ? encodeCursor(request.after.cursor) : null, hasNextPage: false },
    };
  }

  async insert(values: Partial<T>): Promise<T> {
    const [row] = await this.insertRows(values, false);
    return this.hydrate(row);
  }

  /** Insert unless a unique key already holds the row (first-read defaults, idempotent seeds). */
  async insertIfAbsent(values: Partial<T>): Promise<void> {
    await this.insertRows(values, true);
  }

  private insertRows(values: Partial<T>, ignoreConflict: boolean): Promise<ObjectLiteral[]> {
    return this.run((r) => r.insertRowsNow(values, ignoreConflict));
  }

  private async insertRowsNow(values: Partial<T>, ignoreConflict: boolean): Promise<ObjectLiteral[]> {
    try {
      const stamp = this.metadata.findColumnWithPropertyPath('createdBy') ? { createdBy: this.tenant.userId } : {};
      const qb = this.manager
        .createQueryBuilder()
        .insert()
        .into(this.target)
        .values({ ...values, companyId: this.tenant.companyId, ...stamp } as never)
        .returning('*');
      if (ignoreConflict) qb.orIgnore();
      const rows: ObjectLiteral[] = (await qb.execute()).raw;
      for (const row of rows) this.written(this.metadata.name, row.id);
      return rows;
    } catch (err) {
      throw translateWriteError(err);
    }
  }

  /**
   * Partial update. The version is checked in the UPDATE's WHERE, so of two writers holding the
   * same version exactly one wins; the other gets a conflict, never a silent overwrite.
   */
  update(id: string, patch: Partial<T>, guard: number | WriteGuard<T> = {}): Promise<T> {
    return this.run((r) => r.updateNow(id, patch, guard));
  }

  private async updateNow(id: string, patch: Partial<T>, guard: number | WriteGuard<T>): Promise<T> {
    const { version: expectedVersion, where, refused } = typeof guard === 'number' ? { version: guard } : guard;
    if (!isUuid(id)) throw new NotFoundError(this.metadata.name);
    const { id: _i, companyId: _c, createdBy: _b, createdAt: _a, version: _v, ...changes } = patch as ObjectLiteral;
    if (Object.keys(changes).length === 0 && !where) return this.unchanged(id, expectedVersion);
    let result;
    try {
      const qb = this.manager
        .createQueryBuilder()
        .update(this.target)
        .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' } as never)
        .where('id = :id AND company_id = :companyId', { id, companyId: this.tenant.companyId });
      if (expectedVersion !== undefined) qb.andWhere('version = :version', { version: expectedVersion });
      if (where) qb.andWhere(where.sql, where.params);
      const owned = this.ownedWhere();
      if (owned) qb.andWhere(owned.sql, owned.params);
      result = await qb.returning('*').execute();
    } catch (err) {
      throw translateWriteError(err);
    }
    if (!result.raw.length) {
      const current = await this.unchanged(id, expectedVersion);
      throw refused?.(current) ?? new ConflictError(`${this.metadata.name} is not in a state that allows this change`);
    }
    this.written(this.metadata.name, id);
    return this.hydrate(result.raw[0]);
  }

  /**
   * The same change of every record of the company (and owner) that a condition on the table's
   * columns holds for (mark all read); each version moves on. Returns how many changed.
   */
  updateAll(patch: Partial<T>, where: { sql: string; params: Record<string, unknown> }): Promise<number> {
    return this.run((r) => r.updateAllNow(patch, where));
  }

  private async updateAllNow(patch: Partial<T>, where: { sql: string; params: Record<string, unknown> }): Promise<number> {
    const qb = this.manager
      .createQueryBuilder()
      .update(this.target)
      .set({ ...patch, version: () => 'version + 1', updatedAt: () => 'now()' } as never)
      .where('company_id = :companyId', { companyId: this.tenant.companyId })
      .andWhere(where.sql, where.params);
    const owned = this.ownedWhere();
    if (owned) qb.andWhere(owned.sql, owned.params);
    let rows: { id: string }[];
    try {
      rows = (await qb.returning('id').execute()).raw;
    } catch (err) {
      throw translateWriteError(err);
    }
    for (const row of rows) this.written(this.metadata.name, row.id);
    return rows.length;
  }

  /** An update that wrote nothing: the record is absent, stale, or there was nothing to change. */
  private async unchanged(id: string, expectedVersion?: number): Promise<T> {
    const current = await this.findById(id);
    if (!current) throw new NotFoundError(this.metadata.name);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new ConflictError(
        `${this.metadata.name} was changed by someone else (version ${expectedVersion} is stale, current is ${current.version})`,
        [{ field: 'version', message: `stale; current version is ${current.version}` }],
      );
    }
    return current;
  }

  delete(id: string, expectedVersion?: number): Promise<void> {
    return this.run((r) => r.deleteNow(id, expectedVersion));
  }

  private async deleteNow(id: string, expectedVersion?: number): Promise<void> {
    if (!isUuid(id)) throw new NotFoundError(this.metadata.name);
    let affected: number;
    try {
      const qb = this.manager
        .createQueryBuilder()
        .delete()
        .from(this.target)
        .where('id = :id AND company_id = :companyId', { id, companyId: this.tenant.companyId });
      if (expectedVersion !== undefined) qb.andWhere('version = :version', { version: expectedVersion });
      const owned = this.ownedWhere();
      if (owned) qb.andWhere(owned.sql, owned.params);
      affected = (await qb.execute()).affected ?? 0;
    } catch (err) {
      throw translateWriteError(err, true);
    }
    if (!affected) {
      const current = await this.findById(id);
      if (!current) throw new NotFoundError(this.metadata.name);
      throw new ConflictError(`${this.metadata.name} was changed by someone else`);
    }
    this.written(this.metadata.name, id);
  }

  /**
   * A delete already failed on a foreign key; say how many records of this company hold it.
   * Must run outside the failed transaction (which PostgreSQL has aborted).
   */
  async describeReferences(error: ReferencedError, id: string): Promise<ReferencedError> {
    const { table } = error.reference;
    const column = error.reference.field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    try {
      const rows: { n: string }[] = await this.run((r) => r.manager.query(
        `SELECT count(*) AS n FROM "${this.metadata.schema ?? 'public'}"."${table}" WHERE company_id = $1 AND "${column}" = $2`,
        [this.tenant.companyId, id],
      ));
      return new ReferencedError(error.reference, Number(rows[0].n), this.metadata.name);
    } catch {
      return error; // the refusal stands without the count
    }
  }

  /** A raw RETURNING row → entity, through the same column transformers as a normal read. */
  hydrate(raw: ObjectLiteral): T {
    const entity = this.metadata.create() as T;
    const driver = this.manager.connection.driver;
    for (const column of this.metadata.columns) {
      if (column.databaseName in raw) column.setEntityValue(entity, driver.prepareHydratedValue(raw[column.databaseName], column));
    }
    return entity;
  }
}

type Driver = EntityManager['connection']['driver'];
const mappers = new WeakMap<EntityMetadata, Map<string, (raw: ObjectLiteral) => never>>();
/** Types pg already hands over as the record holds them (a Date for timestamptz). */
const AS_IS = new Set(['text', 'uuid', 'int', 'integer', 'varchar', 'timestamptz', 'jsonb', 'boolean']);

/** raw row (`<alias>_<column>` keys) → record of `metadata`, made once per entity and alias. */
function recordMapper<T>(metadata: EntityMetadata, alias: string, driver: Driver): (raw: ObjectLiteral) => T {
  let byAlias = mappers.get(metadata);
  if (!byAlias) mappers.set(metadata, (byAlias = new Map()));
  let mapper = byAlias.get(alias);
  if (!mapper) {
    const Target = metadata.target as new () => ObjectLiteral;
    const columns = metadata.columns.map((column) => {
      const key = `${alias}_${column.databaseName}`;
      const plain = !column.transformer && AS_IS.has(String(column.type)) && !(column.type === 'timestamptz' && column.isArray);
      return { key, property: column.propertyName, convert: plain ? null : (v: unknown) => driver.prepareHydratedValue(v, column) };
    });
    // What an entity derives after a load (a hold past its expiry reads as expired) runs here too.
    const afterLoad = metadata.afterLoadListeners;
    mapper = ((raw: ObjectLiteral) => {
      const record = new Target();
      for (const c of columns) {
        if (!(c.key in raw)) continue;
        record[c.property] = c.convert ? c.convert(raw[c.key]) : raw[c.key];
      }
      for (const listener of afterLoad) if (listener.isAllowed(record)) void listener.execute(record);
      return record;
    }) as (raw: ObjectLiteral) => never;
    byAlias.set(alias, mapper);
  }
  return mapper as (raw: ObjectLiteral) => T;
}
