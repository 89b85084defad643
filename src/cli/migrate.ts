import 'reflect-metadata';
import { configOrExit, loadDatabaseConfig } from '../config';
import { createLogger } from '../logger';
import { ENTITIES } from '../entities';
import { openDatabase } from '../db/data-source';

/**
 * `node dist/src/cli/migrate.js` (`npm run migrate`; `npm run migration:run` builds first): apply
 * pending migrations as the DATABASE_URL user (the schema's owner) and grant the runtime role, then
 * exit. Needs only the database settings, none of Auth's, and no dev dependency, so the production
 * image runs it as a release step. Without DATABASE_URL (outside production) it migrates the
 * embedded dev PostgreSQL, as start-up does.
 */
async function run(): Promise<void> {
  const config = configOrExit(() => loadDatabaseConfig(), 'migrate');
  const logger = createLogger(config.logLevel);
  let url = config.database.url;
  let embedded: { stop(): Promise<void> } | undefined;
  if (!url) {
    // Only reachable outside production: loadDatabaseConfig refuses production without DATABASE_URL.
    const { startEmbeddedPostgres } = await import('../dev/embedded-postgres.js');
    const started = await startEmbeddedPostgres(config.database.embeddedDir, config.database.embeddedPort, logger);
    embedded = started;
    url = started.url;
  }
  try {
    const dataSource = await openDatabase({
      entities: ENTITIES,
      url,
      schema: config.database.schema,
      poolMax: 1,
      connectTimeoutMs: config.database.connectTimeoutMs,
      runtimeRole: config.database.runtimeRole,
      historyRetentionMonths: config.database.historyRetentionMonths,
      logger,
    });
    logger.info({ schema: config.database.schema }, 'migrations up to date');
    await dataSource.destroy();
  } finally {
    await embedded?.stop();
  }
}

run().catch((err) => {
  process.stderr.write(`migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
