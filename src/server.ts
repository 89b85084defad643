import type { Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AccessClient } from './auth/access-client';
import { RequestContextBuilder } from './auth/request-context';
import { TokenVerifier } from './auth/token-verifier';
import type { Config } from './config';
import { openDatabase } from './db/data-source';
import type { GraphiqlHeaders } from './graphql/graphiql';
import { buildBaseSchema, BaseSchema } from './graphql/schema';
import { BaseApp, createApp } from './http/app';
import { apiRoutes } from './http/openapi';
import type { RouteDef } from './http/rest';
import { Metrics } from './metrics/metrics';
import { MODULES } from './modules';

export interface BaseServer extends BaseApp {
  dataSource: DataSource;
  schema: BaseSchema;
  /** Every REST route mounted under /api. */
  routes: RouteDef[];
  /** The address it listens on (useful with PORT=0). */
  url: string;
  metrics: Metrics;
  /** The separate metrics listener's address (METRICS_PORT), if any. */
  metricsUrl: string | null;
  /** Graceful stop: refuse new work, finish in-flight requests, close the pool. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  config: Config;
  logger: Logger;
  /** The resolved database URL and Auth URLs (the dev default fills them in). */
  databaseUrl: string;
  jwksUrl: string;
  authUrl: string;
  devRouter?: Router;
  /** The dev default's GraphiQL headers, made per page load. */
  graphiqlHeaders?: GraphiqlHeaders;
}

export async function startServer(options: ServerOptions): Promise<BaseServer> {
  const { config, logger } = options;
  const metrics = new Metrics();
  const dataSource = await openDatabase({
    url: options.databaseUrl,
    schema: config.database.schema,
    poolMax: config.database.poolMax,
    statementTimeoutMs: config.database.statementTimeoutMs,
    logger,
  });
  const verifier = new TokenVerifier({
    jwksUrl: options.jwksUrl,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
  });
  const access = new AccessClient({
    authUrl: options.authUrl,
    timeoutMs: config.auth.timeoutMs,
    cacheTtlMs: config.auth.cacheTtlMs,
    logger,
    metrics: metrics.access,
  });
  metrics.watchDatabase(dataSource);
  const schema = await buildBaseSchema(MODULES);
  const routes = apiRoutes(MODULES.flatMap((m) => m.routes), schema.unguarded);
  const base = await createApp({
    config,
    logger,
    dataSource,
    contextBuilder: new RequestContextBuilder(verifier, access, dataSource),
    schema,
    routes,
    devRouter: options.devRouter,
    graphiqlHeaders: options.graphiqlHeaders,
    metrics,
  });

  await new Promise<void>((resolve, reject) => {
    base.httpServer.once('error', reject);
    base.httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = base.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  const metricsListener = config.metrics.port === null ? null : await metrics.listen(config.metrics.port, config.host);

  let stopping: Promise<void> | null = null;
  return {
    ...base,
    dataSource,
    schema,
    routes,
    url,
    metrics,
    metricsUrl: metricsListener?.url ?? null,
    stop() {
      stopping ??= (async () => {
        await base.drain();
        await metricsListener?.close();
        await dataSource.destroy();
      })();
      return stopping;
    },
  };
}
