import type { TenantEntity } from '../db/base-entity';
import type { Page, PageRequest } from '../db/page';
import { isUuid } from '../db/tenant';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { TenantRepository } from '../db/tenant-repository';
import { decodeCursor } from '../db/keyset';
import type { TenantScope } from '../db/tenant-scope';
import { ReferencedError } from '../db/pg-errors';
import { ConflictError, NotFoundError } from '../shared/errors';
import type { EventType, StandardEvent } from './event-types';
import { DomainEvent, recordEvent, summarize } from './events';
import type { ActionDef, FamilyDef } from './family';
import { applyFilters, breakTiesById } from './listing';

/** Each family's one service, by declaration. */
const services = new WeakMap<FamilyDef<never>, FamilyService<never>>();

/**
 * The operations every family shares, made from its declaration. Each write is one transaction that
 * also records its domain event (the record's history). A family with rules of its own extends it
 * and overrides the `prepare*`/`beforeDelete` hooks; routes and resolvers only ever call these.
 * `parentId` is the parent's id from the path of a nested family: a record of another parent is absent.
 */
export class FamilyService<E extends TenantEntity> {
  constructor(readonly def: FamilyDef<E>) {
    if (services.has(def as never)) throw new Error(`${def.typeName} has two services: make its own before anything asks for one (serviceOf)`);
    services.set(def as never, this as never);
  }

  protected repo(scope: TenantScope): TenantRepository<E> {
    return scope.repo(this.def.entity);
  }

  /** `columns`: only these properties of each record (what the caller shows); every column when absent. */
  async list(scope: TenantScope, filters: Record<string, unknown>, paging: PageRequest, parentId?: string, columns?: readonly string[]): Promise<Page<E>> {
    if (this.def.parent) await this.parentExists(scope, parentId);
    return this.repo(scope).page(paging, this.listShape(scope, filters, parentId), columns);
  }

  /** How many records the list holds, counted up to `bound` rows (what a read of the whole list checks first). */
  async countUpTo(scope: TenantScope, filters: Record<string, unknown>, bound: number, parentId?: string): Promise<number> {
    if (this.def.parent) await this.parentExists(scope, parentId);
    return this.repo(scope).countUpTo(bound, this.listShape(scope, filters, parentId));
  }

  /**
   * Every record of the list in its order, `pageSize` at a time along its keyset cursor: each page is
   * one statement that starts where the last one ended (through the order's index, never an offset),
   * read when the consumer asks for it, so nothing holds the whole list nor a connection between pages.
   */
  async *walk(scope: TenantScope, filters: Record<string, unknown>, pageSize: number, parentId?: string): AsyncGenerator<E[]> {
    if (this.def.parent) await this.parentExists(scope, parentId);
    const shape = this.listShape(scope, filters, parentId);
    let after: PageRequest['after'];
    for (;;) {
      const page = await this.repo(scope).page({ page: 1, limit: pageSize, count: false, after }, shape);
      if (page.items.length) yield page.items;
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
      after = decodeCursor(page.pageInfo.endCursor, 'cursor');
    }
  }

  /** The list's conditions and order: its parent, its filters, the declared order with the id breaking ties. */
  private listShape(scope: TenantScope, filters: Record<string, unknown>, parentId?: string): (qb: SelectQueryBuilder<ObjectLiteral>, alias: string) => void {
    const parentKey = this.def.parent?.key;
    return (qb, alias) => {
      if (parentKey) qb.andWhere(`${alias}.${parentKey} = :__parentId`, { __parentId: parentId });
      applyFilters(this.def.filters, filters, qb, alias, { userId: scope.userId, companyId: scope.companyId, now: scope.now() });
      this.def.order(qb, alias);
      breakTiesById(qb, alias);
    };
  }

  /** Batched through the request's loader, so `_entities` and nested fields cost one query. */
  find(scope: TenantScope, id: string): Promise<E | null> {
    return scope.byId(this.def.entity).load(id);
  }

  async get(scope: TenantScope, id: string, parentId?: string): Promise<E> {
    const row = await this.find(scope, id);
    if (!row || !this.underParent(row, parentId)) throw new NotFoundError(this.def.typeName);
    return row;
  }

