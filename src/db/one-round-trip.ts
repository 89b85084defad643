import { defaults, escapeLiteral } from 'pg';
import { ObjectLiteral, QueryFailedError, QueryRunner } from 'typeorm';
import { closeConnectionAfterTimeout } from './availability';

/**
 * Several statements in one round trip: sent as one text over the simple protocol, which takes no
 * parameters, so their values are written into the text as literals. This file is the only place
 * that does so. What logs, errors and query subscribers see is the statements' shape (placeholders,
 * never the values, which are customer data).
 */

/** A statement and its parameters ($1, $2, …). */
export type Statement = [sql: string, params: unknown[]];

/**
 * A parameter as an SQL literal meaning what node-pg sends for it over the extended protocol: the
 * same text (dates at pg's offset, arrays in array syntax, `bytea` in hex, objects as JSON), quoted
 * by pg's escapeLiteral. pg sends every parameter untyped and PostgreSQL types an untyped quoted
 * literal from its context the same way, so the statement means the same.
 */
export function literal(value: unknown): string {
  const text = parameterText(value);
  return text === null ? 'NULL' : escapeLiteral(text);
}

/** The text node-pg sends for a parameter (its `prepareValue`), null for SQL NULL. */
function parameterText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (ArrayBuffer.isView(value)) return `\\x${bytesOf(value).toString('hex')}`;
  if (value instanceof Date) return dateText(value);
  if (Array.isArray(value)) return arrayText(value);
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'function' || typeof value === 'symbol') throw new TypeError(`A ${typeof value} is not a statement parameter`);
  return String(value);
}

const bytesOf = (view: ArrayBufferView) => (Buffer.isBuffer(view) ? view : Buffer.from(view.buffer, view.byteOffset, view.byteLength));

