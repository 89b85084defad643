import {
  GraphQLNamedType,
  GraphQLOutputType,
  GraphQLSchema,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { getMetadataArgsStorage } from 'typeorm';
import { z } from 'zod';
import { STATUS_BY_CODE, type ErrorCode } from '../shared/errors';
import { describeRequirement } from '../permissions/catalog';
import type { RouteDef, RouteDoc } from './rest';
import type { ClassType } from '../db/class-type';

/**
 * The REST layer described as OpenAPI 3.1, made from the same route table, validators and types the
 * service runs on (so it cannot drift): committed as schema/openapi.json and served to members at
 * GET /api/openapi.json. Each operation names the permission it needs in `x-permission`.
 */
type JsonSchema = Record<string, unknown>;

const SCALARS: Record<string, JsonSchema> = {
  String: { type: 'string' },
  ID: { type: 'string', format: 'uuid' },
  Int: { type: 'integer', format: 'int32' },
  SafeInt: { type: 'integer', description: 'Integer, up to 2^53 - 1 (money in minor units).' },
  Float: { type: 'number' },
  Boolean: { type: 'boolean' },
  DateTimeISO: { type: 'string', format: 'date-time' },
  LocalDate: { type: 'string', format: 'date' },
};

const ERROR_CASES: [number, ErrorCode[]][] = [
  [400, ['BAD_REQUEST', 'VALIDATION_FAILED']],
  [401, ['UNAUTHENTICATED']],
  [403, ['FORBIDDEN']],
  [404, ['NOT_FOUND']],
  [409, ['CONFLICT']],
  [503, ['ACCESS_UNAVAILABLE', 'DATABASE_UNAVAILABLE']],
];

/** Stored properties of an entity class (and its base classes): what a REST record carries. */
function storedProperties(typeName: string): Set<string> | null {
  const storage = getMetadataArgsStorage();
  const entity = storage.tables.find((t) => typeof t.target === 'function' && t.target.name === typeName)?.target as ClassType | undefined;
  if (!entity) return null;
  const chain: ClassType[] = [];
  for (let c: ClassType | null = entity; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.push(c);
  return new Set(storage.columns.filter((c) => chain.includes(c.target as ClassType)).map((c) => c.propertyName));
}

/** A GraphQL list of stored records (an entity type). */
function isRecordList(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (!isListType(inner)) return false;
  let named: GraphQLOutputType = inner.ofType;
  if (isNonNullType(named)) named = named.ofType;
  return isObjectType(named) && storedProperties(named.name) !== null;
}

export function buildOpenApi(routes: RouteDef[], schema: GraphQLSchema): JsonSchema {
  const components: Record<string, JsonSchema> = {
    Error: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message', 'requestId'],
          properties: {
            code: { type: 'string', enum: Object.keys(STATUS_BY_CODE) },
            message: { type: 'string' },
            requestId: { type: 'string' },
            details: {
              type: 'array',
              description: 'One entry per offending field (validation), or what blocks a change (conflict).',
              items: { type: 'object' },
            },
          },
        },
      },
    },
    PageMeta: {
      type: 'object',
      required: ['page', 'limit', 'total', 'totalIsEstimate', 'nextCursor'],
      properties: {
        page: { type: 'integer', description: 'The page number; after a cursor, the page its position falls on at this limit.' },
        limit: { type: 'integer' },
        total: { type: 'integer', description: 'Every matching record, counted exactly up to LIST_COUNT_LIMIT; above it, that bound (see totalIsEstimate).' },
        totalIsEstimate: { type: 'boolean', description: 'true: more records match than the count reads, and total is its bound.' },
        nextCursor: { anyOf: [{ type: 'string' }, { type: 'null' }], description: 'Pass as `cursor` for the next page (stable under inserts); null on the last page.' },
      },
    },
  };

  const ref = (type: GraphQLNamedType): JsonSchema => {
    if (isScalarType(type)) return SCALARS[type.name] ?? {};
    if (isEnumType(type)) return { type: 'string', enum: type.getValues().map((v) => v.value) };
    if (isObjectType(type)) {
      if (!components[type.name]) {
        components[type.name] = {}; // placeholder against cycles
        const stored = storedProperties(type.name);
        const properties: Record<string, JsonSchema> = {};
        const required: string[] = [];
        for (const field of Object.values(type.getFields())) {
          if (stored && !stored.has(field.name)) continue; // relation fields are GraphQL-only
          // A stored list of ids that GraphQL resolves to their records (a lineup): REST carries the ids.
          const listsRecords = isRecordList(field.type);
          properties[field.name] = {
            ...(listsRecords ? { type: 'array', items: SCALARS.ID } : output(field.type)),
            ...(field.description ? { description: field.description } : {}),
          };
          if (listsRecords) required.push(field.name);
          if (isNonNullType(field.type)) required.push(field.name);
        }
        components[type.name] = { type: 'object', required, properties, ...(type.description ? { description: type.description } : {}) };
      }
      return { $ref: `#/components/schemas/${type.name}` };
    }
    return {};
  };
  const output = (type: GraphQLOutputType): JsonSchema => {
    if (isNonNullType(type)) return isListType(type.ofType) ? { type: 'array', items: output(type.ofType.ofType) } : ref(type.ofType as GraphQLNamedType);
    const inner = isListType(type) ? { type: 'array', items: output(type.ofType) } : ref(type as GraphQLNamedType);
    return { anyOf: [inner, { type: 'null' }] };
  };
  const stripped = (s: z.ZodType): JsonSchema => {
    const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    return rest;
  };
  const recordSchema = (name: string): JsonSchema => {
    const type = schema.getType(name);
    if (!type) throw new Error(`REST route documents an unknown record type ${name}`);
    return ref(type);
  };

  /** A row of the answer: the record, with the summaries of related records it embeds. */
  const rowSchema = (doc: RouteDoc): JsonSchema => {
    if (!doc.record) return {};
    const embeds = Object.entries(doc.embeds ?? {});
    if (!embeds.length) return recordSchema(doc.record);
    const properties = Object.fromEntries(
      embeds.map(([field, { record, fields }]) => {
        const type = schema.getType(record);
        if (!isObjectType(type)) throw new Error(`REST route embeds an unknown record type ${record}`);
        const own = Object.fromEntries(fields.map((f) => [f, output(type.getFields()[f].type)]));
        return [field, { anyOf: [{ type: 'object', required: [...fields], properties: own }, { type: 'null' }] }];
      }),
    );
    return { allOf: [recordSchema(doc.record), { type: 'object', required: embeds.map(([f]) => f), properties }] };
  };
  const metaSchema = (doc: RouteDoc): JsonSchema => {
    const extra = Object.entries(doc.meta ?? {});
    if (!extra.length) return { $ref: '#/components/schemas/PageMeta' };
    return {
      allOf: [
        { $ref: '#/components/schemas/PageMeta' },
        { type: 'object', required: extra.map(([name]) => name), properties: Object.fromEntries(extra.map(([name, type]) => [name, { type: 'array', items: recordSchema(type) }])) },
      ],
    };
  };
  /** The form of an upload: its text fields, in parts before the part `file` with the bytes. */
  const uploadForm = (fields: z.ZodObject): JsonSchema => {
    const schema = stripped(fields);
    return {
      ...schema,
      required: ['file', ...((schema.required as string[] | undefined) ?? [])],
      properties: { ...(schema.properties as JsonSchema), file: { type: 'string', format: 'binary', description: 'The bytes; send the other fields before it.' } },
      additionalProperties: false,
    };
  };

  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const doc = route.doc ?? { answer: 'one' as const };
    const path = `/api${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const parameters: JsonSchema[] = [
      ...[...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string', format: 'uuid' } })),
      ...Object.entries(doc.query ?? {}).map(([name, s]) => ({ name, in: 'query', required: false, schema: stripped(s) })),
    ];
    const success: JsonSchema =
      doc.answer === 'none'
        ? { description: 'Done; no content.' }
        : doc.answer === 'bytes'
          ? {
            description: 'The bytes, in the stored Content-Type, with ETag and Content-Disposition.',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          }
          : doc.answer === 'document'
          ? { description: 'OK.', content: { 'application/json': { schema: { type: 'object' } } } }
          : {
            description: doc.created ? 'Created.' : 'OK.',
            content: {
              'application/json': {
                schema:
                  doc.answer === 'count'
                    ? { type: 'object', required: ['data'], properties: { data: { type: 'object', required: ['count'], properties: { count: { type: 'integer' } } } } }
                    : doc.answer === 'page'
                    ? { type: 'object', required: ['data', 'meta'], properties: { data: { type: 'array', items: rowSchema(doc) }, meta: metaSchema(doc) } }
                    : doc.answer === 'many'
                      ? { type: 'object', required: ['data'], properties: { data: { type: 'array', items: rowSchema(doc) } } }
                      : { type: 'object', required: ['data'], properties: { data: doc.record ? recordSchema(doc.record) : {} } },
              },
            },
          };
    const responses: Record<string, JsonSchema> = { [doc.answer === 'none' ? '204' : doc.created ? '201' : '200']: success };
    const cases = new Map(ERROR_CASES.map(([status, codes]) => [status, [...codes]]));
    for (const code of doc.errors ?? []) cases.set(STATUS_BY_CODE[code], [...(cases.get(STATUS_BY_CODE[code]) ?? []), code]);
    for (const [status, codes] of cases) {
      responses[String(status)] = {
        description: codes.join(' or '),
        ...(status === STATUS_BY_CODE.RATE_LIMITED ? { headers: { 'Retry-After': { description: 'Seconds until the limit allows another call.', schema: { type: 'integer' } } } } : {}),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    if (doc.answer === 'bytes') {
      responses['206'] = { description: 'The one byte range asked for (`Range: bytes=a-b`), with Content-Range.', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
      responses['304'] = { description: 'Not modified (`If-None-Match` names the ETag).' };
      responses['416'] = { description: 'RANGE_NOT_SATISFIABLE', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    if (doc.upload) {
      responses['413'] = { description: 'PAYLOAD_TOO_LARGE', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    if (doc.body || doc.upload) {
      responses['415'] = { description: 'UNSUPPORTED_MEDIA_TYPE', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      'x-permission': describeRequirement(route.requirement),
      parameters,
      ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: stripped(doc.body) } } } } : {}),
      ...(doc.upload ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: uploadForm(doc.upload) } } } } : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Kisum Base REST compatibility layer',
      version: '1',
      description:
        'Every operation needs `Authorization: Bearer <JWT from Auth>` and `x-org: <company id>`; `x-permission` names the basic.* permission it needs. PUT changes only the fields sent; send `version` back to refuse a stale write.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [], company: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        company: { type: 'apiKey', in: 'header', name: 'x-org', description: 'The active company id (a UUID).' },
      },
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/**
 * Every REST route Base serves: the modules' routes plus the description of them all. The app mounts
 * this list; schema/permissions.txt and schema/openapi.json are printed from it.
 */
export function apiRoutes(moduleRoutes: RouteDef[], schema: GraphQLSchema): RouteDef[] {
  let document: JsonSchema | null = null;
  const describe: RouteDef = {
    method: 'GET',
    path: '/openapi.json',
    requirement: 'member',
    summary: 'This description of the REST layer (OpenAPI 3.1)',
    doc: { answer: 'document' },
    handler: async ({ res }) => {
      res.json(document);
      return { handled: true };
    },
  };
  const routes = [describe, ...moduleRoutes];
  document = buildOpenApi(routes, schema);
  return routes;
}
