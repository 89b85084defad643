import type { EntityManager, EntityMetadata, ObjectLiteral } from 'typeorm';

/**
 * Raw rows to records without TypeORM's generic entity transformer (most of a list's cost): the
 * columns a select read are copied onto a new record through the same conversions as TypeORM's own
 * reads, and what an entity derives after a load runs as it would there.
 */

type Driver = EntityManager['connection']['driver'];
const mappers = new WeakMap<EntityMetadata, Map<string, (raw: ObjectLiteral) => never>>();
/** Types pg already hands over as the record holds them (a Date for timestamptz). */
const AS_IS = new Set(['text', 'uuid', 'int', 'integer', 'varchar', 'timestamptz', 'jsonb', 'boolean']);

/** raw row (`<alias>_<column>` keys) → record of `metadata`, made once per entity and alias. */
export function recordMapper<T>(metadata: EntityMetadata, alias: string, driver: Driver): (raw: ObjectLiteral) => T {
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

/** A raw RETURNING row (`<column>` keys) → record of `metadata`, through the same column transformers as a normal read. */
export function hydrateRecord<T>(metadata: EntityMetadata, driver: Driver, raw: ObjectLiteral): T {
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    if (column.databaseName in raw) column.setEntityValue(entity as ObjectLiteral, driver.prepareHydratedValue(raw[column.databaseName], column));
  }
  return entity;
}
