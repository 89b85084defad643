import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { ENTITIES } from '../entities';
import { createDataSource } from '../db/data-source';

/**
 * The data source TypeORM's CLI reads (`npm run migration:generate -- migrations/Name`): the
 * configured DATABASE_URL, never the embedded dev database.
 */
const config = loadConfig();
if (!config.database.url) {
  throw new Error('Set DATABASE_URL to the database the migration should be generated against.');
}
export default createDataSource({
  entities: ENTITIES,
  url: config.database.url,
  schema: config.database.schema,
  poolMax: 2,
  logger: createLogger(config.logLevel),
});
