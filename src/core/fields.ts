import { z } from 'zod';
import { Field, ID, InputType, Int } from 'type-graphql';
import { GraphQLJSONObject, GraphQLLocalDate, GraphQLSafeInt } from 'graphql-scalars';
import { GraphQLISODateTime } from 'type-graphql';
import { FieldIssue, ValidationError } from './errors';
import { findUnsafeText } from './input-text';
import type { ClassType } from '../db/class-type';

/**
 * One declaration of a family's writable fields gives everything the edges need: the GraphQL
 * create and update input types, and the validator both surfaces run (one message per field).
 * A family declares `{ name: f.text().required(), email: f.email().nullable(), ... }` and nothing
 * else about its inputs.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GraphQLTypeThunk = () => any;

/**
 * How a record's field is stored (src/core/record.ts): its PostgreSQL column. The builders below
 * choose it from the kind of value; a field of an input that is no record's never uses it.
 */
export interface ColumnSpec {
  type: 'text' | 'uuid' | 'int' | 'bigint' | 'boolean' | 'date' | 'timestamptz' | 'jsonb';
  array?: boolean;
  /** The column's SQL default, as the migration wrote it (a constant as itself, an expression as a function). */
  default?: (() => string) | number | boolean;
  /** PostgreSQL `bigint` arrives as text: read back as a number. */
  bigint?: boolean;
  /** Drawn from the column's own sequence on insert (`bigserial`): an order of arrival. */
  increment?: boolean;
}

/** A CHECK constraint a stored field implies: `ck__<table>__<name>`, `sql` on the column. */
export interface FieldCheck {
  /** The constraint's name after `ck__<table>__`; the column's name when absent. */
  name?: string;
  /** The condition, with `$` for the column's name. */
  sql: string;
}

/** A foreign key from a stored id to another family's record of the same company. */
export interface FieldReference {
  /** The record class (a thunk), or its name where importing it would make a cycle. */
  target: (() => ClassType) | string;
  deferrable?: 'INITIALLY DEFERRED' | 'INITIALLY IMMEDIATE';
  /** CASCADE: the record goes with the one it names (a webhook's deliveries); default NO ACTION (refused while named). */
  onDelete?: 'CASCADE' | 'NO ACTION';
}

interface SpecOptions {
  required: boolean;
  nullable: boolean;
  description?: string;
  column?: ColumnSpec;
  /** The GraphQL output type, where it differs from the input's (a value object and its input). */
  output?: GraphQLTypeThunk;
  /** Set by the service alone (a state an action moves, a computed total): never in an input. */
  readOnly?: boolean;
  /** Its GraphQL field is a relation of the module (`Event.lineup`): the record's type has none of its own. */
  shownByRelation?: boolean;
  /** Stored for the service alone (a sealed secret, an ordering key): no GraphQL field, not in REST answers, never in an input. */
  internal?: boolean;
  /** What the value is held to, for the CHECK a stored field may imply (`.checked()`). */
  bounds?: { min?: number; values?: readonly string[] };
  check?: FieldCheck;
  references?: FieldReference;
  /** What every read gives instead of the stored value: SQL over the row, its alias given (`.asOfNow()`). */
  asOfNow?: (alias: string) => string;
}

export class FieldSpec<T = unknown> {
  constructor(
    readonly schema: z.ZodType<T>,
    readonly graphql: GraphQLTypeThunk,
    readonly options: SpecOptions = { required: false, nullable: false },
  ) {}

  private with<V = T>(options: Partial<SpecOptions>, schema: z.ZodType<unknown> = this.schema): FieldSpec<V> {
    return new FieldSpec(schema as z.ZodType<V>, this.graphql, { ...this.options, ...options });
  }

