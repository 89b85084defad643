import { ENTITIES } from '../../src/entities';
import { jobQueueSchema } from '../../migrations/support/job-queue';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { createLogger } from '../../src/logger';

/**
 * The schema belongs to the migrations, and the entities must describe exactly what they create:
 * otherwise `npm run migration:generate` drafts drops of keys and indexes the service relies on.
 * Replicas that start together must not apply the same migration twice.
 */
const databaseUrl = process.env.DATABASE_URL!;
const logger = createLogger('silent');
const schemas: string[] = [];
const opened: DataSource[] = [];

function freshSchema(): string {
  const schema = `test_${randomBytes(5).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

async function open(schema: string): Promise<DataSource> {
  const dataSource = await openDatabase({ entities: ENTITIES, url: databaseUrl, schema, poolMax: 2, logger });
  opened.push(dataSource);
  return dataSource;
}

afterAll(async () => {
  await Promise.all(opened.filter((d) => d.isInitialized).map((d) => d.destroy()));
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}", "${jobQueueSchema(schema)}" CASCADE`);
  } finally {
    await client.end();
  }
});

test('after the migrations, TypeORM finds nothing to change in the schema (no drift)', async () => {
  const dataSource = await open(freshSchema());
  const diff = await dataSource.driver.createSchemaBuilder().log();
  expect(diff.upQueries.map((q) => q.query)).toEqual([]);
});

test('two instances starting at once on one fresh schema apply each migration once', async () => {
  const schema = freshSchema();
  const [first, second] = await Promise.all([open(schema), open(schema)]);
  const applied = await first.query(`SELECT name FROM "${schema}".migrations ORDER BY id`);
  expect(applied.map((m: { name: string }) => m.name)).toEqual(first.migrations.map((m) => m.name));
  expect(await second.showMigrations()).toBe(false);
});
