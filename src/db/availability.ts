import { DatabaseUnavailableError } from '../shared/errors';

/**
 * Whether an error means PostgreSQL is down or not answering (as opposed to refusing a statement):
 * node-pg's client-side timeouts, a dropped or refused connection, and the server's own
 * "connection exception" / "shutting down" / statement-timeout states.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57014', '57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Connection terminated/i,
  /Client has encountered a connection error/i,
  /Connection is not established|Client was closed and is not queryable/i,
];

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown };
  if (e.driverError && e.driverError !== err && isDatabaseUnavailable(e.driverError)) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NET_CODES.has(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return UNAVAILABLE_MESSAGES.some((re) => re.test(message));
}

/**
 * A statement that got no answer in time (node-pg's query_timeout) leaves its connection waiting for
 * that answer: anything sent next (the ROLLBACK) would wait out the timeout again, and so would the
 * next request the pool handed it to. So the connection is closed at once; the pool drops it (it is
 * no longer queryable) and opens a fresh one when the database answers again. True if it was closed.
 */
export function closeConnectionAfterTimeout(err: unknown, queryRunner: unknown): boolean {
  if (!(err instanceof Error) || !/Query read timeout/i.test(err.message)) return false;
  type PgClient = { connection?: { stream?: { destroy(): void } } };
  const client = (queryRunner as { databaseConnection?: PgClient } | undefined)?.databaseConnection;
  client?.connection?.stream?.destroy();
  return Boolean(client);
}

/** The domain error for a database failure, or null when `err` is something else. */
export function asDatabaseUnavailable(err: unknown): DatabaseUnavailableError | null {
  return isDatabaseUnavailable(err) ? new DatabaseUnavailableError() : null;
}