  create(scope: TenantScope, data: Partial<E>, parentId?: string): Promise<E> {
    return scope.transaction(async (tx) => {
      const values: Partial<E> = { ...data };
      if (this.def.parent) {
        await this.guardParent(tx, parentId, 'create');
        (values as Record<string, unknown>)[this.def.parent.key] = parentId;
      }
      if (this.def.states) (values as Record<string, unknown>)[this.def.states.field] = this.def.states.initial;
      const row = await this.repo(tx).insert(await this.prepareCreate(tx, values));
      await this.record(tx, row, this.standardEvent('created'), summarize(values as Record<string, unknown>));
      return row;
    });
  }

  update(scope: TenantScope, id: string, patch: Partial<E>, version?: number, parentId?: string): Promise<E> {
    return scope.transaction(async (tx) => {
      const found = await this.repo(tx).getById(id, this.def.typeName);
      if (!this.underParent(found, parentId)) throw new NotFoundError(this.def.typeName);
      await this.guardParentOf(tx, found, 'update');
      const current = await this.unlessFrozen(tx, found);
      // Only what really changes is written: an update that changes nothing keeps the version and
      // leaves no trace in the history.
      const changes = changedFields(current, await this.prepareUpdate(tx, id, patch));
      const row = await this.repo(tx).update(id, changes, version);
      if (Object.keys(changes).length) await this.record(tx, row, this.standardEvent('updated'), summarize(changes as Record<string, unknown>));
      return row;
    });
  }

  async delete(scope: TenantScope, id: string, version?: number, parentId?: string): Promise<void> {
    try {
      await scope.transaction(async (tx) => {
        const current = await this.repo(tx).getById(id, this.def.typeName);
        if (!this.underParent(current, parentId)) throw new NotFoundError(this.def.typeName);
        await this.guardParentOf(tx, current, 'delete');
        await this.unlessFrozen(tx, current);
        await this.beforeDelete(tx, current);
        await this.repo(tx).delete(id, version);
        await recordEvent(tx, { type: this.standardEvent('deleted'), entityType: this.def.typeName, entityId: id });
      });
    } catch (err) {
      // The foreign key refused it; the count of what still points here is read after the rollback.
      if (err instanceof ReferencedError) throw await this.repo(scope).describeReferences(err, id);
      throw err;
    }
  }

  /**
   * Run one of the family's actions: lock the record, check the state it starts from, do the work,
   * write the record's new state (its `to`) and record its event, all in one transaction. A state
   * that does not allow it is a 409 naming both; nothing changes.
   */
  act(scope: TenantScope, name: string, id: string, rawInput: unknown, parentId?: string): Promise<E> {
    const action = this.def.actions.find((a) => a.name === name);
    if (!action) throw new Error(`${this.def.typeName} has no action ${name}`);
    const input = action.parseInput(rawInput);
    return scope.transaction(async (tx) => {
      const repo = this.repo(tx);
      // The parent before the record: the order every writer of a nested family locks in.
      if (this.def.parent) await this.guardParentOf(tx, await repo.getById(id, this.def.typeName), 'action');
      const record = await repo.lock(id, this.def.typeName);
      if (!this.underParent(record, parentId)) throw new NotFoundError(this.def.typeName);
      const stateField = this.def.states?.field;
      const state = stateField ? String((record as Record<string, unknown>)[stateField]) : undefined;
      if (action.from && state !== undefined && !action.from.includes(state)) {
        throw new ConflictError(
          `Cannot ${name} a ${this.def.typeName} that is ${state}; ${name} is allowed from ${action.from.join(', ')}`,
          [{ field: stateField, current: state, allowedFrom: action.from }],
        );
      }
      await this.guardCountsIn(tx, name, record);
      const changes: Record<string, unknown> = { ...((await action.run(record, input, tx)) ?? {}) };
      if (stateField) changes[stateField] = this.stateAfter(action, state!, changes[stateField]);
      // The record is locked, so the write cannot lose a race; it still bumps the version.
      const row = await repo.update(id, { ...changes, updatedAt: tx.now() } as Partial<E>);
      const newState = stateField ? String((row as Record<string, unknown>)[stateField]) : undefined;
      await this.record(tx, row, action.event as EventType, {
        ...(state !== undefined ? { from: state, to: newState } : {}),
        ...(Object.keys(input).length ? { input: summarize(input) } : {}),
        ...(action.payload ? await action.payload(row, tx) : {}),
      });
      return row;
    });
  }

