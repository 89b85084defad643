import { ID } from 'type-graphql';
import { GraphQLLocalDate, GraphQLSafeInt } from 'graphql-scalars';
import { z } from 'zod';
import { daySchema, type FieldMap, type FieldSpec, type InputMode } from '../core/fields';

/**
 * JSON Schema (2020-12, as OpenAPI 3.1 reads it) of what a caller sends, made from the same
 * validators the service runs: a field's declaration gives its schema, its description and its
 * kind (the GraphQL type of the declaration says an id is a UUID, a day is a date, an amount is money).
 */
export type JsonSchema = Record<string, unknown>;

/** Marks the branch of a GraphQL-side `Date` in a union: JSON carries that instant as text. */
const DATE_OBJECT = 'x-date-object';

/** The kinds a declaration's GraphQL type says more about than its validator. */
export type ValueKind = unknown;

const MONEY_NOTE = 'Integer minor units of the currency (cents: 1050 = 10.50 EUR).';

/** `schema` with this description added (after what it already says). */
export function withDescription(schema: JsonSchema, description: string | undefined): JsonSchema {
  if (!description) return schema;
  const own = schema.description as string | undefined;
  return { ...schema, description: own && !own.includes(description) ? `${description} ${own}` : description };
}

/** Money's description says its unit, whatever else it says. */
export function moneyDescription(description: string | undefined): string {
  if (description && /minor units/i.test(description)) return description;
  return description ? `${description} ${MONEY_NOTE}` : MONEY_NOTE;
}

/**
 * What a validator takes, as JSON Schema: a `Date` branch (GraphQL's DateTime) is dropped where the
 * text form is also taken, or read as a date-time string alone; the long patterns zod writes for a
 * date or date-time (the format says it) are left out.
 */
export function valueSchema(schema: z.ZodType, kind?: ValueKind): JsonSchema {
  const raw = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const def = ctx.zodSchema._zod.def as { type: string };
      if (def.type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time', [DATE_OBJECT]: true });
      if (ctx.zodSchema === daySchema) Object.assign(ctx.jsonSchema, { format: 'date' });
    },
  }) as JsonSchema;
  delete raw.$schema;
  return withKind(tidy(raw), kind);
}

function tidy(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (Array.isArray(value)) out[key] = value.map((v) => (isSchema(v) ? tidy(v) : v));
    else if (isSchema(value) && key !== 'enum' && key !== 'const') {
      out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tidy(v as JsonSchema)])) : tidy(value);
    } else out[key] = value;
  }
  if (out.format === 'date' || out.format === 'date-time') delete out.pattern;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = out[key] as JsonSchema[] | undefined;
    if (!branches) continue;
    // The Date branch and the text branch are the same on the wire: one is enough.
    const kept = branches.some((b) => !b[DATE_OBJECT]) ? branches.filter((b) => !b[DATE_OBJECT]) : branches.slice(0, 1);
    const unique = kept.filter((b, i) => kept.findIndex((o) => JSON.stringify(o) === JSON.stringify(b)) === i);
    if (unique.length === 1) {
      delete out[key];
      Object.assign(out, unique[0]);
    } else out[key] = unique;
  }
  delete out[DATE_OBJECT];
  return out;
}

const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the declaration's GraphQL type adds: ids are UUIDs (any case), days are dates, SafeInt (money) is a 64-bit integer. */
function withKind(schema: JsonSchema, kind: ValueKind): JsonSchema {
  const inner = Array.isArray(kind) ? kind[0] : kind;
  const apply = (s: JsonSchema): JsonSchema => {
    if (inner === ID && s.type === 'string') {
      const { pattern: _pattern, ...rest } = s;
      return { ...rest, format: 'uuid' };
    }
    if (inner === GraphQLLocalDate && s.type === 'string') return { ...s, format: 'date' };
    if (inner === GraphQLSafeInt && (s.type === 'integer' || s.type === 'number')) return { ...s, type: 'integer', format: 'int64' };
    return s;
  };
  if (Array.isArray(kind) && schema.type === 'array' && isSchema(schema.items)) return { ...schema, items: apply(schema.items) };
  return apply(schema);
}

/** One declared field: its validator's schema, its description, `null` when it may be cleared. */
export function fieldSchema(spec: FieldSpec<unknown>): JsonSchema {
  const kind = spec.graphql();
  const value = withDescription(valueSchema(spec.schema, kind), kind === GraphQLSafeInt ? moneyDescription(spec.options.description) : spec.options.description);
  if (!spec.options.nullable) return value;
  const { description, ...rest } = value;
  return { anyOf: [rest, { type: 'null' }], ...(description ? { description } : {}) };
}

/**
 * The JSON object a field map takes: on create the required fields are required, on update none
 * is; nothing else is taken (the validators are strict). `extra`: more properties (an update's
 * `version`).
 */
export function fieldsSchema(fields: FieldMap, mode: InputMode, extra: Record<string, JsonSchema> = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, spec] of Object.entries(fields)) {
    properties[key] = fieldSchema(spec);
    if (mode === 'create' && spec.options.required) required.push(key);
  }
  Object.assign(properties, extra);
  return { type: 'object', ...(required.length ? { required } : {}), properties, additionalProperties: false };
}
