import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { systemClock } from '../shared/clock';
import { ConflictError, NotFoundError } from '../shared/errors';
import { MoneyOverflowError } from '../shared/money';
import { afterCondition, checkCursor, fingerprint, keySelections, LISTING_DEFAULTS, ListingLimits, sortKeys } from './keyset';
import { ownerOf } from './owned-by';
import { cappedTotal, emptyPage, Page, PageRequest, pageOf, startOf, uncounted, withoutTotal } from './page';
import { renumberParameters } from './one-round-trip';
import { ReferencedError, translateWriteError } from './pg-errors';
import { hydrateRecord, recordMapper } from './record-mapper';
import { CompanyRow, isUuid, ScopeBinding } from './tenant';
import { inTurn, ReadOnce, UnitOfWork } from './unit-of-work';

/**
 * The scope's now (TenantScope.now) in a query this repository builds: what an entity's computed
 * columns and a filter compare with (`expires_at <= :__now`), never the database's `now()`. A
 * parameter, so an index on the column still serves the comparison.
 */
export const NOW_PARAMETER = ':__now';

/** Adds conditions, joins and order to a scoped query; the company filter is applied after it. */
export type QueryShaper<T extends ObjectLiteral> = (qb: SelectQueryBuilder<T>, alias: string) => void;

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
    private readonly binding: ScopeBinding,
    private readonly written: (entity: string, id: string) => void = () => undefined,
    /** Where this repository's statements run: directly on `manager` unless its scope says otherwise. */
    private readonly unit: UnitOfWork = (work) => work(manager),
    /** Where a single read runs (in one round trip, outside a transaction). */
    private readonly readOnce: ReadOnce = (...statements) => unit((m) => inTurn(m, statements)),
    private readonly listing: ListingLimits = LISTING_DEFAULTS,
    /** The scope's now, for NOW_PARAMETER. */
    private readonly now: () => Date = systemClock.now,
  ) {
    this.metadata = manager.connection.getMetadata(target);
    const owner = ownerOf(this.metadata.target as object);
    const column = owner ? this.metadata.findColumnWithPropertyPath(owner) : undefined;
    if (owner && !column) throw new Error(`${this.metadata.name} is owned by ${owner}, which is not a column`);
    this.ownerColumn = owner && column ? { property: owner, column: column.databaseName } : null;
  }

  /** The owner condition of a write's WHERE (on column names), for an entity `@OwnedBy` a user. */
  private ownedWhere(): { sql: string; params: Record<string, unknown> } | null {
    return this.ownerColumn ? { sql: `"${this.ownerColumn.column}" = :__ownerId`, params: { __ownerId: this.binding.userId } } : null;
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
    return this.unit((m) => work(m === this.manager ? this : new TenantRepository(m, this.target, this.binding, this.written, undefined, undefined, this.listing, this.now)));
  }

  /**
   * A select with the caller's shape; the company filter is added last so nothing can drop it.
   * A joined table must be joined through `join()`, which filters it by the company too.
   * Run it inside the scope's transaction: outside one, row-level security sees no company (use
   * find, page and the other methods, which set it).
   */
  query(shape?: QueryShaper<T>, alias = 'r'): SelectQueryBuilder<T> {
    const qb = this.manager.createQueryBuilder<T>(this.target, alias).setParameter(NOW_PARAMETER.slice(1), this.now());
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
    if (this.ownerColumn) qb.andWhere(`${alias}.${this.ownerColumn.property} = :__ownerId`, { __ownerId: this.binding.userId });
    return qb.andWhere(`${alias}.companyId = :__companyId`, { __companyId: this.binding.companyId });
  }

  /** Inner-join another company-owned table in a scoped query: the company filter comes with it. */
  join<J extends CompanyRow>(qb: SelectQueryBuilder<T>, target: EntityTarget<J>, alias: string, on: string): SelectQueryBuilder<T> {
    return qb.innerJoin(target as never, alias, `(${on}) AND ${alias}.companyId = :__companyId`, { __companyId: this.binding.companyId });
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
      return renumberParameters(sql, offset);
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

  /**
   * How many records the shaped query finds, counted up to `bound` (one statement that stops reading
   * at that many rows): what a read of a whole list checks before it starts.
   */
  async countUpTo(bound: number, shape?: QueryShaper<T>): Promise<number> {
    const [sql, params] = this.query(shape).select('1').orderBy().getQueryAndParameters();
    const [[row]] = await this.readOnce([`SELECT count(*)::int AS n FROM (${sql} LIMIT ${Math.floor(bound)}) matching`, params]);
    return Number(row.n);
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
    return emptyPage(request, total);
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
      const stamp = this.metadata.findColumnWithPropertyPath('createdBy') ? { createdBy: this.binding.userId } : {};
      const qb = this.manager
        .createQueryBuilder()
        .insert()
        .into(this.target)
        .values({ ...values, companyId: this.binding.companyId, ...stamp } as never)
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
        .where('id = :id AND company_id = :companyId', { id, companyId: this.binding.companyId });
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
      .where('company_id = :companyId', { companyId: this.binding.companyId })
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
        .where('id = :id AND company_id = :companyId', { id, companyId: this.binding.companyId });
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
        [this.binding.companyId, id],
      ));
      return new ReferencedError(error.reference, Number(rows[0].n), this.metadata.name);
    } catch {
      return error; // the refusal stands without the count
    }
  }

  /** A raw RETURNING row → entity, through the same column transformers as a normal read. */
  hydrate(raw: ObjectLiteral): T {
    return hydrateRecord<T>(this.metadata, this.manager.connection.driver, raw);
  }
}

