import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, CsvError } from 'csv-parse';
import { getMetadataArgsStorage } from 'typeorm';
import { Float, getMetadataStorage as getTypeGraphQLMetadata, Int } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import type { TenantEntity } from '../db/base-entity';
import type { ClassType } from '../db/class-type';
import type { TenantScope } from '../db/tenant-scope';
import { DomainError, PayloadTooLargeError, ValidationError } from '../shared/errors';
import type { FamilyDef } from './family';
import type { FieldSpec } from './fields';
import { declarationOf } from './record';
import type { FamilyService } from './service';

/*
 * CSV out and in, for every family from its declaration. Out: a list's every matching row, its
 * columns the REST record's fields in the record's order; a list or an object (an address, genres)
 * is one cell holding its JSON; a cell a spreadsheet would run as a formula is defused. In: a file
 * of an importable family, header row of REST field names, each row validated and created as
 * `POST <path>` would, all or nothing.
 */

/** Rows a CSV export reads per statement along the list's keyset cursor. */
export const EXPORT_PAGE_ROWS = 500;

/**
 * What a spreadsheet reads as a formula (`=`, `+`, `-`, `@`, tab, carriage return), behind any
 * apostrophes: such a cell is written with one more `'` in front, and an import takes one off, so
 * `'=x` (a value that starts with an apostrophe) survives a round trip as itself.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const GUARDED = /^'('*[=+\-@\t\r])/s;

/** The text of one CSV cell: empty for null, ISO-8601 for a time, JSON for a list or an object. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A cell as it was before csvCell defused it. */
const unguarded = (cell: string) => cell.replace(GUARDED, '$1');

const columnsByEntity = new WeakMap<object, string[]>();

/**
 * The REST record's fields in its order (the OpenAPI record's): the stored columns of the record
 * and its base class that are shown (a GraphQL field, or a declared field; never the company).
 */
export function csvColumns(entity: ClassType): string[] {
  const known = columnsByEntity.get(entity);
  if (known) return known;
  const chain: unknown[] = [];
  for (let c: unknown = entity; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.push(c);
  const shown = new Set([
    ...getTypeGraphQLMetadata().fields.filter((f) => chain.includes(f.target)).map((f) => f.name),
    ...Object.keys(declarationOf(entity)?.fields ?? {}),
  ]);
  const columns = [
    ...new Set(
      getMetadataArgsStorage()
        .columns.filter((c) => chain.includes(c.target))
        .map((c) => c.propertyName)
        .filter((p) => p !== 'companyId' && shown.has(p)),
    ),
  ];
  columnsByEntity.set(entity, columns);
  return columns;
}

/** A list as CSV: its columns, and its rows' cells, read a page at a time as they are consumed. */
export interface CsvTable {
  columns: string[];
  rows: AsyncIterable<string[]>;
}

/**
 * Every record of a family's list (its filters, its order, under its parent) as CSV cells. More than
 * `maxRows` matching is refused (400 naming EXPORT_MAX_ROWS) before anything is answered: one count
 * that stops at `maxRows + 1` rows, then the first page is read, so an answer that starts is whole
 * unless rows are added meanwhile past the bound, where the stream fails (the connection ends short).
 */
export async function csvExport<E extends TenantEntity>(
  service: FamilyService<E>,
  scope: TenantScope,
  filters: Record<string, unknown>,
  maxRows: number,
  parentId?: string,
): Promise<CsvTable> {
  const matching = await service.countUpTo(scope, filters, maxRows + 1, parentId);
  if (matching > maxRows) {
    throw new ValidationError(
      [{ field: 'format', message: `csv answers at most ${maxRows} rows (EXPORT_MAX_ROWS) and more match: narrow the list with its filters` }],
      `More than ${maxRows} rows match (EXPORT_MAX_ROWS)`,
    );
  }
  const columns = csvColumns(service.def.entity);
  const pages = service.walk(scope, filters, EXPORT_PAGE_ROWS, parentId);
  const first = await pages.next();
  async function* rows(): AsyncGenerator<string[]> {
    let sent = 0;
    for (let page = first; !page.done; page = await pages.next()) {
      sent += page.value.length;
      if (sent > maxRows) throw new Error(`The list grew past EXPORT_MAX_ROWS (${maxRows}) while it was being answered`);
      for (const record of page.value) {
        const json = (record as unknown as { toJSON(): Record<string, unknown> }).toJSON();
        yield columns.map((c) => csvCell(json[c]));
      }
    }
  }
  return { columns, rows: rows() };
}

/** A problem of an imported file: the row as a spreadsheet numbers it (the header is row 1), the field, what is wrong. */
export interface ImportIssue {
  row: number;
  field: string;
  message: string;
}

export interface ImportResult {
  /** Records created; on a dry run, those that would be. */
  created: number;
  /** On a dry run, every problem found (then nothing would be created); after an import, none. */
  errors: ImportIssue[];
}

/**
 * Columns an export writes that a new record sets itself: an exported file imports as it is, and
 * these cells are not read (an import creates; it never updates by id).
 */
export const IMPORT_IGNORED_COLUMNS: readonly string[] = ['id', 'createdAt', 'updatedAt', 'createdBy', 'version'];

/** The rows of a file, validated as the family's create input. */
export interface ImportRows {
  rows: { row: number; data: Record<string, unknown> }[];
  errors: ImportIssue[];
}

const notCsv = (message: string) => ValidationError.field('file', `is not a CSV file (UTF-8, comma-separated, RFC 4180): ${message}`);

/** The file's text, refused at the first byte that is not UTF-8. */
async function* utf8(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of bytes) yield decoder.decode(chunk, { stream: true });
    yield decoder.decode();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') throw notCsv('it is not UTF-8 text');
    throw err;
  }
}

