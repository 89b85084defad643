import { Client, defaults } from 'pg';
import { QueryFailedError } from 'typeorm';
import { inlineParameters, literal, renumberParameters } from '../../src/db/one-round-trip';
import { loggableError } from '../../src/db/loggable-error';
import { TenantScope } from '../../src/db/tenant-scope';
import { Artist } from '../../src/modules/artists';
import { useTestBase } from '../support/harness';

/**
 * The one-round-trip read writes its statements' parameters into their text. Written in, a value
 * must mean exactly what node-pg's parameter means (same rows back, same types), whatever it holds,
 * and what logs and subscribers see must hold none of it.
 */

test('renumbering moves every parameter by the offset and leaves $n inside quoted text and comments as it is', () => {
  expect(renumberParameters(`SELECT $1, '$1', "$2", $$ $3 $$, $tag$ $1 $tag$ -- $2\n, $2 /* $1 */, a$1`, 4)).toBe(
    `SELECT $5, '$1', "$2", $$ $3 $$, $tag$ $1 $tag$ -- $2\n, $6 /* $1 */, a$1`,
  );
});

describe('a parameter written as a literal', () => {
  test('plain text is quoted; a quote is doubled', () => {
    expect(literal('abc')).toBe("'abc'");
    expect(literal("O'Brien")).toBe("'O''Brien'");
  });

  test('a backslash makes an escape string with the backslash doubled', () => {
    expect(literal('a\\b')).toBe(" E'a\\\\b'");
  });

  test('null and undefined are NULL, unquoted', () => {
    expect(literal(null)).toBe('NULL');
    expect(literal(undefined)).toBe('NULL');
  });

  test('an array is an array literal: every element quoted and escaped, NULL and nested arrays as they are', () => {
    expect(literal(['a', 'b"c', null, 'd,e'])).toBe(` E'{"a","b\\\\"c",NULL,"d,e"}'`);
    expect(literal([[1, 2], [3, null]])).toBe(`'{{"1","2"},{"3",NULL}}'`);
    expect(literal(['x\\y'])).toBe(` E'{"x\\\\\\\\y"}'`);
  });

  test('bytes are bytea hex; objects are JSON; dates carry their offset', () => {
    expect(literal(Buffer.from([0x00, 0x27, 0x5c, 0xff]))).toBe(" E'\\\\x00275cff'");
    expect(literal(new Uint8Array([1, 2]))).toBe(" E'\\\\x0102'");
    expect(literal({ a: "it's", b: [1, null] })).toBe(`'{"a":"it''s","b":[1,null]}'`);
    const utc = defaults.parseInputDatesAsUTC;
    defaults.parseInputDatesAsUTC = true;
    try {
      expect(literal(new Date('2024-02-29T12:34:56.789Z'))).toBe("'2024-02-29T12:34:56.789+00:00'");
      expect(literal(new Date(Date.UTC(-1, 0, 2, 3, 4, 5, 6)))).toBe("'0002-01-02T03:04:05.006+00:00 BC'");
    } finally {
      defaults.parseInputDatesAsUTC = utc;
    }
  });

  test('numbers, bigints and booleans are their text, quoted (typed by their context, like a parameter)', () => {
    expect(literal(42)).toBe("'42'");
    expect(literal(-1.5)).toBe("'-1.5'");
    expect(literal(12345678901234567890n)).toBe("'12345678901234567890'");
    expect(literal(true)).toBe("'true'");
  });

  test('a function is no parameter', () => {
    expect(() => literal(() => 1)).toThrow(/not a statement parameter/);
  });
});

describe('parameters written into a statement', () => {
  test('each $n takes its own value, $10 included', () => {
    const params = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    expect(inlineParameters('SELECT $1, $10, $2::text', params)).toBe("SELECT 'v1', 'v10', 'v2'::text");
  });

  test('a $n inside quoted text, a quoted name, a dollar-quoted string or a comment is left as it is', () => {
    const sql = `SELECT '$1', 'it''s $1', E'\\'$1', "col$1", $$ $1 $$, $tag$ $1 $tag$, a$1 -- $1\n, /* $1 /* $1 */ */ $1`;
    expect(inlineParameters(sql, ['x'])).toBe(`SELECT '$1', 'it''s $1', E'\\'$1', "col$1", $$ $1 $$, $tag$ $1 $tag$, a$1 -- $1\n, /* $1 /* $1 */ */ 'x'`);
  });

  test('a value that looks like SQL or a placeholder stays inside its literal', () => {
    expect(inlineParameters('SELECT $1, $2', ["'; DROP TABLE t; --", '$2'])).toBe("SELECT '''; DROP TABLE t; --', '$2'");
  });

  test('a parameter the list does not have is refused', () => {
    expect(() => inlineParameters('SELECT $2', ['a'])).toThrow(/\$2 but has 1 parameter/);
    expect(() => inlineParameters('SELECT $0', ['a'])).toThrow(/\$0/);
  });
});