  /** Must be present (and not null) when the record is created. */
  required(): FieldSpec<T> {
    return this.with({ required: true });
  }
  /** May be cleared by sending `null` (and its column is nullable). */
  nullable(): FieldSpec<T | null> {
    return this.with<T | null>({ nullable: true });
  }
  /** What it is, its unit, who sets it: said on its column's GraphQL field, input field and OpenAPI property alike. */
  describe(description: string): FieldSpec<T> {
    return this.with({ description });
  }
  refine(check: (value: T) => boolean, message: string): FieldSpec<T> {
    return this.with({}, this.schema.refine(check, message));
  }
  /** A record's field only the service sets (a state, a total): shown, never in an input. */
  readOnly(): FieldSpec<T> {
    return this.with({ readOnly: true });
  }
  /**
   * Stored with a CHECK: without arguments the one its bounds imply (a minimum of 1: `_positive`,
   * `> 0`; of 0: `_not_negative`, `>= 0`); else `sql` (`$` is the column) named `ck__<table>__<name>`.
   * A stored enum is always checked (`ck__<table>__<column>`, `IN (…)`).
   */
  checked(sql?: string, name?: string): FieldSpec<T> {
    if (sql !== undefined) return this.with({ check: { sql, name } });
    const min = this.options.bounds?.min;
    if (min === 0) return this.with({ check: { name: '$_not_negative', sql: '$ >= 0' } });
    if (min === 1) return this.with({ check: { name: '$_positive', sql: '$ > 0' } });
    throw new Error('checked(): this field implies no check; give its SQL');
  }
  /** An id of another record of the company: a foreign key `fk__<table>__<column>` on (company_id, column). */
  references(target: FieldReference['target'], options: Omit<FieldReference, 'target'> = {}): FieldSpec<T> {
    return this.with({ references: { target, ...options } });
  }
  /**
   * Stored ids whose GraphQL field is a relation of the module with the same name (a lineup's artist
   * ids, shown as the artists): the record's type declares no field of its own; REST and the inputs
   * still carry the ids.
   */
  shownByRelation(): FieldSpec<T> {
    return this.with({ shownByRelation: true });
  }
  /**
   * A value time moves without a write (a sent offer past its expiry reads expired): every read gives
   * `sql` over the row (`alias` its table's alias, the scope's now as `NOW_PARAMETER` of
   * src/db/tenant-repository.ts), computed by the database with the read, so it changes at the
   * deadline itself. The column keeps what was last written (`storedValue` of src/core/record.ts),
   * until a write or a sweep stores what the reads already show.
   */
  asOfNow(sql: (alias: string) => string): FieldSpec<T> {
    return this.with({ asOfNow: sql });
  }
  /** Stored for the service alone (a sealed secret, an ordering key): never shown on either surface, never in an input. */
  internal(): FieldSpec<T> {
    return this.with({ internal: true, readOnly: true });
  }
  /**
   * Stored with a column default (`0`, `false`), as its migration writes it: a create that does not
   * give the field gets it from the database.
   */
  defaultTo(value: number | boolean): FieldSpec<T> {
    const column = this.options.column;
    if (!column) throw new Error('defaultTo(): a field of this kind is not stored');
    return this.with({ column: { ...column, default: value } });
  }
  /** Stored in another column type than its kind's (a size in bytes as bigint). */
  storedAs(column: ColumnSpec): FieldSpec<T> {
    return this.with({ column });
  }
}

export type FieldMap = Record<string, FieldSpec<unknown>>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);

export function isValidTimeZone(name: string): boolean {
  if (TIME_ZONES.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.includes('/');
  } catch {
    return false;
  }
}

/**
 * Years 0001–9999: what the date and timestamptz columns take as this service writes them (there is
 * no year 0, and a five-digit year is no ISO-8601 day). Every day and instant read from a caller is
 * held to it, so PostgreSQL never sees one it refuses.
 */
const YEAR_MIN = 1;
const YEAR_MAX = 9999;
const OUT_OF_RANGE = `must be within the years ${String(YEAR_MIN).padStart(4, '0')}–${YEAR_MAX}`;

/** A day that exists (`2026-02-30` does not), in the years the database stores. */
export function isCalendarDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value && d.getUTCFullYear() >= YEAR_MIN;
}

/** An instant in the years the database stores (counted in UTC). */
export function isStorableInstant(at: Date): boolean {
  const year = at.getUTCFullYear();
  return !Number.isNaN(at.getTime()) && year >= YEAR_MIN && year <= YEAR_MAX;
}

/** A calendar day `YYYY-MM-DD`, as a string. */
export const daySchema = z.string().refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD');

/** An exact instant as GraphQL's DateTime scalar gives it (a Date). */
export const dateInstantSchema = z.date().refine(isStorableInstant, OUT_OF_RANGE);

