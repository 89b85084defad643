import { AfterLoad, Check, Column, Entity, Exclusion, ForeignKey, Generated, Index, Unique, VirtualColumn } from 'typeorm';
import { snakeCase } from 'typeorm/util/StringUtils';
import { Directive, Field, ObjectType } from 'type-graphql';
import { bigintAsNumber, TenantEntity } from '../db/base-entity';
import type { ClassType } from '../db/class-type';
import { OwnedBy } from '../db/owned-by';
import type { FieldMap, FieldSpec } from './fields';

/**
 * A stored record declared once: each field's column, GraphQL field, validation, description and
 * CHECK come from its declaration (`f.int(1).nullable().checked().describe(…)`), and the record's
 * class is made from it at start-up: a TypeORM entity (columns, checks, keys and the indexes the
 * migrations own, so `migration:generate` drafts nothing on an unchanged codebase) that is also the
 * type-graphql object type, a federation entity (`@key(fields: "id")`). Its instance type is the
 * record's type: `export type Venue = RecordOf<typeof Venue>`.
 */
export interface RecordOptions<F extends FieldMap> {
  /** The class, GraphQL type and TypeORM entity name (`Venue`). */
  name: string;
  table: string;
  description: string;
  /** In the order the GraphQL type, its inputs and the OpenAPI record list them. */
  fields: F;
  /**
   * `uq__<table>__company_id_id` on (company_id, id), which other tables' foreign keys point at;
   * default true.
   */
  referencedById?: boolean;
  /** More unique constraints by name: the properties they cover (the company's first). */
  unique?: Record<string, readonly string[]>;
  /** Checks over several columns, by full name (`ck__files__entity`): their SQL. */
  checks?: Record<string, string>;
  /**
   * Exclusion constraints by full name (`uq__avails__hold_level`): `USING …` as the migration wrote
   * it, perhaps deferred to the commit.
   */
  exclusions?: Record<string, { expression: string; deferrable?: 'INITIALLY DEFERRED' | 'INITIALLY IMMEDIATE' }>;
  /**
   * Indexes by name. A name alone is an index the migrations own (partial, an expression, trigram:
   * what TypeORM cannot express, `synchronize: false`); with properties, an ordinary one.
   */
  indexes?: readonly (string | { name: string; columns: readonly string[] })[];
  /** The property holding the user each record belongs to (see src/db/owned-by.ts). */
  ownedBy?: keyof F & string;
  /** Other subgraphs may extend it by id (`@key(fields: "id")`); default true. */
  federated?: boolean;
  /**
   * It is a GraphQL type (and its fields GraphQL fields); default true. False for the record of a
   * read model (a stored statement), which only its module's views and handlers read.
   */
  shown?: boolean;
}

/** The value a field holds once stored. */
type StoredValue<S> = S extends FieldSpec<infer T> ? T : never;

/** What every record of a declaration holds: the kit's own fields and its declared ones. */
export type RecordFields<F extends FieldMap> = TenantEntity & { -readonly [K in keyof F]: StoredValue<F[K]> };

/** A record class made by `defineRecord`. */
export type RecordClass<F extends FieldMap> = (new () => RecordFields<F>) & { readonly prototype: RecordFields<F> };

/** The type of a record of a declaration: `export type Venue = RecordOf<typeof Venue>`. */
export type RecordOf<C> = C extends new () => infer R ? R : never;

interface Declared {
  table: string;
  fields: FieldMap;
}

const declarations = new WeakMap<object, Declared>();

/** The declaration a record class was made from; undefined for a hand-written entity. */
export function declarationOf(entity: object): Declared | undefined {
  return declarations.get(entity);
}

/** The fields of a record's declaration a caller may write: its create and update inputs. */
export function writableFields(fields: FieldMap): FieldMap {
  return Object.fromEntries(Object.entries(fields).filter(([, spec]) => !spec.options.readOnly));
}

/** The stored values of the fields a read gave as of now (`.asOfNow()`), by record. */
const storedValues = new WeakMap<object, Record<string, unknown>>();

/**
 * What the column of a field read as of now (`.asOfNow()`) holds: the value last written, which
 * the record's property does not show (a hold's level before the holds above it that expired are
 * written down). Any other field: its value.
 */
export function storedValue<R extends object, K extends keyof R & string>(record: R, property: K): R[K] {
  const stored = storedValues.get(record);
  return (stored && property in stored ? stored[property] : record[property]) as R[K];
}

/** The record now holds `values`, and its columns do too (just written): read and stored agree. */
export function assignStored<R extends object>(record: R, values: Partial<R>): void {
  Object.assign(record, values);
  const stored = storedValues.get(record);
  if (stored) Object.assign(stored, values);
}

/** The hidden property a field's value as of now is read into, before it replaces the field's. */
const asOfNowProperty = (property: string) => `${property}AsOfNow`;

