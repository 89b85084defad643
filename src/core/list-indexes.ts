import type { EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ownerOf } from '../db/owned-by';
import type { FamilyDef } from './family';
import type { FilterIndex } from './listing';

/**
 * The indexes a family's list needs, derived from its declaration: one in the shape of its order
 * (`company_id`, the parent's key or the owner's, the order's keys, `id`), and one per filter
 * (`company_id`, …, the filter's key, the order's keys, `id`) so a filtered page is read in order
 * from the index, never sorted out of the whole company. A `q` search needs a trigram index per
 * column it searches, an array filter a GIN index of the array. A migration creates them; a test
 * holds the database to this list, so a new filter or order cannot ship without its index.
 *
 * A nested family (tickets of an event) is listed under one parent at a time: its filters narrow
 * that parent's records, so only the parent's index in the order's shape is needed.
 */
export interface ListIndex {
  table: string;
  method: 'btree' | 'gin';
  /** Its keys as CREATE INDEX writes them, on column names. */
  keys: string[];
  /** What it serves (`order`, `filter status`), for a failure's message. */
  serves: string;
}

export interface OrderKey {
  property: string;
  direction: 'ASC' | 'DESC';
  nulls?: 'NULLS FIRST' | 'NULLS LAST';
}

/** The keys of a family's list order as the service writes it: its declared order, then the id in the main key's direction. */
export function orderKeys(def: Pick<FamilyDef, 'order'>): OrderKey[] {
  const keys: OrderKey[] = [];
  const add = (sort: string, direction: 'ASC' | 'DESC' = 'ASC', nulls?: OrderKey['nulls']) => {
    keys.push({ property: sort.slice(sort.indexOf('.') + 1), direction, nulls });
    return recorder;
  };
  // The order is declared as a function of a query builder; only its order calls are of interest here.
  const recorder = {
    orderBy: (sort: string, direction?: 'ASC' | 'DESC', nulls?: OrderKey['nulls']) => ((keys.length = 0), add(sort, direction, nulls)),
    addOrderBy: add,
  };
  def.order(recorder as unknown as SelectQueryBuilder<ObjectLiteral>, 'r');
  if (!keys.some((k) => k.property === 'id')) keys.push({ property: 'id', direction: keys[0]?.direction ?? 'ASC' });
  return keys;
}

/** The index keys that serve an order: written ascending when the order's main key is descending (read backwards). */
function indexKeys(order: OrderKey[], column: (property: string) => string): string[] {
  const backwards = order[0]?.direction === 'DESC';
  return order.map((k) => {
    const direction = backwards === (k.direction === 'DESC') ? 'ASC' : 'DESC';
    // Descending sorts nulls first, ascending last: only another choice is written out.
    const nulls = k.nulls && (k.nulls === 'NULLS FIRST') !== (k.direction === 'DESC') ? (direction === 'ASC' ? ' NULLS FIRST' : ' NULLS LAST') : '';
    return `${column(k.property)}${direction === 'DESC' ? ' DESC' : ''}${nulls}`;
  });
}

export function listIndexes(def: FamilyDef, metadata: EntityMetadata): ListIndex[] {
  if (!def.operations.has('list')) return [];
  const column = (property: string): string => {
    const found = metadata.findColumnWithPropertyName(property);
    if (!found) throw new Error(`${def.typeName}: the list names ${property}, which is not a column`);
    return found.databaseName;
  };
  const table = metadata.tableName;
  const owner = ownerOf(def.entity);
  const leading = ['company_id', ...(def.parent ? [column(def.parent.key)] : []), ...(owner ? [column(owner)] : [])];
  const order = orderKeys(def);
  const ordered = indexKeys(order, column);
  const found: ListIndex[] = [{ table, method: 'btree', keys: [...leading, ...ordered], serves: 'order' }];
  if (!def.parent) {
    for (const [name, spec] of Object.entries(def.filters)) found.push(...filterIndexes(spec.index, `filter ${name}`));
  }
  const seen = new Set<string>();
  return found.filter((i) => {
    const key = `${i.method} ${i.keys.join(', ')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  function filterIndexes(index: FilterIndex, serves: string): ListIndex[] {
    if ('search' in index) return index.search.map((p) => ({ table, method: 'gin', keys: [`${column(p)} gin_trgm_ops`], serves }));
    if ('contains' in index) return [{ table, method: 'gin', keys: [column(index.contains)], serves }];
    if ('equals' in index) {
      const key = index.expression ? index.expression(column(index.equals)) : column(index.equals);
      return [{ table, method: 'btree', keys: [...leading, key, ...ordered], serves }];
    }
    // A bound on the order's main key reads the order's own index from the bound on.
    if ('range' in index && index.range !== order[0].property) {
      return [{ table, method: 'btree', keys: [...leading, column(index.range), ...ordered], serves }];
    }
    return [];
  }
}
