import { escapeLiteral } from 'pg';
import { DataSource, ObjectLiteral, QueryFailedError } from 'typeorm';
import { closeConnectionAfterTimeout } from './availability';

/** A statement and its parameters ($1, $2, …). */
export type Statement = [sql: string, params: unknown[]];

// pg's own conversion of a parameter to its text (dates, arrays, buffers, JSON), as it sends them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): string | Buffer | null };

/**
 * A statement with its parameters written in as literals, for the simple protocol. node-pg sends
 * every parameter as text of unknown type, and PostgreSQL types an untyped quoted literal from its
 * context in exactly the same way, so the statement means the same; the text is escaped by pg.
 */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_m, n: string) => {
    const value = prepareValue(params[Number(n) - 1]);
    return value === null ? 'NULL' : escapeLiteral(String(value));
  });
}

/**
 * Reads in one round trip: BEGIN, the company, the statements and COMMIT sent together (simple
 * protocol, the parameters inlined by pg's escaping, see inlineParameters). The rows of each, in order.
 */
export async function readInOneRoundTrip(connection: DataSource, companyId: string, statements: Statement[]): Promise<ObjectLiteral[][]> {
  const runner = connection.createQueryRunner();
  const text = `BEGIN; SELECT set_config('app.company_id', '${companyId}', true); ${statements.map(([sql, params]) => inlineParameters(sql, params)).join('; ')}; COMMIT`;
  // What logs, errors and subscribers see: the statements' shape, placeholders instead of values.
  const shape = `BEGIN; SELECT set_config('app.company_id', $company, true); ${statements.map(([sql]) => sql).join('; ')}; COMMIT`;
  try {
    // The driver's client itself: TypeORM's query() keeps only one result of a multi-statement text.
    const client = (await runner.connect()) as { query(text: string): Promise<{ rows: ObjectLiteral[] }[]> };
    connection.logger.logQuery(shape, [], runner);
    const started = performance.now();
    let failure: unknown;
    try {
      return (await client.query(text)).slice(2, 2 + statements.length).map((result) => result.rows);
    } catch (err) {
      failure = err;
      connection.logger.logQueryError(err as Error, shape, [], runner);
      // A failed statement leaves the connection in the aborted transaction (a timed-out one, closed).
      if (!closeConnectionAfterTimeout(err, runner)) await client.query('ROLLBACK').catch(() => undefined);
      throw new QueryFailedError(shape, [], err as Error);
    } finally {
      const event = { connection, queryRunner: runner, manager: runner.manager, query: shape, parameters: [], success: !failure, executionTime: performance.now() - started, error: failure };
      for (const subscriber of connection.subscribers) void subscriber.afterQuery?.(event as never);
    }
  } finally {
    await runner.release();
  }
}