/** An exact instant as text: an ISO-8601 date-time with offset, read as a Date. */
export const isoInstantSchema = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 date-time with offset' })
  .refine((s) => isStorableInstant(new Date(s)), OUT_OF_RANGE)
  .transform((s) => new Date(s));

const instantSchema = z.union([dateInstantSchema, isoInstantSchema]);

/** A calendar day (`YYYY-MM-DD`) or an exact instant, as `f.dayOrDateTime()` reads it. */
export type DayOrInstant = { day: string; at?: undefined } | { at: Date; day?: undefined };

/** A record's `version` is a PostgreSQL `int`: at most 2^31 - 1. */
export const VERSION_MAX = 2_147_483_647;
const versionSchema = z
  .number({ error: 'must be an integer' })
  .int('must be an integer')
  .min(1, 'must be at least 1')
  .max(VERSION_MAX, `must be at most ${VERSION_MAX}`);

/** A field of a kind: its validator, GraphQL type and column. */
function spec<T>(schema: z.ZodType<T>, graphql: GraphQLTypeThunk, type: ColumnSpec['type'], more: Partial<SpecOptions> = {}): FieldSpec<T> {
  return new FieldSpec(schema, graphql, { required: false, nullable: false, column: { type }, ...more });
}

const integer = (min: number, max: number, error = 'must be an integer') =>
  z.number({ error }).int(error).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

/**
 * Field builders. Text is trimmed; limits are generous but finite. Each kind is also a column (text,
 * uuid, int, bigint money, date, timestamptz, jsonb), so a record declares a field once.
 */
