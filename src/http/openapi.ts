import {
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { getMetadataArgsStorage } from 'typeorm';
import { getMetadataStorage as getTypeGraphQLMetadata } from 'type-graphql';
import { STATUS_BY_CODE, type ErrorCode } from '../shared/errors';
import { FieldSpec } from '../core/fields';
import { transientFields } from '../core/record';
import { describeRequirement, type Requirement } from '../permissions/catalog';
import type { ClassType } from '../db/class-type';
import { fieldsSchema, moneyDescription, valueSchema, withDescription, type JsonSchema } from './json-schema';
import type { ParamDoc, RouteDef, RouteDoc } from './rest';

/**
 * The REST layer described as OpenAPI 3.1, made from the same route table, declarations and types
 * the service runs on (so it cannot drift): committed as schema/openapi.json and served to anyone
 * at GET /api/openapi.json. Every request body and answer is a named component; each operation has
 * a stable `operationId`, its family's tag, the statuses it can answer and, in `x-permission`, the
 * permission it needs.
 */
export type { JsonSchema } from './json-schema';

const SCALARS: Record<string, JsonSchema> = {
  String: { type: 'string' },
  ID: { type: 'string', format: 'uuid' },
  Int: { type: 'integer', format: 'int32' },
  SafeInt: { type: 'integer', format: 'int64' },
  Float: { type: 'number' },
  Boolean: { type: 'boolean' },
  DateTimeISO: { type: 'string', format: 'date-time' },
  LocalDate: { type: 'string', format: 'date' },
};

/** What every route behind the token can answer besides its own errors. */
const MEMBER_ERRORS: ErrorCode[] = ['BAD_REQUEST', 'VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'ACCESS_UNAVAILABLE', 'DATABASE_UNAVAILABLE'];
/** A public route still refuses a query parameter it does not take. */
const PUBLIC_ERRORS: ErrorCode[] = ['VALIDATION_FAILED'];
/** What any write can answer about its body: too large, or in a type the route does not take. */
const BODY_ERRORS: ErrorCode[] = ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];

const ERROR_MEANINGS: Partial<Record<ErrorCode, string>> = {
  BAD_REQUEST: 'x-org missing or malformed, or a body that is not JSON',
  VALIDATION_FAILED: 'an invalid field or query parameter (`details` names each)',
  UNAUTHENTICATED: 'no valid token',
  FORBIDDEN: 'not a member, or the permission is missing',
  NOT_FOUND: 'absent, or another company’s',
  CONFLICT: 'a stale version, a duplicate, still referenced, or a state that does not allow it',
  PAYLOAD_TOO_LARGE: 'the body is over the limit; nothing is kept',
  UNSUPPORTED_MEDIA_TYPE: 'a body in a type the route does not take',
  RANGE_NOT_SATISFIABLE: 'a Range outside the content',
  RATE_LIMITED: 'past a limit; Retry-After says when to try again',
  ACCESS_UNAVAILABLE: 'Auth cannot say what the caller may do',
  DATABASE_UNAVAILABLE: 'the database does not answer',
  AI_UNAVAILABLE: 'the AI provider is not configured, failing or slow',
  INTEGRATION_UNAVAILABLE: 'the outside service is not configured, not connected or not answering',
};

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/** Stored properties of an entity class (and its base classes): what a REST record carries. */
function storedProperties(typeName: string): Set<string> | null {
  const storage = getMetadataArgsStorage();
  // The GraphQL type may be named apart from its class (HistoryEntry is the DomainEvent table).
  const graphqlClass = getTypeGraphQLMetadata().objectTypes.find((o) => o.name === typeName)?.target;
  const entity = storage.tables.find((t) => typeof t.target === 'function' && (t.target === graphqlClass || t.target.name === typeName))?.target as
    | ClassType
    | undefined;
  if (!entity) return null;
  const chain: ClassType[] = [];
  for (let c: ClassType | null = entity; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.push(c);
  return new Set([...storage.columns.filter((c) => chain.includes(c.target as ClassType)).map((c) => c.propertyName), ...transientFields(entity)]);
}

/** The answers of a route that serves stored bytes: the whole (ETag, Content-Disposition), one range, or not modified. */
function byteResponses(mediaType: string, description: string, etag: string, disposition: string): Record<string, JsonSchema> {
  const content = { [mediaType]: { schema: { type: 'string', format: 'binary' } } };
  return {
    '200': {
      description,
      headers: {
        ETag: { description: etag, schema: { type: 'string' } },
        'Content-Disposition': { description: disposition, schema: { type: 'string' } },
      },
      content,
    },
    '206': { description: 'The one byte range asked for (`Range: bytes=a-b`), with Content-Range.', content },
    '304': { description: 'Not modified (`If-None-Match` names the ETag).' },
  };
}

/** A GraphQL list of stored records (an entity type). */
function isRecordList(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (!isListType(inner)) return false;
  let named: GraphQLOutputType = inner.ofType;
  if (isNonNullType(named)) named = named.ofType;
  return isObjectType(named) && storedProperties(named.name) !== null;
}

const isSafeInt = (type: GraphQLOutputType): boolean => {
  const named = isNonNullType(type) ? type.ofType : type;
  return isScalarType(named) && named.name === 'SafeInt';
};

/** How a route's requirement reads in its description. */
function permissionLine(requirement: Requirement): string {
  if (requirement === 'public') return 'Public: no token or x-org needed.';
  if (requirement === 'member') return 'Needs a member of the x-org company (no business permission).';
  const all = typeof requirement === 'string' ? [requirement] : [...requirement];
  return all.length === 1 ? `Needs \`${all[0]}\`.` : `Needs all of ${all.map((p) => `\`${p}\``).join(', ')}.`;
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export function buildOpenApi(routes: RouteDef[], schema: GraphQLSchema): JsonSchema {
  const components: Record<string, JsonSchema> = {
    Error: {
      type: 'object',
      description: 'Every error answer: a stable code, a message safe to show, and the request id to quote.',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message', 'requestId'],
          properties: {
            code: { type: 'string', enum: Object.keys(STATUS_BY_CODE), description: 'What went wrong; the HTTP status follows from it.' },
            message: { type: 'string', description: 'For people; do not parse it.' },
            requestId: { type: 'string', description: 'The `x-request-id` of the answer (in the logs too).' },
            details: {
              type: 'array',
              description: 'One entry per offending field (`{ field, message }` for validation, with the `row` of the file for a CSV import), or what blocks a change (conflict).',
              items: {
                type: 'object',
                additionalProperties: true,
                properties: {
                  field: { type: 'string' },
                  message: { type: 'string' },
                  row: { type: 'integer', minimum: 1, description: 'A CSV import: the row of the file, as a spreadsheet numbers it (the header is row 1).' },
                },
              },
            },
          },
        },
      },
    },
    PageMeta: pageMeta(),
  };

  /** A component by name: one name is one schema. */
  const define = (name: string, value: JsonSchema): JsonSchema => {
    const existing = components[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(value)) throw new Error(`OpenAPI component ${name} is defined twice, differently`);
    components[name] = value;
    return ref(name);
  };

  const named = (type: GraphQLNamedType): JsonSchema => {
    if (isScalarType(type)) return SCALARS[type.name] ?? {};
    if (isEnumType(type)) return { type: 'string', enum: type.getValues().map((v) => v.value), ...(type.description ? { description: type.description } : {}) };
    if (isObjectType(type)) {
      if (!components[type.name]) objectComponent(type);
      return ref(type.name);
    }
    return {};
  };
  const output = (type: GraphQLOutputType): JsonSchema => {
    if (isNonNullType(type)) return isListType(type.ofType) ? { type: 'array', items: output(type.ofType.ofType) } : named(type.ofType as GraphQLNamedType);
    const inner = isListType(type) ? { type: 'array', items: output(type.ofType) } : named(type as GraphQLNamedType);
    return { anyOf: [inner, { type: 'null' }] };
  };
  /** A GraphQL object type as the REST record (or value) it answers. */
  const objectComponent = (type: GraphQLObjectType): void => {
    components[type.name] = {}; // placeholder against cycles
    const stored = storedProperties(type.name);
    const fields = type.getFields();
    const holdsMoney = 'currency' in fields;
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const field of Object.values(fields)) {
      if (stored && !stored.has(field.name)) continue; // relation fields are GraphQL-only
      // A stored list of ids that GraphQL resolves to their records (a lineup): REST carries the ids.
      const listsIds = stored !== null && isRecordList(field.type);
      const description = holdsMoney && isSafeInt(field.type) ? moneyDescription(field.description ?? undefined) : field.description;
      properties[field.name] = withDescription(listsIds ? { type: 'array', items: SCALARS.ID } : output(field.type), description ?? undefined);
      if (listsIds || isNonNullType(field.type)) required.push(field.name);
    }
    components[type.name] = {
      type: 'object',
      ...(type.description ? { description: type.description } : {}),
      ...(required.length ? { required } : {}),
      properties,
    };
  };
  const recordSchema = (name: string): JsonSchema => {
    const type = schema.getType(name);
    if (!type) throw new Error(`REST route documents an unknown record type ${name}`);
    return named(type);
  };
  const component = (name: string): JsonSchema & { properties: Record<string, JsonSchema>; required?: string[] } => {
    recordSchema(name);
    return components[name] as JsonSchema & { properties: Record<string, JsonSchema>; required?: string[] };
  };

  /** A row of the answer: the record, with the summaries of related records it embeds (a component of its own). */
  const rowSchema = (doc: RouteDoc): JsonSchema => {
    if (!doc.record) return {};
    const embeds = Object.entries(doc.embeds ?? {});
    if (!embeds.length) return recordSchema(doc.record);
    const base = component(doc.record);
    const properties = { ...base.properties };
    for (const [field, { record, fields }] of embeds) {
      const type = schema.getType(record);
      if (!isObjectType(type)) throw new Error(`REST route embeds an unknown record type ${record}`);
      const own = Object.fromEntries(fields.map((f) => [f, output(type.getFields()[f].type)]));
      properties[field] = {
        anyOf: [{ type: 'object', required: [...fields], properties: own }, { type: 'null' }],
        description: `A summary of the ${record}; null when unset or when you may not view it.`,
      };
    }
    return define(`${doc.name ?? doc.record}Row`, {
      type: 'object',
      description: `${doc.record} with summaries of ${embeds.map(([f]) => f).join(' and ')}.`,
      required: [...(base.required ?? []), ...embeds.map(([f]) => f)],
      properties,
    });
  };
  const metaSchema = (doc: RouteDoc): JsonSchema => {
    const extra = Object.entries(doc.meta ?? {});
    if (!extra.length) return ref('PageMeta');
    const base = pageMeta();
    return define(`${doc.name ?? doc.record}PageMeta`, {
      ...base,
      description: 'The page, and figures over the whole answer (every page).',
      required: [...(base.required as string[]), ...extra.map(([name]) => name)],
      properties: { ...(base.properties as JsonSchema), ...Object.fromEntries(extra.map(([name, type]) => [name, { type: 'array', items: recordSchema(type) }])) },
    });
  };
  const answerSchema = (doc: RouteDoc): JsonSchema => {
    const subject = doc.name ?? doc.record ?? '';
    switch (doc.answer) {
      case 'count':
        return define('CountResponse', {
          type: 'object',
          required: ['data'],
          properties: { data: { type: 'object', required: ['count'], properties: { count: { type: 'integer', minimum: 0, description: 'How many records.' } } } },
        });
      case 'page':
        return define(`${subject}Page`, {
          type: 'object',
          description: `A page of ${subject} rows.`,
          required: ['data', 'meta'],
          properties: { data: { type: 'array', items: rowSchema(doc) }, meta: metaSchema(doc) },
        });
      case 'many':
        return define(`${subject}List`, { type: 'object', description: `Every ${subject} row of the answer.`, required: ['data'], properties: { data: { type: 'array', items: rowSchema(doc) } } });
      case 'import':
        return define('ImportResponse', {
          type: 'object',
          description: 'What a CSV import did.',
          required: ['data'],
          properties: {
            data: {
              type: 'object',
              required: ['created', 'errors'],
              properties: {
                created: { type: 'integer', minimum: 0, description: 'Records created (a dry run: that would be; 0 when it found errors).' },
                errors: {
                  type: 'array',
                  description: 'A dry run: every problem found, after which nothing would be created. An import with problems is a 400 instead, so here it is empty.',
                  items: define('ImportError', {
                    type: 'object',
                    description: 'A problem of one row of the file.',
                    required: ['row', 'field', 'message'],
                    properties: {
                      row: { type: 'integer', minimum: 1, description: 'The row of the file, as a spreadsheet numbers it (the header is row 1).' },
                      field: { type: 'string', description: 'The field (the header cell) at fault; empty when it is the row as a whole.' },
                      message: { type: 'string', description: 'What is wrong.' },
                    },
                  }),
                },
              },
            },
          },
        });
      case 'document':
        return define('OpenApiDocument', { type: 'object', description: 'This document: OpenAPI 3.1.' });
      default:
        return define(`${subject}Response`, { type: 'object', description: `One ${subject}.`, required: ['data'], properties: { data: recordSchema(doc.record!) } });
    }
  };

  const queryParam = (name: string, param: ParamDoc): JsonSchema => {
    const value = param.value instanceof FieldSpec ? valueSchema(param.value.schema, param.value.graphql()) : valueSchema(param.value, param.kind);
    const { description: _own, ...rest } = value;
    return { name, in: 'query', description: param.description, required: param.required ?? false, schema: rest };
  };

  const tags = new Map<string, string>();
  const operationIds = new Set<string>();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const doc: RouteDoc = route.doc ?? { answer: 'one' };
    const path = `${route.root ? '' : '/api'}${route.path.replace(/:(\w+)/g, '{$1}')}`;
    if (operationIds.has(route.operationId)) throw new Error(`operationId ${route.operationId} is used twice`);
    operationIds.add(route.operationId);
    const recordDescription = doc.record ? (schema.getType(doc.record)?.description ?? '') : '';
    if (!tags.get(route.tag.name)) tags.set(route.tag.name, route.tag.description || recordDescription);

    const parameters: JsonSchema[] = [
      ...[...route.path.matchAll(/:(\w+)/g)].map((m) => {
        const given = doc.pathParams?.[m[1]];
        const described = typeof given === 'object' ? given : null;
        return {
          name: m[1],
          in: 'path',
          required: true,
          description: described?.description ?? (given as string | undefined) ?? `The ${m[1]}.`,
          schema: described ? { type: 'string', pattern: described.pattern } : { type: 'string', format: 'uuid' },
        };
      }),
      ...Object.entries(doc.query ?? {}).map(([name, param]) => queryParam(name, param)),
    ];

    const status = String(doc.status ?? (doc.answer === 'none' ? 204 : 200));
    const responses: Record<string, JsonSchema> = {};
    if (doc.answer === 'none') responses[status] = { description: 'Done; no content.' };
    else if (doc.answer === 'bytes')
      Object.assign(
        responses,
        byteResponses(
          '*/*',
          'The bytes, in the Content-Type they were uploaded with (any type; `application/octet-stream` when none was given), with ETag and Content-Disposition.',
          'A strong validator of exactly these bytes; send it as `If-None-Match`.',
          '`inline` for types a browser shows without running anything, `attachment` for the rest; with the file name.',
        ),
      );
    else if (doc.answer === 'linked')
      Object.assign(
        responses,
        byteResponses(
          doc.mediaType ?? '*/*',
          'The document, made now from the records it shows, with ETag.',
          'The SHA-256 of exactly these bytes; send it as `If-None-Match`.',
          '`attachment`, with a file name.',
        ),
      );
    else if (doc.answer === 'pdf')
      Object.assign(
        responses,
        byteResponses(
          'application/pdf',
          'The PDF, with ETag and Content-Disposition.',
          'The SHA-256 of exactly these bytes; send it as `If-None-Match`.',
          '`inline`, with a file name safe on any system (`filename`, and `filename*` when it needs it).',
        ),
      );
    else {
      responses[status] = {
        description: status === '201' ? 'Created.' : status === '202' ? 'Accepted: the work is queued.' : 'OK.',
        content: {
          'application/json': { schema: answerSchema(doc) },
          ...(doc.csv
            ? {
                'text/csv': {
                  schema: {
                    type: 'string',
                    description:
                      'Every matching row (`format=csv`, or an Accept preferring `text/csv`), as an attachment `<list>-<YYYY-MM-DD>.csv`: RFC 4180, UTF-8, a header row of the record\'s fields in its order; a list or object is one cell of JSON, a time ISO-8601, null an empty cell; a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return starts with `\'` more.',
                  },
                },
              }
            : {}),
        },
      };
    }
    const codes = [
      ...(route.requirement === 'public' ? PUBLIC_ERRORS : MEMBER_ERRORS),
      ...(doc.errors ?? []),
      ...(route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH' ? BODY_ERRORS : []),
    ];
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of codes) {
      const list = byStatus.get(STATUS_BY_CODE[code]) ?? [];
      if (!list.includes(code)) list.push(code);
      byStatus.set(STATUS_BY_CODE[code], list);
    }
    for (const [code, list] of [...byStatus].sort(([a], [b]) => a - b)) {
      responses[String(code)] = {
        description: list.map((c) => `${c}: ${ERROR_MEANINGS[c] ?? c}`).join('; ') + '.',
        ...(list.includes('RATE_LIMITED') ? { headers: { 'Retry-After': { description: 'Seconds until the limit allows another call.', schema: { type: 'integer' } } } } : {}),
        content: ERROR_CONTENT,
      };
    }

    const body = doc.body ? define(doc.body.name, fieldsSchema(doc.body.fields, doc.body.mode, doc.body.extra)) : undefined;
    const upload = doc.upload ? define(doc.upload.name, uploadForm(doc.upload.fields, doc.upload.file)) : undefined;
    const description = [route.description, permissionLine(route.requirement)].filter(Boolean).join('\n\n');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      tags: [route.tag.name],
      summary: route.summary,
      description,
      operationId: route.operationId,
      ...(route.deprecated ? { deprecated: true } : {}),
      ...(route.requirement === 'public' ? { security: [] } : {}),
      'x-permission': describeRequirement(route.requirement),
      ...(parameters.length ? { parameters } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      ...(upload ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: upload } } } } : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Kisum Base REST compatibility layer',
      version: '1',
      description:
        'Every operation but this document needs `Authorization: Bearer <JWT from Auth>` and `x-org: <company id>`; `x-permission` names the basic.* permission it needs. ' +
        'PUT changes only the fields sent; send `version` back to refuse a stale write. Money is integer minor units of the record’s ISO-4217 `currency`. ' +
        'An operation takes only the query parameters it lists: any other is refused (400). Enum values are written in lower case here (`upcoming`) and in upper case in GraphQL (`UPCOMING`).',
      license: { name: 'Proprietary (UNLICENSED): all rights reserved', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'The Base instance that serves this document.' }],
    security: [{ bearer: [], company: [] }],
    tags: [...tags].sort(([a], [b]) => a.localeCompare(b)).map(([name, description]) => ({ name, description: description || `${name}.` })),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token Auth issued (its `sub` is the user).' },
        company: { type: 'apiKey', in: 'header', name: 'x-org', description: 'The active company id (a UUID).' },
      },
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
}