export function defineRecord<const F extends FieldMap>(options: RecordOptions<F>): RecordClass<F> {
  const { name, table } = options;
  const shown = options.shown ?? true;
  // Internal fields are stored, never shown: REST answers leave them out as GraphQL does.
  const internal = Object.entries(options.fields).filter(([, spec]) => spec.options.internal).map(([property]) => property);
  const cls = {
    [name]: class extends TenantEntity {
      override toJSON(): Record<string, unknown> {
        const fields = super.toJSON();
        for (const property of internal) delete fields[property];
        return fields;
      }
    },
  }[name];
  const column = (property: string) => snakeCase(property);
  const checks: [string, string][] = [];
  const foreignKeys: ClassDecorator[] = [];
  const readAsOfNow: string[] = [];

  for (const [property, spec] of Object.entries(options.fields)) {
    const { nullable, description, column: stored, output, bounds, check, references, shownByRelation, asOfNow, internal: hidden } = spec.options;
    if (!stored) throw new Error(`${name}.${property}: a field of this kind is not stored`);
    if (shown && !shownByRelation && !hidden) Field(output ?? spec.graphql, { nullable, description })(cls.prototype, property);
    Column(stored.type as never, {
      nullable,
      ...(stored.array ? { array: true } : {}),
      ...(stored.default !== undefined ? { default: stored.default } : {}),
      ...(stored.bigint ? { transformer: bigintAsNumber } : {}),
    })(cls.prototype, property);
    if (asOfNow) {
      VirtualColumn({ type: stored.type as never, query: asOfNow, ...(stored.bigint ? { transformer: bigintAsNumber } : {}) })(cls.prototype, asOfNowProperty(property));
      readAsOfNow.push(property);
    }
    if (stored.increment) Generated('increment')(cls.prototype, property);

    const col = column(property);
    const orNull = (sql: string) => (nullable ? `${col} IS NULL OR ${sql}` : sql);
    if (bounds?.values) checks.push([`ck__${table}__${col}`, orNull(`${col} IN (${bounds.values.map((v) => `'${v}'`).join(', ')})`)]);
    if (check) checks.push([`ck__${table}__${(check.name ?? '$').replace(/\$/g, col)}`, orNull(check.sql.replace(/\$/g, col))]);
    if (references) {
      foreignKeys.push(
        ForeignKey(references.target as never, ['companyId', property], ['companyId', 'id'], {
          name: `fk__${table}__${col}`,
          onDelete: references.onDelete ?? 'NO ACTION',
          ...(references.deferrable ? { deferrable: references.deferrable } : {}),
        }) as ClassDecorator,
      );
    }
  }

  if (readAsOfNow.length) {
    // Every read shows the values as of now; the stored ones stay at hand (storedValue). A read that
    // did not select them (a narrowed one) keeps the stored values.
    Object.defineProperty(cls.prototype, 'readAsOfNow', {
      enumerable: false,
      value(this: Record<string, unknown>) {
        const stored: Record<string, unknown> = {};
        for (const property of readAsOfNow) {
          const hidden = asOfNowProperty(property);
          if (this[hidden] !== undefined) {
            stored[property] = this[property];
            this[property] = this[hidden];
          }
          delete this[hidden];
        }
        storedValues.set(this, stored);
      },
    });
    AfterLoad()(cls.prototype, 'readAsOfNow');
  }

  // Class decorators in the order a hand-written entity lists them, applied bottom up.
  const decorators: ClassDecorator[] = [
    ...(shown && options.federated !== false ? [Directive('@key(fields: "id")')] : []),
    ...(shown ? [ObjectType({ description: options.description })] : []),
    Entity(table),
    ...(options.ownedBy ? [OwnedBy(options.ownedBy)] : []),
    ...(options.referencedById === false ? [] : [Unique(`uq__${table}__company_id_id`, ['companyId', 'id'])]),
    ...Object.entries(options.unique ?? {}).map(([constraint, properties]) => Unique(constraint, [...properties])),
    ...foreignKeys,
    ...[...checks, ...Object.entries(options.checks ?? {})].map(([constraint, sql]) => Check(constraint, sql)),
    ...Object.entries(options.exclusions ?? {}).map(([constraint, { expression, deferrable }]) =>
      Exclusion(constraint, expression, deferrable ? { deferrable } : {}),
    ),
    ...(options.indexes ?? []).map((index) =>
      typeof index === 'string' ? Index(index, { synchronize: false }) : Index(index.name, [...index.columns]),
    ),
  ];
  for (const decorate of decorators.reverse()) decorate(cls);

  declarations.set(cls, { table, fields: options.fields });
  return cls as unknown as RecordClass<F>;
}

const transient = new WeakMap<object, Set<string>>();

/**
 * A text field a record carries only in some answers and never stores (a webhook's secret in the
 * answer that made it): a nullable GraphQL field, and a REST property where it is set.
 */
export function defineTransientField(record: ClassType, property: string, description: string): void {
  Field(() => String, { nullable: true, description })(record.prototype, property);
  transient.set(record, new Set([...(transient.get(record) ?? []), property]));
}

/** The transient fields of a record class (defineTransientField). */
export function transientFields(record: object): ReadonlySet<string> {
  return transient.get(record) ?? new Set();
}
