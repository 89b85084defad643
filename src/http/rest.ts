import { Router, Request, Response } from 'express';
import type { z } from 'zod';
import type { FieldMap, FieldSpec, InputMode } from '../core/fields';
import type { JsonSchema } from './json-schema';
import type { RequestContext } from '../auth/request-context';
import { ErrorCode, FieldIssue, ForbiddenError, MethodNotAllowedError, UnsupportedMediaTypeError, ValidationError } from '../shared/errors';
import { findUnsafeText } from '../core/input-text';
import { PAGING_NAMES } from '../core/listing';
import type { Page } from '../db/page';
import { describeRequirement, Requirement } from '../permissions/catalog';
import { hasBody } from '../core/framing';
import type { SecretLinkKind } from '../db/secret-links';
import type { TenantScope } from '../db/tenant-scope';

/**
 * REST routes are declared, not hand-wired: each names its method, path, the permission it needs
 * and a thin handler. The table is what the app mounts and what the permission snapshot reads.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRequest {
  ctx: RequestContext;
  /** The scope of the link whose secret hashes to `hash` (its company, as its owner); null when there is none. */
  openLink(kind: SecretLinkKind, hash: Buffer): Promise<TenantScope | null>;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  raw: Request;
  res: Response;
}

export type RestResult =
  | { status: number; body?: unknown }
  /** The handler wrote the response itself (a stream). */
  | { handled: true };

export interface RouteDef {
  method: Method;
  /** Below `/api`, express syntax (`/agencies/:id`); from the root when `root`. */
  path: string;
  /** Mounted from the root, outside `/api` (a link a calendar app fetches). */
  root?: boolean;
  requirement: Requirement;
  /** One line: what it does. */
  summary: string;
  /** The rest a caller needs: what it refuses, the states it moves between. */
  description?: string;
  /** The operation's stable name in generated clients (`listArtists`, `confirmAvail`): unique. */
  operationId: string;
  /** The group it is listed under: its family's, or its module's. */
  tag: RouteTag;
  /** An older spelling of another route's path, kept for callers that know it. */
  deprecated?: boolean;
  /** What the route takes and answers, for schema/openapi.json; its query parameters are the only ones it takes. */
  doc?: RouteDoc;
  /** Media types a write's body may have (`req.is` patterns); JSON unless said otherwise (an upload takes `multipart/form-data`). */
  accepts?: string[];
  handler(req: RestRequest): Promise<RestResult>;
}

export interface RouteTag {
  name: string;
  description: string;
}

/** A query parameter: its validator (or its field's declaration, which also says its kind), its description, whether it must be given. */
export interface ParamDoc {
  value: z.ZodType | FieldSpec<unknown>;
  /** The GraphQL type of the declaration, when `value` is a bare validator (a filter's). */
  kind?: unknown;
  description: string;
  required?: boolean;
}

export interface RouteDoc {
  /** A JSON body: the component it is named as, and the fields it takes. */
  body?: { name: string; fields: FieldMap; mode: InputMode; extra?: Record<string, JsonSchema> };
  /** A multipart/form-data upload: its component name and text fields (the bytes are in the part `file`). */
  upload?: { name: string; fields: FieldMap; /** What the part `file` holds, when not any bytes. */ file?: string };
  /** Query parameters: the only ones the route takes. */
  query?: Record<string, ParamDoc>;
  /** What each path parameter names (a UUID), or what it is and its pattern. */
  pathParams?: Record<string, string | { description: string; pattern: string }>;
  /** The media type of a `linked` answer. */
  mediaType?: string;
  /** The GraphQL object type whose fields the answer's record(s) carry. */
  record?: string;
  /** The component name of the answer when it is more than the record's (rows with embeds, a page with figures). */
  name?: string;
  /** `one` → `{ data }`, `many` → `{ data: [...] }`, `page` → `{ data: [...], meta }`, `count` → `{ data: { count } }`, `none` → 204, `document` → a bare JSON document, `bytes` → the stored bytes (ranges, ETag), `pdf` → a PDF made from the record (ranges, ETag), `linked` → what a secret link answers (its `mediaType`), `import` → `{ data: { created, errors } }` of a CSV import. */
  answer: 'one' | 'many' | 'page' | 'count' | 'none' | 'document' | 'bytes' | 'pdf' | 'linked' | 'import';
  /** A list that also answers `text/csv` (`format=csv`, or an Accept that prefers it). */
  csv?: boolean;
  /** The success status when not 200 (201 for creations, 202 for work queued). */
  status?: 201 | 202;
  /**
   * Error codes this route answers beyond those of any route behind the token (bad request or
   * query, token, permission, access or database unavailable): NOT_FOUND, CONFLICT, a limit, another
   * service unavailable.
   */
  errors?: readonly ErrorCode[];
  /** Summaries of related records each row carries (null when not viewable): field → the record type and its properties included. */
  embeds?: Record<string, { record: string; fields: readonly string[] }>;
  /** More of a page's `meta`: name → the GraphQL object type of its rows (a list). */
  meta?: Record<string, string>;
}

