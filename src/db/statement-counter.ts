import type { Logger as TypeOrmLogger, QueryRunner } from 'typeorm';
import type { Logger } from 'pino';
import { loggableError } from './loggable-error';

/**
 * TypeORM logger that counts every statement sent to PostgreSQL (tests assert N+1 freedom with it)
 * and forwards query errors and slow queries to the structured log: the statement's text (its shape,
 * with placeholders), never its parameter values, which are customer data.
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