function pageMeta(): JsonSchema {
  return {
    type: 'object',
    description: 'Where the page is in the list.',
    required: ['page', 'limit', 'total', 'totalIsEstimate', 'nextCursor'],
    properties: {
      page: { type: 'integer', minimum: 1, description: 'The page number; after a cursor, the page its position falls on at this limit.' },
      limit: { type: 'integer', minimum: 1, description: 'Rows per page.' },
      total: { type: 'integer', minimum: 0, description: 'Every matching record, counted exactly up to LIST_COUNT_LIMIT; above it, that bound (see totalIsEstimate).' },
      totalIsEstimate: { type: 'boolean', description: 'true: more records match than the count reads, and total is its bound.' },
      nextCursor: { anyOf: [{ type: 'string' }, { type: 'null' }], description: 'Pass as `cursor` for the next page (stable under inserts); null on the last page.' },
    },
  };
}

/** The form of an upload: its text fields, in parts before the part `file` with the bytes. */
function uploadForm(fields: Parameters<typeof fieldsSchema>[0], file = 'The bytes (any type); send the other fields before it.'): JsonSchema {
  const form = fieldsSchema(fields, 'create');
  return {
    ...form,
    description: 'Multipart form: the text fields first, then the part `file`.',
    required: ['file', ...((form.required as string[] | undefined) ?? [])],
    properties: { ...(form.properties as JsonSchema), file: { type: 'string', format: 'binary', description: file } },
  };
}

/**
 * Every REST route Base serves: the modules' routes plus the description of them all (public, as
 * generators and API portals fetch it). The app mounts this list; schema/permissions.txt and
 * schema/openapi.json are printed from it.
 */
export function apiRoutes(moduleRoutes: RouteDef[], schema: GraphQLSchema): RouteDef[] {
  let document: JsonSchema | null = null;
  const describe: RouteDef = {
    method: 'GET',
    path: '/openapi.json',
    requirement: 'public',
    summary: 'This description of the REST layer',
    description: 'The OpenAPI 3.1 document of every operation below: generate a client from it.',
    operationId: 'getOpenApiDocument',
    tag: { name: 'Contract', description: 'The description of the REST layer itself.' },
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