export const f = {
  text: (max = 200) => spec(z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`), () => String, 'text'),
  longText: (max = 20_000) => spec(z.string().max(max, `at most ${max} characters`), () => String, 'text'),
  pattern: (re: RegExp, message: string) => spec(z.string().trim().regex(re, message), () => String, 'text'),
  email: () => spec(z.string().trim().max(320).pipe(z.email({ error: 'must be an email address' })), () => String, 'text'),
  url: () =>
    spec(
      z
        .string()
        .trim()
        .max(2000)
        .regex(/^https?:\/\/[^\s/$.?#].[^\s]*$/i, 'must be an http(s) URL'),
      () => String,
      'text',
    ),
  phone: () =>
    spec(z.string().trim().regex(/^\+?[0-9 ()./-]{3,40}$/, 'must be a phone number (digits, spaces, + ( ) . / -)'), () => String, 'text'),
  id: () => spec(z.string().regex(UUID_RE, 'must be a UUID'), () => ID, 'uuid'),
  int: (min = 0, max = 2_147_483_647) => spec(integer(min, max), () => Int, 'int', { bounds: { min } }),
  /** Yes or no: a GraphQL Boolean, a `boolean` column. */
  boolean: () => spec(z.boolean({ error: 'must be true or false' }), () => Boolean, 'boolean'),
  /**
   * Whole numbers from `min` to `max`, at most `maxItems`, repeats dropped, in the order given: a
   * GraphQL `[Int!]`, or comma-separated in a query string (`25,50,75`). An input, never stored.
   */
  intList: (min: number, max: number, maxItems: number) =>
    new FieldSpec<number[]>(
      z
        .union([
          z
            .string()
            .regex(/^-?\d{1,10}(,-?\d{1,10})*$/, 'must be whole numbers separated by commas, such as 25,50,75')
            .transform((text) => text.split(',').map(Number)),
          z.array(z.number()),
        ])
        .pipe(
          z
            .array(integer(min, max))
            .min(1, 'must name at least one')
            .max(maxItems, `at most ${maxItems} items`)
            .transform((items) => [...new Set(items)]),
        ),
      () => [Int],
    ),
  /** A count or size that may pass 2^31 (bytes of a file): bigint, SafeInt. */
  bigint: (min = 0) =>
    spec(integer(min, Number.MAX_SAFE_INTEGER), () => GraphQLSafeInt, 'bigint', { column: { type: 'bigint', bigint: true }, bounds: { min } }),
  /** Money in integer minor units of the record's currency: bigint, SafeInt. */
  money: () =>
    spec(
      z
        .number({ error: 'must be an integer amount in minor units' })
        .int('must be an integer amount in minor units')
        .min(0, 'must not be negative')
        .max(Number.MAX_SAFE_INTEGER),
      () => GraphQLSafeInt,
      'bigint',
      {
        column: { type: 'bigint', bigint: true },
        bounds: { min: 0 },
      },
    ),
  currency: () =>
    spec(
      z
        .string()
        .regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code such as EUR')
        .refine((c) => CURRENCIES.has(c), 'is not an ISO-4217 currency'),
      () => String,
      'text',
    ),
  timezone: () => spec(z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin'), () => String, 'text'),
  country: () =>
    spec(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z]{2}$/, 'must be an ISO-3166 alpha-2 code such as DE')
        .transform((s) => s.toUpperCase()),
      () => String,
      'text',
    ),
  date: () => spec(daySchema, () => GraphQLLocalDate, 'date'),
  dateTime: () => spec<Date>(instantSchema, () => GraphQLISODateTime, 'timestamptz'),
  /**
   * A bound of a period: a calendar day (whose instant depends on a time zone the reader knows, e.g.
   * the company's) or an exact date-time with offset. GraphQL carries it as a String. Never stored.
   */
  dayOrDateTime: () =>
    new FieldSpec<DayOrInstant>(
      z.union(
        [
          z.iso.date().refine(isCalendarDate).transform((day): DayOrInstant => ({ day })),
          isoInstantSchema.transform((at): DayOrInstant => ({ at })),
        ],
        { error: 'must be a date YYYY-MM-DD or an ISO-8601 date-time with offset' },
      ),
      () => String,
    ),
  /** One of `values`, a GraphQL enum (core/enums.ts); stored as text with its CHECK (`ck__<table>__<column>`). */
  enumOf: <const V extends readonly [string, ...string[]]>(values: V, graphqlEnum: object) =>
    spec(z.enum(values, { error: `must be one of ${values.join(', ')}` }), () => graphqlEnum, 'text', { bounds: { values } }),
  /** One or more of `values` (each once), a list of a GraphQL enum; stored as a text array. */
  enumList: <const V extends readonly [string, ...string[]]>(values: V, graphqlEnum: object) =>
    spec(
      z
        .array(z.enum(values, { error: `must be one of ${values.join(', ')}` }))
        .min(1, 'must name at least one')
        .max(values.length * 4, `at most ${values.length * 4} items`)
        .transform((items) => [...new Set(items)]),
      () => [graphqlEnum],
      'text',
      { column: { type: 'text', array: true } },
    ),
  textList: (maxItems = 50, maxLength = 100) =>
    spec(
      z
        .array(z.string().trim().min(1, 'must not be empty').max(maxLength))
        .max(maxItems, `at most ${maxItems} items`)
        .transform((items) => [...new Set(items)]),
      () => [String],
      'text',
      { column: { type: 'text', array: true, default: () => "'{}'" } },
    ),
  /**
   * A value only the service writes, stored whole as jsonb (a snapshot of terms, a stored statement,
   * the evidence of a signature): read-only, never in an input. Shown as `output` (a value object's
   * GraphQL type) when given, else as a JSON object.
   */
  json: <V>(output?: GraphQLTypeThunk) =>
    spec<V>(z.custom<V>(), () => GraphQLJSONObject, 'jsonb', { readOnly: true, ...(output ? { output } : {}) }),
  /** A nested object (an address): replaced whole on update. */
  object: (name: string, fields: FieldMap) => {
    const inputType = buildInputType(name, fields, 'create');
    return spec(objectSchema(fields, 'create'), () => inputType, 'jsonb');
  },
  /**
   * A value object stored as one jsonb value (an address): `type` is its GraphQL object type (what a
   * record shows), `inputName` its input type, made from `fields` (what a caller sends, replaced whole).
   */
  value: <V>(type: ClassType & (new () => V), inputName: string, fields: FieldMap) => {
    const inputType = buildInputType(inputName, fields, 'create', false, `A \`${type.name}\` as a caller sends it: every field at once (an update replaces the whole value).`);
    return spec(objectSchema(fields, 'create') as unknown as z.ZodType<V>, () => inputType, 'jsonb', { output: () => type });
  },
};

export type InputMode = 'create' | 'update';

export function objectSchema(fields: FieldMap, mode: InputMode, extra: Record<string, z.ZodType> = {}) {
  const shape: Record<string, z.ZodType> = { ...extra };
  for (const [key, spec] of Object.entries(fields)) {
    let s: z.ZodType = spec.schema;
    if (spec.options.nullable) s = s.nullable();
    shape[key] = mode === 'create' && spec.options.required ? s : s.optional();
  }
  return z.strictObject(shape);
}

