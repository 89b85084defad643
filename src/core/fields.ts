import { z } from 'zod';
import { Field, ID, InputType, Int } from 'type-graphql';
import { GraphQLLocalDate, GraphQLSafeInt } from 'graphql-scalars';
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
type GraphQLTypeThunk = () => any;

interface SpecOptions {
  required: boolean;
  nullable: boolean;
  description?: string;
}

export class FieldSpec<T = unknown> {
  constructor(
    readonly schema: z.ZodType<T>,
    readonly graphql: GraphQLTypeThunk,
    readonly options: SpecOptions = { required: false, nullable: false },
  ) {}

  /** Must be present (and not null) when the record is created. */
  required(): FieldSpec<T> {
    return new FieldSpec(this.schema, this.graphql, { ...this.options, required: true });
  }
  /** May be cleared by sending `null`. */
  nullable(): FieldSpec<T> {
    return new FieldSpec(this.schema, this.graphql, { ...this.options, nullable: true });
  }
  describe(description: string): FieldSpec<T> {
    return new FieldSpec(this.schema, this.graphql, { ...this.options, description });
  }
  refine(check: (value: T) => boolean, message: string): FieldSpec<T> {
    return new FieldSpec(this.schema.refine(check, message) as z.ZodType<T>, this.graphql, this.options);
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

/** Field builders. Text is trimmed; limits are generous but finite. */
export const f = {
  text: (max = 200) =>
    new FieldSpec(z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`), () => String),
  longText: (max = 20_000) => new FieldSpec(z.string().max(max, `at most ${max} characters`), () => String),
  pattern: (re: RegExp, message: string) =>
    new FieldSpec(z.string().trim().regex(re, message), () => String),
  email: () =>
    new FieldSpec(z.string().trim().max(320).pipe(z.email({ error: 'must be an email address' })), () => String),
  url: () =>
    new FieldSpec(
      z
        .string()
        .trim()
        .max(2000)
        .regex(/^https?:\/\/[^\s/$.?#].[^\s]*$/i, 'must be an http(s) URL'),
      () => String,
    ),
  phone: () =>
    new FieldSpec(
      z.string().trim().regex(/^\+?[0-9 ()./-]{3,40}$/, 'must be a phone number (digits, spaces, + ( ) . / -)'),
      () => String,
    ),
  id: () => new FieldSpec(z.string().regex(UUID_RE, 'must be a UUID'), () => ID),
  int: (min = 0, max = 2_147_483_647) =>
    new FieldSpec(
      z.number({ error: 'must be an integer' }).int('must be an integer').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
      () => Int,
    ),
  /** Money in integer minor units of the record's currency. */
  money: () =>
    new FieldSpec(
      z
        .number({ error: 'must be an integer amount in minor units' })
        .int('must be an integer amount in minor units')
        .min(0, 'must not be negative')
        .max(Number.MAX_SAFE_INTEGER),
      () => GraphQLSafeInt,
    ),
  currency: () =>
    new FieldSpec(
      z
        .string()
        .regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code such as EUR')
        .refine((c) => CURRENCIES.has(c), 'is not an ISO-4217 currency'),
      () => String,
    ),
  timezone: () =>
    new FieldSpec(z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin'), () => String),
  country: () =>
    new FieldSpec(z.string().trim().regex(/^[A-Za-z]{2}$/, 'must be an ISO-3166 alpha-2 code such as DE').transform((s) => s.toUpperCase()), () => String),
  date: () => new FieldSpec(daySchema, () => GraphQLLocalDate),
  dateTime: () => new FieldSpec<Date>(instantSchema, () => GraphQLISODateTime),
  /**
   * A bound of a period: a calendar day (whose instant depends on a time zone the reader knows, e.g.
   * the company's) or an exact date-time with offset. GraphQL carries it as a String.
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
  enumOf: <const V extends readonly [string, ...string[]]>(values: V, graphqlEnum: object) =>
    new FieldSpec(z.enum(values, { error: `must be one of ${values.join(', ')}` }), () => graphqlEnum),
  textList: (maxItems = 50, maxLength = 100) =>
    new FieldSpec(
      z
        .array(z.string().trim().min(1, 'must not be empty').max(maxLength))
        .max(maxItems, `at most ${maxItems} items`)
        .transform((items) => [...new Set(items)]),
      () => [String],
    ),
  /** A nested object (an address): replaced whole on update. */
  object: (name: string, fields: FieldMap) => {
    const inputType = buildInputType(name, fields, 'create');
    return new FieldSpec(objectSchema(fields, 'create'), () => inputType);
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
export function buildInputType(name: string, fields: FieldMap, mode: InputMode, withVersion = false): ClassType {
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
  InputType(name)(cls);
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
