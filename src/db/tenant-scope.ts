import DataLoader from 'dataloader';
import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ConflictError, NotFoundError } from '../core/errors';
import type { TenantEntity } from './base-entity';
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
}
export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
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
    private readonly inTransaction = false,
  ) {}

  get companyId(): string {
    return this.tenant.companyId;
  }
  get userId(): string {
    return this.tenant.userId;
  }

  repo<T extends TenantEntity>(target: EntityTarget<T>): TenantRepository<T> {
    return new TenantRepository(this.manager, target, this.tenant);
  }

  /** One transaction; nested calls join the outer one. */
  transaction<R>(work: (scope: TenantScope) => Promise<R>): Promise<R> {
    if (this.inTransaction) return work(this);
    return this.manager.transaction((m) => work(new TenantScope(m, this.tenant, true)));
  }

  /** A per-request DataLoader of records by id (missing or foreign ids load as null). */
  byId<T extends TenantEntity>(target: EntityTarget<T>): DataLoader<string, T | null> {
    const repo = this.repo(target);
    return this.loader(`byId:${repo.metadata.name}`, async (ids: readonly string[]) => {
      const rows = await repo.findByIds(ids);
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

  /** A named per-request loader for anything else a module batches. */
  loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
      this.loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}

/** A repository of one entity, bound to one company. */
export class TenantRepository<T extends TenantEntity> {
  readonly metadata: EntityMetadata;

  constructor(
    private readonly manager: EntityManager,
    private readonly target: EntityTarget<T>,
    private readonly tenant: Tenant,
  ) {
    this.metadata = manager.connection.getMetadata(target);
  }

  /** A select with the caller's shape; the company filter is added last so nothing can drop it. */
  query(shape?: QueryShaper<T>, alias = 'r'): SelectQueryBuilder<T> {
    const qb = this.manager.createQueryBuilder<T>(this.target, alias);
    shape?.(qb, alias);
    // A top-level OR would bind looser than the company filter (`a OR b AND company`): refuse it.
    if (qb.expressionMap.wheres.some((w) => w.type === 'or')) {
      throw new Error('A scoped query must group OR conditions in Brackets');
    }
    return qb.andWhere(`${alias}.companyId = :__companyId`, { __companyId: this.tenant.companyId });
  }

  find(shape?: QueryShaper<T>): Promise<T[]> {
    return this.query(shape).getMany();
  }

  async findById(id: string): Promise<T | null> {
    if (!isUuid(id)) return null;
    return this.query((qb, a) => qb.andWhere(`${a}.id = :id`, { id })).getOne();
  }

  async getById(id: string, what = this.metadata.name): Promise<T> {
    const row = await this.findById(id);
    if (!row) throw new NotFoundError(what);
    return row;
  }

  async findByIds(ids: readonly string[]): Promise<T[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    if (!valid.length) return [];
    return this.find((qb, a) => qb.andWhere(`${a}.id IN (:...ids)`, { ids: valid }));
  }

  async page(request: PageRequest, shape?: QueryShaper<T>): Promise<Page<T>> {
    const [items, total] = await this.query(shape)
      .skip((request.page - 1) * request.limit)
      .take(request.limit)
      .getManyAndCount();
    return { items, total, page: request.page, limit: request.limit };
  }

  async insert(values: Partial<T>): Promise<T> {
    const [row] = await this.insertRows(values, false);
    return this.hydrate(row);
  }

  /** Insert unless a unique key already holds the row (first-read defaults, idempotent seeds). */
  async insertIfAbsent(values: Partial<T>): Promise<void> {
    await this.insertRows(values, true);
  }

  private async insertRows(values: Partial<T>, ignoreConflict: boolean): Promise<ObjectLiteral[]> {
    try {
      const qb = this.manager
        .createQueryBuilder()
        .insert()
        .into(this.target)
        .values({ ...values, companyId: this.tenant.companyId, createdBy: this.tenant.userId } as never)
        .returning('*');
      if (ignoreConflict) qb.orIgnore();
      return (await qb.execute()).raw;
    } catch (err) {
      throw translateWriteError(err);
    }
  }

  /**
   * Partial update. The version is checked in the UPDATE's WHERE, so of two writers holding the
   * same version exactly one wins; the other gets a conflict, never a silent overwrite.
   */
  async update(id: string, patch: Partial<T>, expectedVersion?: number): Promise<T> {
    if (!isUuid(id)) throw new NotFoundError(this.metadata.name);
    const { id: _i, companyId: _c, createdBy: _b, createdAt: _a, version: _v, ...changes } = patch as ObjectLiteral;
    if (Object.keys(changes).length === 0) return this.unchanged(id, expectedVersion);
    let result;
    try {
      const qb = this.manager
        .createQueryBuilder()
        .update(this.target)
        .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' } as never)
        .where('id = :id AND company_id = :companyId', { id, companyId: this.tenant.companyId });
      if (expectedVersion !== undefined) qb.andWhere('version = :version', { version: expectedVersion });
      result = await qb.returning('*').execute();
    } catch (err) {
      throw translateWriteError(err);
    }
    if (!result.raw.length) return this.unchanged(id, expectedVersion);
    return this.hydrate(result.raw[0]);
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

  async delete(id: string, expectedVersion?: number): Promise<void> {
    if (!isUuid(id)) throw new NotFoundError(this.metadata.name);
    let affected: number;
    try {
      const qb = this.manager
        .createQueryBuilder()
        .delete()
        .from(this.target)
        .where('id = :id AND company_id = :companyId', { id, companyId: this.tenant.companyId });
      if (expectedVersion !== undefined) qb.andWhere('version = :version', { version: expectedVersion });
      affected = (await qb.execute()).affected ?? 0;
    } catch (err) {
      throw translateWriteError(err, true);
    }
    if (!affected) {
      const current = await this.findById(id);
      if (!current) throw new NotFoundError(this.metadata.name);
      throw new ConflictError(`${this.metadata.name} was changed by someone else`);
    }
  }

  /**
   * A delete already failed on a foreign key; say how many records of this company hold it.
   * Must run outside the failed transaction (which PostgreSQL has aborted).
   */
  async describeReferences(error: ReferencedError, id: string): Promise<ReferencedError> {
    const { table } = error.reference;
    const column = error.reference.field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    try {
      const rows: { n: string }[] = await this.manager.query(
        `SELECT count(*) AS n FROM "${this.metadata.schema ?? 'public'}"."${table}" WHERE company_id = $1 AND "${column}" = $2`,
        [this.tenant.companyId, id],
      );
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
