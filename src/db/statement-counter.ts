import type { Logger as TypeOrmLogger, QueryRunner } from 'typeorm';
import type { Logger } from 'pino';
import { loggableError } from './loggable-error';

/**
 * TypeORM logger that counts the texts sent to PostgreSQL, one per round trip (a one-round-trip read
 * is one, however many statements it holds; tests assert N+1 freedom with the count), and forwards
 * query errors and slow queries to the structured log. It logs the text and never the parameters,
 * which are customer data; the text holds placeholders because values travel as parameters, and the
 * one-round-trip read, which writes its values into the text it sends, hands this only the shape
 * (src/db/one-round-trip.ts). A text that a caller builds with a value spliced in is logged as it is.
 */
export class StatementCounter implements TypeOrmLogger {
  count = 0;

  constructor(private readonly logger: Logger) {}

  logQuery(query: string, parameters?: unknown[], _runner?: QueryRunner): void {
    this.count++;
    if (this.logger.isLevelEnabled('trace')) this.logger.trace({ query, parameterCount: parameters?.length ?? 0 }, 'sql');
  }
  logQueryError(error: string | Error, query: string): void {
    this.logger.debug({ sqlError: typeof error === 'string' ? 'query failed' : loggableError(error), query }, 'sql error');
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query }, 'slow sql');
  }
  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }
  logMigration(message: string): void {
    this.logger.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}