describe('against PostgreSQL: a written-in value comes back as the same parameter does', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
  });
  afterAll(() => client.end());

  const cases: [name: string, type: string, value: unknown, expected?: unknown][] = [
    ['quotes', 'text', `it's "quoted" ''twice''`],
    ['backslashes', 'text', 'C:\\path\\to\\n \\\\ \\x41 \\'],
    ['quotes and backslashes together', 'text', `\\' \\'' '\\`],
    ['newlines, tabs and non-ASCII', 'text', 'line\nnext\ttab Zoë 東京 🎵'],
    ['a placeholder inside the value', 'text', '$1 $2 $$ $tag$'],
    ['a text array with quotes, backslashes, commas, braces and NULL', 'text[]', ['a', 'b"c', 'd\\e', 'f,g', '{h}', null, '', 'NULL']],
    ['a nested integer array', 'int[][]', [[1, 2], [3, null]]],
    ['a uuid array', 'uuid[]', ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']],
    ['bytea with NUL, quote, backslash and high bytes', 'bytea', Buffer.from([0x00, 0x27, 0x5c, 0x22, 0xff, 0x80, 0x0a])],
    ['jsonb with quotes, backslashes and unicode', 'jsonb', { name: `O'Brien "the" \\ back`, tags: ['a', null, 1.5], nested: { emoji: '🎵', empty: {} } }],
    ['a jsonb string (text holding JSON)', 'jsonb', '"it\'s \\"text\\""', `it's "text"`],
    ['NULL as text', 'text', null],
    ['NULL as jsonb', 'jsonb', null],
    ['undefined as NULL', 'int', undefined, null],
    ['a timestamptz', 'timestamptz', new Date('2024-02-29T23:59:59.999Z')],
    ['a timestamptz before 1970', 'timestamptz', new Date('1901-12-13T20:45:52.123Z')],
    ['a timestamp (no zone)', 'timestamp', new Date('2024-07-01T08:30:00.000Z')],
    ['a date', 'date', new Date('2024-07-01T23:30:00.000Z')],
    ['a timestamptz array', 'timestamptz[]', [new Date('2024-01-01T00:00:00.000Z'), null]],
    ['a bigint', 'bigint', 9007199254740991, '9007199254740991'],
    ['a numeric', 'numeric', '12345678901234567890.000000001'],
    ['a boolean', 'boolean', false],
  ];

  /** The same statement over the extended protocol (pg's parameters) and as one written-in text. */
  async function bothWays(sql: string, params: unknown[]): Promise<[unknown[], unknown[]]> {
    const asParameters = (await client.query(sql, params)).rows;
    const asText = (await client.query(inlineParameters(sql, params))).rows;
    return [asParameters, asText];
  }

  const checkEach = () =>
    // One object per case: a row shorter than the callback's parameters would make jest wait for a `done`.
    test.each(cases.map(([name, type, value, expected]) => ({ name, type, value, expected })))('$name ($type)', async ({ type, value, expected }) => {
      // With a cast.
      const [asParameters, asText] = await bothWays(`SELECT $1::${type} AS v, pg_typeof($1::${type})::text AS t`, [value]);
      expect(asText).toEqual(asParameters);
      if (expected !== undefined || value === undefined) expect(asText[0]).toMatchObject({ v: expected ?? null });
      // A date or a zoneless timestamp reads back at the wall clock of a zone; the rest as it went in.
      else if (type !== 'date' && type !== 'timestamp') expect(asText[0]).toMatchObject({ v: value });
      // Typed by its context alone, as a parameter compared with a column.
      const [foundByParameter, foundByText] = await bothWays(`SELECT count(*)::int AS n FROM (SELECT $1::${type} AS v) t WHERE v IS NOT DISTINCT FROM $2`, [value, value]);
      expect(foundByText).toEqual(foundByParameter);
      expect(foundByText).toEqual([{ n: 1 }]);
    });

  checkEach();

  test('a date at an offset of 5:45 is that wall-clock time with that offset: the same instant', async () => {
    const instant = new Date('2024-01-01T00:00:00.000Z');
    const offset = jest.spyOn(Date.prototype, 'getTimezoneOffset').mockReturnValue(-345);
    let text: string;
    try {
      text = literal(instant);
    } finally {
      offset.mockRestore();
    }
    expect(text).toBe("'2024-01-01T05:45:00.000+05:45'");
    const { rows } = await client.query(`SELECT ${text}::timestamptz AS v`);
    expect(rows[0].v).toEqual(instant);
  });

  test('a value that is SQL stays a value', async () => {
    const [asParameters, asText] = await bothWays('SELECT $1::text AS v', ["'); SELECT pg_sleep(10); --"]);
    expect(asText).toEqual(asParameters);
  });

  test('an array compared with ANY() is typed by its context too', async () => {
    const [asParameters, asText] = await bothWays('SELECT x FROM unnest(ARRAY[1, 2, 3]) x WHERE x = ANY($1) ORDER BY x', [[1, 3]]);
    expect(asText).toEqual(asParameters);
    expect(asText).toEqual([{ x: 1 }, { x: 3 }]);
  });
});