export const ok = (data: unknown): RestResult => ({ status: 200, body: { data } });
export const created = (data: unknown): RestResult => ({ status: 201, body: { data } });
export const noContent = (): RestResult => ({ status: 204 });
export const paged = <T>(page: Page<T>, meta: Record<string, unknown> = {}): RestResult => ({
  status: 200,
  body: {
    data: page.items,
    meta: {
      page: page.page,
      limit: page.limit,
      total: page.total,
      totalIsEstimate: page.totalIsEstimate,
      nextCursor: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
      ...meta,
    },
  },
});

/** A paged route's query string without the paging parameters, which are not part of its own input. */
export function withoutPaging(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([k]) => !(PAGING_NAMES as readonly string[]).includes(k)));
}

export const JSON_BODY = ['application/json', 'application/*+json'];
const WRITES = new Set<Method>(['POST', 'PUT', 'PATCH']);

/**
 * A write whose body is in a type the route does not take is refused as such, rather than read as
 * an empty body (a silent no-op PUT, or a POST blaming every field). No body at all passes: the
 * route's validator answers for what is missing.
 */
function checkMediaType(route: RouteDef, req: Request): void {
  if (!WRITES.has(route.method)) return;
  const accepts = route.accepts ?? JSON_BODY;
  if (hasBody(req) && req.is(accepts) === false) {
    throw new UnsupportedMediaTypeError(`Content-Type must be ${accepts.join(' or ')}`);
  }
}


/** Path parameters, query string and body hold only text PostgreSQL can store. */
function checkText(req: Request): void {
  const issue = findUnsafeText(req.params) ?? findUnsafeText(req.query) ?? findUnsafeText(req.body);
  if (issue) throw new ValidationError([issue]);
}

/**
 * A route takes the query parameters it documents and nothing else, each once as `name=value`: a
 * misspelt name or a form no route reads (`from[not]=x`, `page[]=1`, `page=1&page=2`) is refused
 * with the names it does take, rather than ignored (a list would silently answer everything).
 */
export function checkQuery(route: RouteDef, query: Record<string, unknown>): void {
  const allowed = Object.keys(route.doc?.query ?? {});
  const takes = allowed.length ? `this route takes ${allowed.join(', ')}` : 'this route takes none';
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(query)) {
    const base = name.replace(/\[.*$/, '');
    if (!allowed.includes(name)) {
      const message = base !== name && allowed.includes(base) ? `is not a form ${base} takes: send ${base}=value once` : 'is not a query parameter of this route';
      issues.push({ field: name, message: `${message}; ${takes}` });
    } else if (typeof value !== 'string') {
      issues.push({ field: name, message: `must be given once, as ${name}=value` });
    }
  }
  if (issues.length) throw new ValidationError(issues);
}

export type ContextResolver = (req: Request, res: Response) => Promise<RequestContext>;

/**
 * Mounts the route table on a router: context → permission → query and body checks → handler →
 * answer. A public route gets the anonymous context: no token, no x-org, no call to Auth.
 */
export function mountRoutes(
  router: Router,
  routes: RouteDef[],
  resolveContext: ContextResolver,
  anonymousContext: (req: Request) => RequestContext,
  openLink: RestRequest['openLink'],
): void {
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    router[method](route.path, async (req: Request, res: Response) => {
      const ctx = route.requirement === 'public' ? anonymousContext(req) : await resolveContext(req, res);
      if (!ctx.allows(route.requirement)) {
        throw new ForbiddenError(`Missing permission ${describeRequirement(route.requirement)}`);
      }
      checkQuery(route, req.query as Record<string, unknown>);
      checkMediaType(route, req);
      checkText(req);
      const result = await route.handler({
        ctx,
        openLink,
        params: req.params as Record<string, string>,
        query: req.query as Record<string, unknown>,
        body: req.body,
        raw: req,
        res,
      });
      if ('handled' in result) return;
      if (result.body === undefined) res.status(result.status).end();
      else res.status(result.status).json(result.body);
    });
  }
}

/** A known path asked with a method it does not have: 405 with the methods it does have. */
export function mountMethodNotAllowed(router: Router, routes: RouteDef[]): void {
  const methods = new Map<string, Set<Method>>();
  for (const r of routes) methods.set(r.path, (methods.get(r.path) ?? new Set()).add(r.method));
  for (const [path, allowed] of methods) {
    const allow = [...allowed, ...(allowed.has('GET') ? ['HEAD'] : [])].join(', ');
    router.all(path, (req: Request) => {
      req.res!.setHeader('allow', allow);
      throw new MethodNotAllowedError(`${req.method} is not allowed here; use ${allow}`);
    });
  }
}

/** `METHOD /api/path → permission` lines, for the committed permission snapshot. */
export function describeRoutes(routes: RouteDef[]): string[] {
  return routes
    .map((r) => `${r.method} ${r.root ? '' : '/api'}${r.path} → ${describeRequirement(r.requirement)}`)
    .sort();
}