/**
 * Read an import file as it arrives: a header row naming fields of the family's create input (or
 * IMPORT_IGNORED_COLUMNS), then at most `maxRows` rows, each validated by the create operation's own
 * validator. A comma separates cells (a `;` is not guessed), a BOM is skipped, empty lines are not
 * rows; an empty cell is a field not given. A malformed file, header or too many rows is a 400 at once.
 */
export async function readImport(def: FamilyDef, bytes: AsyncIterable<Buffer>, maxRows: number): Promise<ImportRows> {
  const read: ImportRows = { rows: [], errors: [] };
  let header: { name: string; spec: FieldSpec | null }[] | null = null;
  let row = 0;
  try {
    await pipeline(Readable.from(utf8(bytes)), parse({ bom: true, delimiter: ',', skip_empty_lines: true, max_record_size: 1_000_000 }), async (records: AsyncIterable<string[]>) => {
      for await (const cells of records) {
        row++;
        if (!header) {
          header = importHeader(def, cells);
          continue;
        }
        if (row - 1 > maxRows) throw ValidationError.field('file', `has more than ${maxRows} rows (IMPORT_MAX_ROWS)`);
        const { data, errors } = importRow(def, header, cells, row);
        if (errors.length) read.errors.push(...errors);
        else read.rows.push({ row, data });
      }
    });
  } catch (err) {
    if (err instanceof CsvError) throw notCsv(err.message);
    throw err;
  }
  if (!header) throw ValidationError.field('file', 'has no header row: the first row names the fields, as the REST API spells them');
  return read;
}

/** The header's columns: each a field of the create input, or one an import does not read; anything else is a 400. */
function importHeader(def: FamilyDef, cells: string[]): { name: string; spec: FieldSpec | null }[] {
  const recordColumns = csvColumns(def.entity);
  const issues: ImportIssue[] = [];
  const seen = new Set<string>();
  const columns = cells.map((raw) => {
    const name = raw.trim();
    if (seen.has(name)) issues.push({ row: 1, field: name, message: 'is named twice in the header' });
    seen.add(name);
    const spec = Object.hasOwn(def.fields, name) ? def.fields[name] : null;
    if (!spec && !IMPORT_IGNORED_COLUMNS.includes(name)) {
      issues.push({
        row: 1,
        field: name,
        message: recordColumns.includes(name) ? `is read-only: ${def.typeName} records set it themselves` : `is not a field of ${def.typeName}`,
      });
    }
    return { name, spec };
  });
  if (issues.length) throw new ValidationError(issues, 'The header row names fields an import cannot write');
  return columns;
}