/** An array literal (`{"a","b\"c",NULL,{…}}`): every element quoted, nested arrays as they are. */
function arrayText(values: readonly unknown[]): string {
  const elements = values.map((element) => {
    if (element === null || element === undefined) return 'NULL';
    if (Array.isArray(element)) return arrayText(element);
    return `"${parameterText(element)!.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${elements.join(',')}}`;
}

/**
 * A date as pg writes it: the wall-clock time at the process's offset with that offset (at UTC when
 * pg.defaults.parseInputDatesAsUTC), so a `timestamp` or `date` column reads it as pg's own would.
 */
function dateText(date: Date): string {
  const offset = defaults.parseInputDatesAsUTC ? 0 : -date.getTimezoneOffset();
  const wall = new Date(date.getTime() + offset * 60_000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const year = wall.getUTCFullYear();
  // Year 0 is 1 BC, year −1 is 2 BC.
  const era = year < 1 ? ' BC' : '';
  const day = `${pad(year < 1 ? 1 - year : year, 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}.${pad(wall.getUTCMilliseconds(), 3)}`;
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${day}T${time}${zone}${era}`;
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * The statement with each parameter `$n` written in as `literal(params[n - 1])`. A `$n` inside a
 * quoted string, a quoted name, a dollar-quoted string or a comment is text, not a parameter, and is
 * left as it is; a parameter the list does not have is refused, as PostgreSQL would refuse it.
 */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  return replaceParameters(sql, (n) => {
    if (n < 1 || n > params.length) throw new Error(`The statement refers to $${n} but has ${params.length} parameter(s)`);
    return literal(params[n - 1]);
  });
}

/** The statement with each parameter `$n` numbered `$(n + offset)`: a statement built on its own, placed after others' parameters. */
export function renumberParameters(sql: string, offset: number): string {
  return replaceParameters(sql, (n) => `$${n + offset}`);
}

/** Each parameter `$n` outside quoted text and comments replaced by `replace(n)`. */
function replaceParameters(sql: string, replace: (n: number) => string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const end = endOfText(sql, i);
    if (end > i) {
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    const parameter = sql[i] === '$' && !IDENTIFIER_CHAR.test(sql[i - 1] ?? ' ') ? /^\$(\d+)/.exec(sql.slice(i)) : null;
    if (parameter) {
      out += replace(Number(parameter[1]));
      i += parameter[0].length;
      continue;
    }
    out += sql[i++];
  }
  return out;
}

/**
 * Where the quoted text or comment starting at `i` ends (past its closing mark), or `i` when none
 * starts there: '…' (with '' inside, and backslash escapes after E), "…", $tag$…$tag$, -- and /* *\/.
 */
function endOfText(sql: string, i: number): number {
  const c = sql[i];
  const before = sql[i - 1] ?? ' ';
  if (c === "'") {
    const escapes = /[eE]/.test(before) && !IDENTIFIER_CHAR.test(sql[i - 2] ?? ' ');
    let j = i + 1;
    while (j < sql.length) {
      if (escapes && sql[j] === '\\') j += 2;
      else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
      else if (sql[j] === "'") return j + 1;
      else j++;
    }
    return sql.length;
  }
  if (c === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === '"' && sql[j + 1] === '"') j += 2;
      else if (sql[j] === '"') return j + 1;
      else j++;
    }
    return sql.length;
  }
  if (c === '-' && sql[i + 1] === '-') {
    const newline = sql.indexOf('\n', i);
    return newline === -1 ? sql.length : newline + 1;
  }
  if (c === '/' && sql[i + 1] === '*') {
    let depth = 0;
    let j = i;
    while (j < sql.length) {
      if (sql[j] === '/' && sql[j + 1] === '*') {
        depth++;
        j += 2;
      } else if (sql[j] === '*' && sql[j + 1] === '/') {
        j += 2;
        if (--depth === 0) return j;
      } else j++;
    }
    return sql.length;
  }
  if (c === '$' && !IDENTIFIER_CHAR.test(before)) {
    const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i));
    if (tag) {
      const close = sql.indexOf(tag[0], i + tag[0].length);
      return close === -1 ? sql.length : close + tag[0].length;
    }
  }
  return i;
}

/**
 * Statements sent as one text on the runner's connection, so they cost one round trip; the rows of
 * each, in order. Logged, timed and told to the query subscribers (metrics, the timeout guard) as
 * their shape. On failure the connection is left clean for the pool: a transaction the text opened
 * is rolled back (a connection whose answer timed out is closed instead), and the error is
 * TypeORM's QueryFailedError carrying the shape.
 */
export async function sendAsOneText(runner: QueryRunner, statements: readonly Statement[]): Promise<ObjectLiteral[][]> {
  if (!statements.length) return [];
  const connection = runner.connection;
  const text = statements.map(([sql, params]) => inlineParameters(sql, params)).join('; ');
  const shape = statements.map(([sql]) => sql).join('; ');
  // The driver's client itself: TypeORM's query() keeps only one result of a multi-statement text,
  // and would log the text with its values.
  const client = (await runner.connect()) as { query(text: string): Promise<QueryResult | QueryResult[]> };
  connection.logger.logQuery(shape, [], runner);
  const started = performance.now();
  let failure: unknown;
  try {
    const results = await client.query(text);
    return (Array.isArray(results) ? results : [results]).map((result) => result.rows);
  } catch (err) {
    failure = err;
    connection.logger.logQueryError(err as Error, shape, [], runner);
    if (!closeConnectionAfterTimeout(err, runner)) await client.query('ROLLBACK').catch(() => undefined);
    throw new QueryFailedError(shape, [], err as Error);
  } finally {
    const executionTime = performance.now() - started;
    const slow = connection.options.maxQueryExecutionTime;
    if (!failure && slow && executionTime > slow) connection.logger.logQuerySlow(executionTime, shape, [], runner);
    const event = { connection, queryRunner: runner, manager: runner.manager, query: shape, parameters: [], success: !failure, executionTime, error: failure };
    for (const subscriber of connection.subscribers) void subscriber.afterQuery?.(event as never);
  }
}

interface QueryResult {
  rows: ObjectLiteral[];
}
