import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { ENTITIES } from '../entities';
import { openDatabase } from '../db/data-source';

/**
 * `npm run migration:run`: apply pending migrations to DATABASE_URL or, when it is unset, to the
 * embedded dev PostgreSQL (start-up does the same).
 */
async function run(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  let url = config.database.url;
  let embedded: { stop(): Promise<void> } | undefined;
  if (!url) {
    // Only reachable outside production: loadConfig refuses production without DATABASE_URL.
    const { startEmbeddedPostgres } = await import('../dev/embedded-postgres.js');
    const started = await startEmbeddedPostgres(config.database.embeddedDir, config.database.embeddedPort, logger);
    embedded = started;
    url = started.url;
  }
  try {
    const dataSource = await openDatabase({ entities: ENTITIES, url, schema: config.database.schema, poolMax: 2, runtimeRole: config.database.runtimeRole, historyRetentionMonths: config.historyRetentionMonths, logger });
    const pending = await dataSource.showMigrations();
    logger.info({ pending }, 'migrations up to date');
    await dataSource.destroy();
  } finally {
    await embedded?.stop();
  }
}

run().catch((err) => {
  process.stderr.write(`migration:run failed: ${err.message ?? err}\n`);
  process.exit(1);
});
