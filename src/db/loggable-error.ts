/**
 * An error as it may appear in a log: never the values a statement carried (names, emails, notes).
 * A database error keeps its SQLSTATE, constraint and the statement's text, which holds only
 * placeholders; PostgreSQL's message and detail can quote the offending value, so they are dropped.
 */
interface DbErrorLike {
  name?: string;
  code?: string;
  severity?: string;
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
  query?: string;
  driverError?: unknown;
}

const isDatabaseError = (err: DbErrorLike): boolean =>
  err.name === 'QueryFailedError' || (typeof err.code === 'string' && typeof err.severity === 'string' && 'routine' in err);

export function loggableError(err: unknown): unknown {
  if (!err || typeof err !== 'object') return err;
  const e = err as DbErrorLike & Error;
  if (isDatabaseError(e)) {
    const driver = (e.driverError && typeof e.driverError === 'object' ? e.driverError : e) as DbErrorLike;
    return {
      type: e.name ?? 'DatabaseError',
      code: driver.code,
      constraint: driver.constraint,
      table: driver.table,
      column: driver.column,
      routine: driver.routine,
      query: typeof e.query === 'string' ? e.query : undefined,
    };
  }
  return { type: e.name ?? e.constructor?.name, message: e.message, stack: e.stack, code: (e as DbErrorLike).code };
}