describe('what logs, errors and subscribers see of a one-round-trip read', () => {
  const base = useTestBase();
  const SECRET = `Zoë O'Secret \\ 4711`;

  /** Every text and parameter list the logger and the query subscribers were handed while `work` ran. */
  async function observed(work: () => Promise<unknown>): Promise<{ seen: unknown[]; outcome: unknown }> {
    const dataSource = base.server.dataSource;
    const seen: unknown[] = [];
    const logger = dataSource.logger;
    // What a log line could be made of: texts, parameter lists and errors (as the log writes them).
    const loggable = (value: unknown) => (value instanceof Error ? loggableError(value) : typeof value === 'string' || Array.isArray(value) ? value : undefined);
    const spies = (['logQuery', 'logQueryError', 'logQuerySlow'] as const).map((method) =>
      jest.spyOn(logger, method).mockImplementation((...args: unknown[]) => void seen.push(args.map(loggable))),
    );
    const subscriber = { afterQuery: (event: { query: string; parameters?: unknown[]; error?: unknown }) => void seen.push(event.query, event.parameters, loggable(event.error)) };
    dataSource.subscribers.push(subscriber as never);
    let outcome: unknown;
    try {
      outcome = await work().catch((err: unknown) => err);
    } finally {
      dataSource.subscribers.splice(dataSource.subscribers.indexOf(subscriber as never), 1);
      for (const spy of spies) spy.mockRestore();
    }
    return { seen, outcome };
  }

  test('a read: its shape with placeholders, never a value', async () => {
    const scope = new TenantScope(base.server.dataSource.manager, { companyId: base.companyA, userId: 'u' });
    await scope.repo(Artist).insert({ name: SECRET, currency: 'EUR' });
    const { seen, outcome } = await observed(() => scope.repo(Artist).find((qb, a) => qb.andWhere(`${a}.name = :name`, { name: SECRET })));
    expect((outcome as Artist[]).map((a) => a.name)).toEqual([SECRET]);
    const text = JSON.stringify(seen);
    expect(seen.flat()).toContainEqual(expect.stringMatching(/^BEGIN; SELECT set_config\('app.company_id', \$1, true\); SELECT .*"name" = \$1 .*; COMMIT$/));
    expect(text).not.toContain('4711');
    expect(text).not.toContain(base.companyA);
  });

  test('a failed read: the error and the logs carry the shape only', async () => {
    const scope = new TenantScope(base.server.dataSource.manager, { companyId: base.companyA, userId: 'u' });
    const { seen, outcome } = await observed(() => scope.repo(Artist).find((qb) => qb.andWhere('CAST(:n AS integer) = 1', { n: SECRET })));
    expect(outcome).toBeInstanceOf(QueryFailedError);
    const failed = outcome as QueryFailedError & { query: string; parameters: unknown[] };
    expect(failed.query).toMatch(/CAST\(\$1 AS integer\)/);
    expect(failed.parameters).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain('4711');
    // The connection went back to the pool clean: the next read on it works.
    await expect(scope.repo(Artist).count()).resolves.toBeGreaterThan(0);
  });
});
