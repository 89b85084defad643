import { randomUUID } from 'node:crypto';
import http from 'node:http';
import cors from 'cors';
import express, { NextFunction, Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { RequestContext, RequestContextBuilder } from '../auth/request-context';
import type { Metrics } from '../metrics/metrics';
import { errorHandler, sendError } from './errors';
import { mountMethodNotAllowed, mountRoutes, RouteDef } from './rest';
import { requestLog } from './request-log';
import { RETIRED_GROUPS, retiredGroup } from './retired';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  contextBuilder: RequestContextBuilder;
  routes: RouteDef[];
  /** Dev-only routes (token minting); never passed in production. */
  devRouter?: Router;
  metrics?: Metrics;
}

/**
 * The HTTP application: request ids, logs, CORS, probes, retired groups and the REST layer under
 * `/api`. The composition (`src/server.ts`) mounts the GraphQL endpoint on it, then calls `finish()`.
 */
export interface HttpApp {
  app: express.Express;
  httpServer: http.Server;
  /** The request context of a request, built once and shared by both surfaces. */
  resolveContext(req: Request): Promise<RequestContext>;
  /** Answers 404 to anything not mounted, and turns errors into answers; mounted last. */
  finish(): void;
  /** From now on answers say `connection: close` and `/ready` is false. */
  startDraining(): void;
}

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    log: Logger;
    baseContext?: RequestContext;
  }
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** `/ready` answers within this even when the database does not answer at all. */
const READY_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  work.catch(() => {}); // a late failure after the timeout is not an unhandled rejection
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createApp(deps: AppDependencies): HttpApp {
  const { config, logger, dataSource, contextBuilder } = deps;
  const app = express();
  const httpServer = http.createServer(app);
  let draining = false;

  app.disable('x-powered-by');
  app.set('trust proxy', true);

  // Request id first: every answer carries one, the caller's own when it sent a sane one.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const sent = req.get('x-request-id');
    req.requestId = sent && REQUEST_ID.test(sent) ? sent : randomUUID();
    res.setHeader('x-request-id', req.requestId);
    if (draining) res.setHeader('connection', 'close');
    next();
  });
  if (deps.metrics) app.use(deps.metrics.httpMiddleware());
  app.use(requestLog(logger));

  if (config.corsOrigins.length) {
    app.use(
      cors({
        origin: config.corsOrigins.includes('*') ? true : config.corsOrigins,
        allowedHeaders: ['authorization', 'x-org', 'content-type', 'x-request-id', 'apollo-require-preflight'],
        exposedHeaders: ['x-request-id'],
        maxAge: 600,
      }),
    );
  }

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    if (draining) return void res.status(503).json({ status: 'shutting-down' });
    try {
      await withTimeout(dataSource.query('SELECT 1'), READY_TIMEOUT_MS);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database-unavailable' });
    }
  });

  // Off on the public port unless METRICS_TOKEN is set (then only with it); see METRICS_PORT.
  if (deps.metrics) app.get('/metrics', deps.metrics.publicHandler(config.metrics.token));

  // Retired groups answer before anything else (token or not, body or not).
  for (const group of RETIRED_GROUPS) app.use(`/api/${group}`, retiredGroup(group));

  if (deps.devRouter) app.use('/dev', express.json(), deps.devRouter);

  const resolveContext = async (req: Request): Promise<RequestContext> => {
    req.baseContext ??= await contextBuilder.build(req.headers, req.requestId, req.log, { ipAddress: req.ip ?? null, userAgent: req.get('user-agent') ?? null });
    return req.baseContext;
  };

  const anonymous = (req: Request) => contextBuilder.anonymous(req.requestId, req.log);
  const openLink = contextBuilder.linkScope.bind(contextBuilder);
  // Links that carry their own secret (a calendar feed): from the root, no token, no body.
  const rootRoutes = deps.routes.filter((r) => r.root);
  const links = Router();
  mountRoutes(links, rootRoutes, resolveContext, anonymous, openLink);
  mountMethodNotAllowed(links, rootRoutes);
  app.use(links);

  const apiRoutes = deps.routes.filter((r) => !r.root);
  const api = Router();
  api.use(express.json({ limit: config.bodyLimit, type: ['application/json', 'application/*+json'] }));
  mountRoutes(api, apiRoutes, resolveContext, anonymous, openLink);
  mountMethodNotAllowed(api, apiRoutes);
  api.use((req: Request, res: Response) => sendError(res, req.requestId, 'NOT_FOUND', `No route ${req.method} ${req.baseUrl}${req.path}`));
  app.use('/api', api);

  return {
    app,
    httpServer,
    resolveContext,
    finish() {
      app.use((req: Request, res: Response) => sendError(res, req.requestId, 'NOT_FOUND', `No route ${req.method} ${req.path}`));
      app.use(errorHandler(logger));
    },
    startDraining() {
      draining = true;
    },
  };
}
