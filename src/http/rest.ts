import { Router, Request, Response } from 'express';
import type { z } from 'zod';
import type { RequestContext } from '../auth/request-context';
import { ErrorCode, ForbiddenError, MethodNotAllowedError, UnsupportedMediaTypeError, ValidationError } from '../shared/errors';
import { findUnsafeText } from '../core/input-text';
import { PAGING_NAMES } from '../core/listing';
import type { Page } from '../db/page';
import { describeRequirement, Requirement } from '../permissions/catalog';
import { hasBody } from '../core/framing';

/**
 * REST routes are declared, not hand-wired: each names its method, path, the permission it needs
 * and a thin handler. The table is what the app mounts and what the permission snapshot reads.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRequest {
  ctx: RequestContext;
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
  /** Below `/api`, express syntax (`/agencies/:id`). */
  path: string;
  requirement: Requirement;
  summary: string;
  /** What the route takes and answers, for schema/openapi.json. */
  doc?: RouteDoc;
  /** Media types a write's body may have (`req.is` patterns); JSON unless said otherwise (an upload takes `multipart/form-data`). */
  accepts?: string[];
  handler(req: RestRequest): Promise<RestResult>;
}

export interface RouteDoc {
  /** The JSON body's validator. */
  body?: z.ZodType;
  /** A multipart/form-data upload: the validator of its text fields (the bytes are in the part `file`). */
  upload?: z.ZodObject;
  /** Query parameters and their validators. */
  query?: Record<string, z.ZodType>;
  /** The GraphQL object type whose fields the answer's record(s) carry. */
  record?: string;
  /** `one` → `{ data }`, `many` → `{ data: [...] }`, `page` → `{ data: [...], meta }`, `count` → `{ data: { count } }`, `none` → 204, `document` → a bare JSON document, `bytes` → the stored bytes (ranges, ETag). */
  answer: 'one' | 'many' | 'page' | 'count' | 'none' | 'document' | 'bytes';
  /** 201 for creations. */
  created?: boolean;
  /** Error codes this route answers beyond every route's (a limit, another service unavailable). */
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

export type ContextResolver = (req: Request, res: Response) => Promise<RequestContext>;

/** Mounts the route table on a router: context → permission → handler → answer. */
export function mountRoutes(router: Router, routes: RouteDef[], resolveContext: ContextResolver): void {
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    router[method](route.path, async (req: Request, res: Response) => {
      const ctx = await resolveContext(req, res);
      if (!ctx.satisfies(route.requirement)) {
        throw new ForbiddenError(`Missing permission ${describeRequirement(route.requirement)}`);
      }
      checkMediaType(route, req);
      checkText(req);
      const result = await route.handler({
        ctx,
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
    .map((r) => `${r.method} /api${r.path} → ${describeRequirement(r.requirement)}`)
    .sort();
}
