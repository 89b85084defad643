import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/** Probes and scrapes answer often and say nothing worth a line. */
const QUIET = new Set(['/health', '/ready', '/metrics']);

/**
 * One line per answered request, with the fields pino-http wrote (`req: { method, url }`,
 * `res: { statusCode }`, `responseTime` in ms, `requestId`; "request errored" with an `err` at 500
 * and above), and `req.log` bound to the request. Written by hand because pino-http serialises the
 * whole request (headers, address, …) only to keep two of its fields, and builds a second child
 * logger when the request finishes: a measurable share of a short request's CPU.
 */
/**
 * The URL as logged: a query's values are customer data (a search, a filter on a name), so only the
 * parameters' names stay (`/api/artists?q=…&limit=…`).
 */
export function withoutQueryValues(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const names = url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=…`);
  return `${url.slice(0, at)}?${names.join('&')}`;
}

export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = Date.now();
    const request = { method: req.method, url: withoutQueryValues(req.url) };
    const log = logger.child({ req: request, requestId: req.requestId });
    req.log = log;
    if (!QUIET.has(req.url)) {
      res.once('finish', () => {
        const responseTime = Date.now() - started;
        const status = res.statusCode;
        if (status >= 500) log.info({ res: { statusCode: status }, err: new Error(`failed with status code ${status}`), responseTime }, 'request errored');
        else log.info({ res: { statusCode: status }, responseTime }, 'request completed');
      });
    }
    next();
  };
}