/** One row as the create input: its cells by the header's fields, read by each field's kind. */
function importRow(def: FamilyDef, header: { name: string; spec: FieldSpec | null }[], cells: string[], row: number): { data: Record<string, unknown>; errors: ImportIssue[] } {
  const input: Record<string, unknown> = {};
  const errors: ImportIssue[] = [];
  header.forEach(({ name, spec }, i) => {
    const cell = cells[i] ?? '';
    if (!spec || cell === '') return;
    const value = cellValue(spec, unguarded(cell));
    if (value.ok) input[name] = value.value;
    else errors.push({ row, field: name, message: value.message });
  });
  if (errors.length) return { data: {}, errors };
  try {
    return { data: def.inputs.parseCreate(input) as Record<string, unknown>, errors };
  } catch (err) {
    if (err instanceof ValidationError) return { data: {}, errors: err.details.map((d) => ({ row, field: d.field, message: d.message })) };
    throw err;
  }
}

const NUMERIC_KINDS: unknown[] = [Int, Float, GraphQLSafeInt, Number];

/** A cell as the value of its field's kind: a number, true/false, JSON for a list or object, else the text. */
function cellValue(spec: FieldSpec, text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const kind: unknown = spec.graphql();
  const column = spec.options.column;
  if (column?.type === 'jsonb' || column?.array || Array.isArray(kind)) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: false, message: 'must be JSON in its cell (a list such as ["a","b"], or an object)' };
    }
  }
  if (column?.type === 'int' || column?.type === 'bigint' || NUMERIC_KINDS.includes(kind)) {
    // Anything else goes to the field's own validator, whose message says what it takes.
    return { ok: true, value: /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text };
  }
  if (kind === Boolean) return { ok: true, value: text === 'true' ? true : text === 'false' ? false : text };
  return { ok: true, value: text };
}

/** The rollback of a dry run, which did everything an import does. */
class DryRun extends Error {}

/** A row the service refused inside the import's transaction (a unique key, a rule of the family). */
class RowRefused extends Error {
  constructor(readonly row: number, readonly refusal: DomainError) {
    super(refusal.message);
  }
}

/**
 * Create the rows, all in one transaction through the family's service as `POST <path>` does (its
 * hooks, uniques and history): a row it refuses rolls every row back and is reported. Rows that
 * failed validation create nothing: an import is 400 with every problem, a dry run answers them.
 * A dry run does the whole import in its transaction, then rolls it back: uniques are checked too.
 */
export async function importRecords<E extends TenantEntity>(
  service: FamilyService<E>,
  scope: TenantScope,
  read: ImportRows,
  options: { dryRun: boolean; parentId?: string },
): Promise<ImportResult> {
  const refuse = (errors: ImportIssue[]): ImportResult => {
    if (options.dryRun) return { created: 0, errors };
    const rows = new Set(errors.map((e) => e.row)).size;
    throw new ValidationError(errors, `${rows} row${rows === 1 ? '' : 's'} of the file cannot be created: nothing was imported`);
  };
  if (read.errors.length) return refuse(read.errors);
  try {
    await scope.transaction(async (tx) => {
      for (const { row, data } of read.rows) {
        try {
          await service.create(tx, data as Partial<E>, options.parentId);
        } catch (err) {
          throw err instanceof DomainError && !(err instanceof PayloadTooLargeError) ? new RowRefused(row, err) : err;
        }
      }
      if (options.dryRun) throw new DryRun();
    });
  } catch (err) {
    if (err instanceof DryRun) return { created: read.rows.length, errors: [] };
    if (err instanceof RowRefused) return refuse(rowIssues(err));
    throw err;
  }
  return { created: read.rows.length, errors: [] };
}

/** What the service said of a row, as issues of that row. */
function rowIssues({ row, refusal: cause }: RowRefused): ImportIssue[] {
  const fielded = (cause.details ?? []).filter((d): d is { field: string; message?: string } => typeof (d as { field?: unknown })?.field === 'string');
  if (!fielded.length) return [{ row, field: '', message: cause.message }];
  return fielded.map((d) => ({ row, field: d.field, message: d.message ?? cause.message }));
}
