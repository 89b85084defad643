import { FieldNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
import { getMetadataArgsStorage } from 'typeorm';
import type { RelationDef } from '../core/relations';
import type { TenantEntity } from '../db/base-entity';

/**
 * The columns a list or relation read needs for what the GraphQL selection asks of its records, so
 * a page of artists asked for `id name` reads two columns, not seventeen (fewer bytes decoded, no
 * dates parsed, no arrays split). Conservative: a selected field that is neither a plain column of
 * the entity nor a declared relation (a computed read, `history`, a computed field) means every column, and
 * so does an entity that derives values after a load (`@AfterLoad`). The record's id and company
 * always come, a relation's key when the relation is selected, and the property a field is
 * computed from (`assigneeId` for `assignee`).
 */
type Entity = new () => TenantEntity;

const relationsBySource = new Map<Entity, Map<string, RelationDef>>();

/** Called as the schema is made: the fields between families that a record type has. */
export function registerRelation(relation: RelationDef): void {
  let fields = relationsBySource.get(relation.source);
  if (!fields) relationsBySource.set(relation.source, (fields = new Map()));
  fields.set(relation.field, relation);
}

const keyedBySource = new Map<unknown, Map<string, string>>();

/** Called as the schema is made: a field of the type computed from one property alone (`assignee` from `assigneeId`). */
export function registerKeyedField(source: unknown, field: string, property: string): void {
  let fields = keyedBySource.get(source);
  if (!fields) keyedBySource.set(source, (fields = new Map()));
  fields.set(field, property);
}

interface Plan {
  /** Property names of the entity's own columns, or null when the entity must be read whole. */
  columns: Set<string> | null;
}
const plans = new Map<Entity, Plan>();

function planOf(entity: Entity): Plan {
  let plan = plans.get(entity);
  if (!plan) {
    const storage = getMetadataArgsStorage();
    const lineage: unknown[] = [];
    for (let c: unknown = entity; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) lineage.push(c);
    const derives = storage.entityListeners.some((l) => lineage.includes(l.target) && l.type === 'after-load');
    const columns = storage.columns.filter((c) => lineage.includes(c.target)).map((c) => c.propertyName);
    const embedded = storage.embeddeds.some((e) => lineage.includes(e.target));
    plan = { columns: derives || embedded ? null : new Set(columns) };
    plans.set(entity, plan);
  }
  return plan;
}

function collect(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, into: Set<string>): void {
  if (!set) return;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) into.add(s.name.value);
    else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet, info, into);
    else collect(info.fragments[s.name.value]?.selectionSet, info, into);
  }
}

/** The names of the fields selected on what this field returns (fragments included). */
export function selectedFields(info: GraphQLResolveInfo): ReadonlySet<string> {
  const fields = new Set<string>();
  for (const node of info.fieldNodes) collect(node.selectionSet, info, fields);
  return fields;
}

/** The sub-fields of `name` selected in a selection set (fragments included), merged. */
function subFields(sets: readonly (SelectionSetNode | undefined)[], name: string, info: GraphQLResolveInfo): SelectionSetNode[] {
  const found: SelectionSetNode[] = [];
  const walk = (set: SelectionSetNode | undefined) => {
    if (!set) return;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value === name && s.selectionSet) found.push(s.selectionSet);
      } else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else walk(info.fragments[s.name.value]?.selectionSet);
    }
  };
  sets.forEach(walk);
  return found;
}

/**
 * The property names to read for the records this field returns (`page`: under its `items`), or
 * undefined for all of them. `also`: properties the read itself needs (a grouping key).
 */
export function selectedColumns(info: GraphQLResolveInfo, entity: Entity, page: boolean, also: readonly string[] = []): string[] | undefined {
  // Asked once per parent record of a list (each event's tickets): the answer is the document's, kept with its AST.
  const node = info.fieldNodes[0];
  let known = answers.get(node);
  if (!known) answers.set(node, (known = new Map()));
  const key = `${entity.name}:${page}:${also.join(',')}`;
  if (known.has(key)) return known.get(key);
  const columns = computeColumns(info, entity, page, also);
  known.set(key, columns);
  return columns;
}

const answers = new WeakMap<FieldNode, Map<string, string[] | undefined>>();

function computeColumns(info: GraphQLResolveInfo, entity: Entity, page: boolean, also: readonly string[]): string[] | undefined {
  const plan = planOf(entity);
  if (!plan.columns) return undefined;
  const own = info.fieldNodes.map((n: FieldNode) => n.selectionSet);
  const sets = page ? subFields(own, 'items', info) : own.filter((s): s is SelectionSetNode => !!s);
  const fields = new Set<string>();
  for (const set of sets) collect(set, info, fields);
  const relations = relationsBySource.get(entity);
  const keyed = keyedBySource.get(entity);
  const needed = new Set<string>(['id', 'companyId', ...also]);
  for (const field of fields) {
    if (field === '__typename') continue;
    const relation = relations?.get(field);
    const property = keyed?.get(field);
    if (property) needed.add(property);
    else if (relation) {
      if (relation.kind === 'belongsTo') needed.add(relation.key);
      else if (relation.kind === 'belongsToMany') needed.add(relation.keys);
    } else if (plan.columns.has(field)) needed.add(field);
    else return undefined;
  }
  for (const n of needed) if (!plan.columns.has(n)) return undefined;
  return [...needed].sort();
}