  /**
   * The state an action ends in, as declared: its `to`; of several, the one run() returned; without
   * `to`, the state it was in, or one a declared move takes it to. run() ending anywhere else is a
   * programming error: the drawn machine (docs/states.md) would no longer be the real one.
   */
  private stateAfter(action: ActionDef<E>, current: string, returned: unknown): string {
    const chosen = returned === undefined ? undefined : String(returned);
    const to = action.to;
    if (to?.length === 1 && (chosen === undefined || chosen === to[0])) return to[0];
    if (to && to.length > 1 && chosen !== undefined && to.includes(chosen)) return chosen;
    const moves = (this.def.states?.moves ?? []).filter((m) => m.from.includes(current)).map((m) => m.to);
    if (!to && (chosen === undefined || chosen === current || moves.includes(chosen))) return chosen ?? current;
    const declared = to ? `it moves to ${to.join(' or ')}` : `it declares no move from ${current}`;
    throw new Error(`${this.def.typeName}.${action.name} ended in ${chosen ?? '(no state)'}, but ${declared}`);
  }

  /** What happened to a record, newest first; readable after it was deleted. */
  async history(scope: TenantScope, id: string, paging: PageRequest): Promise<Page<DomainEvent>> {
    if (!isUuid(id)) throw new NotFoundError(this.def.typeName);
    const page = await scope.repo(DomainEvent).page(paging, (qb, a) =>
      qb
        .andWhere(`${a}.entityType = :type AND ${a}.entityId = :id`, { type: this.def.typeName, id })
        .orderBy(`${a}.occurredAt`, 'DESC')
        .addOrderBy(`${a}.id`, 'DESC'),
    );
    if (page.total === 0 && !(await this.find(scope, id))) throw new NotFoundError(this.def.typeName);
    return page;
  }

  /** Derive or check values before an insert: the declaration's hook (ServiceHooks), or a subclass's. */
  protected async prepareCreate(scope: TenantScope, data: Partial<E>): Promise<Partial<E>> {
    return this.def.hooks.prepareCreate ? this.def.hooks.prepareCreate(scope, data) : data;
  }

  protected async prepareUpdate(scope: TenantScope, id: string, patch: Partial<E>): Promise<Partial<E>> {
    return this.def.hooks.prepareUpdate ? this.def.hooks.prepareUpdate(scope, id, patch) : patch;
  }

  protected async beforeDelete(scope: TenantScope, record: E): Promise<void> {
    await this.def.hooks.beforeDelete?.(scope, record);
  }

  /**
   * How a write of a nested record locks its parent: `share` (default) lets writes under one parent
   * run side by side while the parent cannot change state; `update` serialises them, for a family
   * whose writes check a sum over their siblings (and so would otherwise upgrade a shared lock).
   */
  protected parentLock(_operation: 'create' | 'update' | 'delete' | 'action'): 'share' | 'update' {
    return 'share';
  }

  /**
   * A write under a parent holds the parent's row locked until it commits, and is refused (409)
   * while the parent is in a state that freezes its children: a parent's move into such a state
   * (which locks it FOR UPDATE) and a child's write are decided one after the other by the database.
   */
  private async guardParent(tx: TenantScope, parentId: string | undefined, operation: 'create' | 'update' | 'delete' | 'action'): Promise<void> {
    const parent = this.def.parent!.family();
    if (parentId === undefined) throw new NotFoundError(parent.typeName);
    const row = await tx.repo(parent.entity).lock(parentId, parent.typeName, this.parentLock(operation));
    refuseFrozen(parent, row, `its ${this.def.plural} are read-only`, `${parent.singular}.`);
  }

