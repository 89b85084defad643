import { Check, Column, Entity, ForeignKey, Index, Unique } from 'typeorm';
import { snakeCase } from 'typeorm/util/StringUtils';
import { Directive, Field, ObjectType } from 'type-graphql';
import { bigintAsNumber, TenantEntity } from '../db/base-entity';
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

export function defineRecord<const F extends FieldMap>(options: RecordOptions<F>): RecordClass<F> {
  const { name, table } = options;
  const shown = options.shown ?? true;
  const cls = { [name]: class extends TenantEntity {} }[name];
  const column = (property: string) => snakeCase(property);
  const checks: [string, string][] = [];
  const foreignKeys: ClassDecorator[] = [];

  for (const [property, spec] of Object.entries(options.fields)) {
    const { nullable, description, column: stored, output, bounds, check, references, shownByRelation } = spec.options;
    if (!stored) throw new Error(`${name}.${property}: a field of this kind is not stored`);
    if (shown && !shownByRelation) Field(output ?? spec.graphql, { nullable, description })(cls.prototype, property);
    Column(stored.type as never, {
      nullable,
      ...(stored.array ? { array: true } : {}),
      ...(stored.default ? { default: stored.default } : {}),
      ...(stored.bigint ? { transformer: bigintAsNumber } : {}),
    })(cls.prototype, property);

    const col = column(property);
    const orNull = (sql: string) => (nullable ? `${col} IS NULL OR ${sql}` : sql);
    if (bounds?.values) checks.push([`ck__${table}__${col}`, orNull(`${col} IN (${bounds.values.map((v) => `'${v}'`).join(', ')})`)]);
    if (check) checks.push([`ck__${table}__${(check.name ?? '$').replace(/\$/g, col)}`, orNull(check.sql.replace(/\$/g, col))]);
    if (references) {
      foreignKeys.push(
        ForeignKey(references.target as never, ['companyId', property], ['companyId', 'id'], {
          name: `fk__${table}__${col}`,
          onDelete: 'NO ACTION',
          ...(references.deferrable ? { deferrable: references.deferrable } : {}),
        }) as ClassDecorator,
      );
    }
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
    ...(options.indexes ?? []).map((index) =>
      typeof index === 'string' ? Index(index, { synchronize: false }) : Index(index.name, [...index.columns]),
    ),
  ];
  for (const decorate of decorators.reverse()) decorate(cls);

  declarations.set(cls, { table, fields: options.fields });
  return cls as unknown as RecordClass<F>;
}
