import { gzipSync } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

/**
 * GraphiQL for people with a browser: one self-contained page (scripts, styles and editor workers
 * inline, nothing from a CDN), rendered and compressed once. Queries it sends carry the headers
 * typed into its header editor, like any caller's.
 */
export function graphiqlHandler(defaultHeaders?: Record<string, string>) {
  let page: { html: Buffer; gzip: Buffer } | null = null;
  const render = () => {
    // Loaded on first use: the bundle is large and most replicas never serve it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderGraphiQL } = require('@graphql-yoga/render-graphiql') as typeof import('@graphql-yoga/render-graphiql');
    const html = Buffer.from(
      renderGraphiQL({
        title: 'Kisum Base GraphiQL',
        endpoint: '/graphql',
        headers: JSON.stringify(defaultHeaders ?? { Authorization: 'Bearer <token from Auth>', 'x-org': '<company id>' }, null, 2),
        shouldPersistHeaders: true,
        defaultQuery: '# Set Authorization and x-org in Headers below, then run:\nquery Agencies {\n  agencies(limit: 5) {\n    total\n    items { id key name }\n  }\n}\n',
      }),
    );
    return { html, gzip: gzipSync(html) };
  };

  return (req: Request, res: Response, next: NextFunction) => {
    // Only a browser asking for a page gets it; GET queries go on to the GraphQL server.
    if (req.query.query !== undefined || !req.accepts('text/html') || req.accepts(['application/json', 'text/html']) === 'application/json') {
      return next();
    }
    page ??= render();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('vary', 'accept-encoding');
    if (req.acceptsEncodings('gzip')) {
      res.setHeader('content-encoding', 'gzip');
      res.end(page.gzip);
    } else {
      res.end(page.html);
    }
  };
}
