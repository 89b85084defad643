import type { TenantEntity } from '../db/base-entity';
import type { Page, PageRequest, TenantRepository, TenantScope } from '../db/tenant-scope';
import { ReferencedError } from '../db/pg-errors';
import { NotFoundError } from './errors';
import { applyFilters } from './listing';
import type { ResourceDef } from './resource';

/**
 * The business operations every family shares. A module with rules of its own extends it and
 * overrides the `prepare*`/`beforeDelete` hooks; routes and resolvers only ever call these.
 */
export class CrudService<E extends TenantEntity> {
  constructor(readonly def: ResourceDef<E>) {}

  protected repo(scope: TenantScope): TenantRepository<E> {
    return scope.repo(this.def.entity);
  }

  list(scope: TenantScope, filters: Record<string, unknown>, paging: PageRequest): Promise<Page<E>> {
    return this.repo(scope).page(paging, (qb, alias) => {
      applyFilters(this.def.filters, filters, qb, alias, { userId: scope.userId, now: new Date() });
      this.def.order(qb, alias);
      qb.addOrderBy(`${alias}.id`, 'ASC');
    });
  }

  /** Batched through the request's loader, so `_entities` and nested fields cost one query. */
  find(scope: TenantScope, id: string): Promise<E | null> {
    return scope.byId(this.def.entity).load(id);
  }

  async get(scope: TenantScope, id: string): Promise<E> {
    const row = await this.find(scope, id);
    if (!row) throw new NotFoundError(this.def.typeName);
    return row;
  }

  create(scope: TenantScope, data: Partial<E>): Promise<E> {
    return scope.transaction(async (tx) => this.repo(tx).insert(await this.prepareCreate(tx, data)));
  }

  update(scope: TenantScope, id: string, patch: Partial<E>, version?: number): Promise<E> {
    return scope.transaction(async (tx) =>
      this.repo(tx).update(id, await this.prepareUpdate(tx, id, patch), version),
    );
  }

  async delete(scope: TenantScope, id: string, version?: number): Promise<void> {
    try {
      await scope.transaction(async (tx) => {
        await this.beforeDelete(tx, id);
        await this.repo(tx).delete(id, version);
      });
    } catch (err) {
      // The foreign key refused it; the count of what still points here is read after the rollback.
      if (err instanceof ReferencedError) throw await this.repo(scope).describeReferences(err, id);
      throw err;
    }
  }

  /** Derive or check values before an insert (defaults from the company, cross-field rules). */
  protected async prepareCreate(_scope: TenantScope, data: Partial<E>): Promise<Partial<E>> {
    return data;
  }

  protected async prepareUpdate(_scope: TenantScope, _id: string, patch: Partial<E>): Promise<Partial<E>> {
    return patch;
  }

  protected async beforeDelete(_scope: TenantScope, _id: string): Promise<void> {}
}
