import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { ENTITIES } from '../entities';
import { openDatabase } from '../db/data-source';

/** `npm run migration:run`: apply pending migrations to DATABASE_URL (start-up does the same). */
async function run(): Promise<void> {
  const config = loadConfig();
  if (!config.database.url) throw new ConfigError('Set DATABASE_URL to the database to migrate.');
  const logger = createLogger(config.logLevel);
  const dataSource = await openDatabase({ entities: ENTITIES, url: config.database.url, schema: config.database.schema, poolMax: 2, logger });
  const pending = await dataSource.showMigrations();
  logger.info({ pending }, 'migrations up to date');
  await dataSource.destroy();
}

run().catch((err) => {
  process.stderr.write(`migration:run failed: ${err.message ?? err}\n`);
  process.exit(1);
});