const inputTypes = new Map<string, { cls: ClassType; fields: FieldMap; mode: InputMode }>();

/**
 * A type-graphql input class, made at run time from the field map. One name is one type: asking
 * again with the same fields returns it, asking with other fields is a programming error.
 */
export function buildInputType(name: string, fields: FieldMap, mode: InputMode, withVersion = false, description?: string): ClassType {
  const existing = inputTypes.get(name);
  if (existing) {
    const same =
      existing.mode === mode &&
      Object.keys(existing.fields).length === Object.keys(fields).length &&
      Object.entries(fields).every(([k, spec]) => existing.fields[k] === spec);
    if (!same) throw new Error(`GraphQL input type ${name} is defined twice with different fields`);
    return existing.cls;
  }
  const cls = { [name]: class {} }[name];
  for (const [key, spec] of Object.entries(fields)) {
    const nullable = mode === 'update' || !spec.options.required || spec.options.nullable;
    Field(spec.graphql, { nullable, description: spec.options.description })(cls.prototype, key);
  }
  if (withVersion) {
    Field(() => Int, {
      nullable: true,
      description: 'The version you read; if the record has changed since, the update is refused.',
    })(cls.prototype, 'version');
  }
  InputType(name, description ? { description } : {})(cls);
  inputTypes.set(name, { cls, fields, mode });
  return cls;
}

/** System fields a legacy caller may echo back; they are ignored, never written. */
const READ_ONLY = ['id', 'companyId', 'createdAt', 'updatedAt', 'createdBy'];

export interface InputParsers<C, U> {
  createType: ClassType;
  updateType: ClassType;
  /** The validators themselves, for the REST description (schema/openapi.json). */
  createSchema: z.ZodType;
  updateSchema: z.ZodType;
  parseCreate(input: unknown): C;
  parseUpdate(input: unknown): { patch: U; version?: number };
}

/**
 * Create and update validators + GraphQL inputs for one family. `readOnly` names more fields a caller
 * may echo back and that are ignored (a nested record's parent id, the state an action moves).
 */
export function defineInputs<C = Record<string, unknown>, U = Partial<C>>(typeName: string, fields: FieldMap, readOnly: string[] = []): InputParsers<C, U> {
  const create = objectSchema(fields, 'create');
  const update = objectSchema(fields, 'update', { version: versionSchema.optional() });
  return {
    createType: buildInputType(`${typeName}CreateInput`, fields, 'create'),
    createSchema: create,
    updateSchema: update,
    updateType: buildInputType(`${typeName}UpdateInput`, fields, 'update', true),
    // A new record has no version yet: one echoed on create is ignored like the other system fields.
    parseCreate: (input) => parseWith(create, stripReadOnly(input, [...readOnly, 'version'])) as C,
    parseUpdate: (input) => {
      const { version, ...patch } = parseWith(update, stripReadOnly(input, readOnly)) as Record<string, unknown>;
      const present = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      return { patch: present as U, version: version as number | undefined };
    },
  };
}

function stripReadOnly(input: unknown, more: string[]): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const copy = { ...(input as Record<string, unknown>) };
  for (const key of [...READ_ONLY, ...more]) delete copy[key];
  return copy;
}

/** Parse or throw a ValidationError with one entry per offending field. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, prefix: string[] = []): T {
  const unsafe = findUnsafeText(input, prefix);
  if (unsafe) throw new ValidationError([unsafe]);
  const result = schema.safeParse(input ?? {}, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(issuesOf(result.error, prefix));
}

export function issuesOf(error: z.ZodError, prefix: string[] = []): FieldIssue[] {
  const seen = new Map<string, FieldIssue>();
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = [...path, key].join('.');
        if (!seen.has(field)) seen.set(field, { field, message: 'is not a known field' });
      }
      continue;
    }
    const field = path.join('.') || 'body';
    const message =
      issue.code === 'invalid_type' && issue.input === undefined
        ? 'is required'
        : issue.code === 'invalid_type' && issue.input === null
          ? 'must not be null'
          : issue.message;
    if (!seen.has(field)) seen.set(field, { field, message });
  }
  return [...seen.values()];
}
