import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';

/**
 * GraphiQL for people with a browser: one self-contained page (scripts, styles and editor workers
 * inline, nothing from a CDN), rendered and compressed once, the same bytes on every load: browsers
 * revalidate it with its ETag (304) instead of downloading 9 MB again. Its prefilled headers come
 * from a tiny script fetched on every load (`/graphql/graphiql-headers.js`), so the dev default's
 * token is minted per page load and never outlives the page. Queries it sends carry the headers in
 * its header editor, like any caller's.
 */
export type GraphiqlHeaders = () => Promise<Record<string, string>>;

const HEADERS_SCRIPT = 'graphiql-headers.js';
const HEADERS_GLOBAL = '__KISUM_GRAPHIQL_HEADERS__';
const HEADERS_MARKER = '__KISUM_GRAPHIQL_HEADERS_MARKER__';

const QUERY = 'query Agencies {\n  agencies(limit: 5) {\n    total\n    items { id key name }\n  }\n}\n';
/** The dev default fills the headers in; elsewhere the caller brings a token from Auth. */
const PREFILLED_QUERY = `# Headers below are filled in with a dev token for the demo company (fresh on every load). Run:\n${QUERY}`;
const EMPTY_QUERY = `# In Headers below, replace the placeholders with a token from Auth and your company id (x-org), then run:\n${QUERY}`;
const PLACEHOLDER_HEADERS = { Authorization: 'Bearer <token from Auth>', 'x-org': '<company id>' };

export function graphiqlRouter(prefilledHeaders?: GraphiqlHeaders): Router {
  let page: { html: Buffer; gzip: Buffer; etag: string } | null = null;
  const render = () => {
    // Loaded on first use: the bundle is large and most replicas never serve it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderGraphiQL } = require('@graphql-yoga/render-graphiql') as typeof import('@graphql-yoga/render-graphiql');
    const options = {
      title: 'Kisum Base GraphiQL',
      endpoint: '/graphql',
      defaultQuery: prefilledHeaders ? PREFILLED_QUERY : EMPTY_QUERY,
      // Prefilled headers are fresh on every load: a stored copy would keep an expired token.
      shouldPersistHeaders: !prefilledHeaders,
    };
    const rendered = renderGraphiQL({ ...options, headers: HEADERS_MARKER });
    // The headers are the page's only variable part: it reads them from what the small script set.
    const marker = `"headers":"${HEADERS_MARKER}"`;
    const at = rendered.lastIndexOf(marker);
    if (at < 0) throw new Error('GraphiQL page: the headers option was not found in the rendered page');
    const withHeaders = rendered.slice(0, at) + `"headers":window.${HEADERS_GLOBAL}` + rendered.slice(at + marker.length);
    const html = Buffer.from(withHeaders.replace('<head>', `<head><script src="/graphql/${HEADERS_SCRIPT}"></script>`));
    return { html, gzip: gzipSync(html), etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"` };
  };

  const router = Router();
  router.get('/', (req: Request, res: Response, next: NextFunction) => {
    // Only a browser asking for a page gets it; GET queries go on to the GraphQL server.
    if (req.query.query !== undefined || !req.accepts('text/html') || req.accepts(['application/json', 'text/html']) === 'application/json') {
      return next();
    }
    page ??= render();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    // Cached, but asked again each time: a new build is seen at once, an unchanged one is a 304.
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('etag', page.etag);
    res.setHeader('vary', 'accept-encoding');
    // Not req.fresh: it ignores validators when the request says `cache-control: no-cache`.
    const sent = (req.get('if-none-match') ?? '').split(/\s*,\s*/);
    if (sent.some((tag) => tag === page!.etag || tag === `W/${page!.etag}` || tag === '*')) return void res.status(304).end();
    if (req.acceptsEncodings('gzip')) {
      res.setHeader('content-encoding', 'gzip');
      res.end(page.gzip);
    } else {
      res.end(page.html);
    }
  });
  router.get(`/${HEADERS_SCRIPT}`, async (_req: Request, res: Response, next: NextFunction) => {
    try {
      const headers = prefilledHeaders ? await prefilledHeaders() : PLACEHOLDER_HEADERS;
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      // JSON.stringify twice: GraphiQL takes the headers as JSON text; `<` is escaped for the page.
      res.end(`window.${HEADERS_GLOBAL} = ${JSON.stringify(JSON.stringify(headers, null, 2)).replace(/</g, '\\u003c')};\n`);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