  /**
   * A record of a family with final states, locked FOR UPDATE (after its parent, the order every
   * writer locks in) and refused (409) while it is in one: a move into such a state (an action,
   * which locks it too) and this write are decided one after the other by the database. Any other
   * record as it was read.
   */
  private async unlessFrozen(tx: TenantScope, found: E): Promise<E> {
    if (!this.def.frozenIn.length) return found;
    const row = await this.repo(tx).lock(found.id, this.def.typeName);
    refuseFrozen(this.def, row, 'it is read-only');
    return row;
  }

  /**
   * An action that would change what the record this one counts in sums (accepting an offer of an
   * event) holds that record FOR SHARE until it commits and is refused (409) while it is final; it
   * runs after the record's own lock, and nothing that locks the counted record FOR UPDATE locks
   * this one, so the two orders cannot deadlock.
   */
  private async guardCountsIn(tx: TenantScope, action: string, record: E): Promise<void> {
    const countsIn = this.def.countsIn;
    if (!countsIn?.actions.includes(action)) return;
    const id = (record as Record<string, unknown>)[countsIn.key];
    if (id === null || id === undefined) return;
    const family = countsIn.family();
    const row = await tx.repo(family.entity).lock(String(id), family.typeName, 'share');
    refuseFrozen(family, row, `${action} of its ${this.def.plural} is refused`, `${family.singular}.`);
  }

  private guardParentOf(tx: TenantScope, record: E, operation: 'create' | 'update' | 'delete' | 'action'): Promise<void> {
    if (!this.def.parent) return Promise.resolve();
    return this.guardParent(tx, String((record as Record<string, unknown>)[this.def.parent.key]), operation);
  }

  /** `<family>.created` and the like: declared for every family (FamilyDef.events). */
  private standardEvent(what: StandardEvent): EventType {
    return `${this.def.singular}.${what}` as EventType;
  }

  private record(tx: TenantScope, row: E, type: EventType, payload: Record<string, unknown>): Promise<DomainEvent> {
    return recordEvent(tx, {
      type,
      entityType: this.def.typeName,
      entityId: row.id,
      version: row.version,
      payload,
    });
  }

  private underParent(row: E, parentId: string | undefined): boolean {
    if (!this.def.parent || parentId === undefined) return true;
    return (row as Record<string, unknown>)[this.def.parent.key] === parentId.toLowerCase();
  }

  private async parentExists(scope: TenantScope, parentId: string | undefined): Promise<void> {
    const parent = this.def.parent!.family();
    if (parentId === undefined || !(await scope.repo(parent.entity).findById(parentId))) throw new NotFoundError(parent.typeName);
  }
}

/**
 * The service of a family: the one its module made (a subclass with rules of its own), else the
 * kit's, made from the declaration on first use (its hooks are the declaration's).
 */
export function serviceOf<E extends TenantEntity>(def: FamilyDef<E>): FamilyService<E> {
  return (services.get(def as never) as FamilyService<E> | undefined) ?? new FamilyService(def);
}

/** A 409 when the record is in one of its family's final states, naming the state (`prefix` + its field). */
function refuseFrozen(family: FamilyDef<TenantEntity>, row: TenantEntity, what: string, prefix = ''): void {
  const field = family.states?.field;
  const state = field === undefined ? undefined : String((row as unknown as Record<string, unknown>)[field]);
  if (state === undefined || !family.frozenIn.includes(state)) return;
  throw new ConflictError(`The ${family.typeName} is ${state}: ${what}`, [{ field: `${prefix}${field}`, current: state }]);
}

/** The fields of `patch` whose value differs from the record's (dates, lists and objects by value). */
function changedFields<E extends object>(current: E, patch: Partial<E>): Partial<E> {
  const canonical = (value: unknown): string =>
    JSON.stringify(value ?? null, (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null).sort(([a], [b]) => a.localeCompare(b)))
        : v,
    );
  return Object.fromEntries(
    Object.entries(patch).filter(([key, value]) => canonical(value) !== canonical((current as Record<string, unknown>)[key])),
  ) as Partial<E>;
}
