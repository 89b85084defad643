import type { Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AccessClient } from './auth/access-client';
import { RequestContextBuilder } from './auth/request-context';
import { TokenVerifier } from './auth/token-verifier';
import type { Config } from './config';
import { Composition } from './core/composition';
import type { Module } from './core/module';
import { closeDatabase, openCrossCompanyDatabase, openDatabase } from './db/data-source';
import { createGraphQLEndpoint } from './graphql/endpoint';
import { startSubscriptionsServer, type SubscriptionsServer } from './graphql/subscriptions-server';
import { ChangeListener } from './db/change-feed';
import type { GraphiqlHeaders } from './graphql/graphiql';
import { buildBaseSchema, BaseSchema } from './graphql/schema';
import { createApp } from './http/app';
import { type FamilyRouteOptions, routeOptions } from './http/families';
import { moduleRoutes } from './http/modules';
import { apiRoutes } from './http/openapi';
import { registerUpkeep } from './jobs/upkeep';
import { registerFamilyJobs } from './core/family-jobs';
import { JobQueue } from './jobs/queue';
import { jobQueueSchema } from '../migrations/support/job-queue';
import type { RouteDef } from './http/rest';
import { Metrics } from './metrics/metrics';
import { MODULES } from './modules';
import { ENTITIES } from './entities';
import type { ClassType } from './db/class-type';
import { Clock, systemClock } from './shared/clock';

/** The whole service, composed: both surfaces made from the families, over one database. */
export interface BaseServer {
  app: import('express').Express;
  httpServer: import('node:http').Server;
  apollo: import('@apollo/server').ApolloServer<import('./auth/request-context').RequestContext>;
  dataSource: DataSource;
  schema: BaseSchema;
  /** Every REST route mounted under /api. */
  routes: RouteDef[];
  /** Background jobs: register handlers, enqueue, `runOnce()`; taking jobs on its own only when JOBS is on. */
  jobs: JobQueue;
  /** The address it listens on (useful with PORT=0). */
  url: string;
  metrics: Metrics;
  /** GraphQL subscriptions over WebSocket on /graphql: `check()` re-checks every socket's token and access now. */
  subscriptions: SubscriptionsServer;
  /** The clock every domain rule, sweep and cache of this server reads the time from. */
  clock: Clock;
  /** Its modules' parts (event handlers, notices, families, configured clients), which its scopes carry. */
  composition: Composition;
  /** The separate metrics listener's address (METRICS_PORT), if any. */
  metricsUrl: string | null;
  /** Graceful stop: refuse new work, finish in-flight requests and jobs, close the pool. */
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
  /** The families to serve (tests add fixture families); default: all of Base's. */
  modules?: Module[];
  /** Entities beyond the families' (fixture families' tables). */
  extraEntities?: ClassType[];
  /** Migrations beyond Base's own, applied after them (fixture families' tables). */
  extraMigrations?: ClassType[];
  /** Where domain code, the sweeps and the token and access caches read the time; default the machine's (tests move one). */
  clock?: Clock;
}

/** Everything Base serves, from the families and the kit, as REST routes (with the OpenAPI route). */
export function composeRoutes(modules: Module[], schema: BaseSchema, options?: FamilyRouteOptions): RouteDef[] {
  return apiRoutes(moduleRoutes(modules, options), schema.unguarded);
}

export async function startServer(options: ServerOptions): Promise<BaseServer> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const modules = options.modules ?? MODULES;
  // This server's parts (handlers, notices, families, configured modules): passed down, never global.
  const composition = new Composition(modules, config, logger);
  const metrics = new Metrics();
  const databaseOptions = {
    entities: [...ENTITIES, ...(options.extraEntities ?? [])],
    extraMigrations: options.extraMigrations,
    url: options.databaseUrl,
    schema: config.database.schema,
    poolMax: config.database.poolMax,
    statementTimeoutMs: config.database.statementTimeoutMs,
    connectTimeoutMs: config.database.connectTimeoutMs,
    queryTimeoutMs: config.database.queryTimeoutMs,
    runtimeRole: config.database.runtimeRole,
    requireRowLevelSecurity: config.production,
    historyRetentionMonths: config.database.historyRetentionMonths,
    migrate: config.database.migrate,
    logger,
  };
  const dataSource = await openDatabase(databaseOptions);
  // The job queue's connections (its LISTEN, taking and recording jobs) and the sweeps' statements
  // across companies: about one per concurrent job, and a few of the queue's own.
  const crossCompany = await openCrossCompanyDatabase({
    ...databaseOptions,
    url: config.database.jobsUrl ?? options.databaseUrl,
    poolMax: config.jobs.concurrency + 3,
  }).catch(async (err) => {
    await closeDatabase(dataSource);
    throw err;
  });
  const verifier = new TokenVerifier({
    jwksUrl: options.jwksUrl,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    jwksCacheMaxAgeMs: config.auth.jwksMaxAgeMs,
    jwksCooldownMs: config.auth.jwksCooldownMs,
    clock,
  });
  const access = new AccessClient({
    authUrl: options.authUrl,
    timeoutMs: config.auth.timeoutMs,
    cacheTtlMs: config.auth.cacheTtlMs,
    logger,
    metrics: metrics.access,
    clock,
  });
  metrics.watchDatabase(dataSource);
  const schema = await buildBaseSchema(modules, { maxEntities: config.graphqlLimits.maxEntities });
  const familyRouteOptions = routeOptions(config);
  metrics.gauge('file_uploads_in_progress', 'Uploads receiving their body on this instance (at most FILE_UPLOADS_MAX_CONCURRENT).', [], (set) =>
    set({}, familyRouteOptions.uploadSlots.inProgress),
  );
  const routes = composeRoutes(modules, schema, familyRouteOptions);
  const contextBuilder = new RequestContextBuilder(verifier, access, dataSource, config.listing, clock, composition);
  const base = createApp({ config, logger, dataSource, contextBuilder, routes, devRouter: options.devRouter, metrics });
  const graphql = await createGraphQLEndpoint({
    config,
    logger,
    schema,
    httpServer: base.httpServer,
    contextBuilder,
    resolveContext: base.resolveContext,
    graphiqlHeaders: options.graphiqlHeaders,
    plugins: [metrics.apolloPlugin()],
  });
  base.app.use('/graphql', graphql.router);
  base.finish();
  // Committed changes of every instance (LISTEN), for the subscriptions of this one.
  const changes = new ChangeListener({
    url: options.databaseUrl,
    logger,
    connectTimeoutMs: config.database.connectTimeoutMs,
    applicationName: `kisum-base changes ${config.database.schema}`,
  });
  try {
    await changes.start();
  } catch (err) {
    await graphql.apollo.stop().catch(() => undefined);
    await Promise.all([closeDatabase(dataSource), closeDatabase(crossCompany)]);
    throw err;
  }
  const subscriptions = startSubscriptionsServer({ httpServer: base.httpServer, schema, contextBuilder, changes, config, logger, clock, metrics });

  await new Promise<void>((resolve, reject) => {
    base.httpServer.once('error', reject);
    base.httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = base.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  // The queue's schema is the migrations' (its start refuses one that is missing or behind the library).
  const jobs = new JobQueue({
    crossCompany,
    schema: jobQueueSchema(config.database.schema),
    logger,
    pollMs: config.jobs.pollMs,
    concurrency: config.jobs.concurrency,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    onFinished: (status) => metrics.jobFinished(status),
    clock,
  });
  registerFamilyJobs(jobs, composition, dataSource, config);
  registerUpkeep(jobs, config, logger);
  metrics.gauge('jobs', 'Background jobs waiting (pending) or running, all instances.', ['status'], async (set) => {
    for (const [status, n] of Object.entries(await jobs.counts())) set({ status }, n);
  });
  try {
    if (config.jobs.enabled) await jobs.start();
  } catch (err) {
    await subscriptions.close();
    await changes.close();
    await graphql.apollo.stop().catch(() => undefined);
    await Promise.all([closeDatabase(dataSource), closeDatabase(crossCompany)]);
    throw err;
  }
  const metricsListener = config.metrics.port === null ? null : await metrics.listen(config.metrics.port, config.host);

  let stopping: Promise<void> | null = null;
  return {
    app: base.app,
    httpServer: base.httpServer,
    apollo: graphql.apollo,
    dataSource,
    schema,
    routes,
    jobs,
    url,
    metrics,
    subscriptions,
    clock,
    composition,
    metricsUrl: metricsListener?.url ?? null,
    stop() {
      stopping ??= (async () => {
        base.startDraining();
        // The queue takes no new job from the moment the stop begins; a running one finishes (or is
        // handed back at the shutdown timeout) while the rest stops.
        const jobsStopped = jobs.stop();
        // Sockets next (1001, going away): they would keep the listener open, and read through the pool.
        await subscriptions.close();
        await changes.close();
        // Apollo's drain plugin stops the listener, lets in-flight requests (REST too) finish, then
        // closes idle sockets. The pools close last.
        await Promise.all([graphql.apollo.stop(), jobsStopped]);
        await metricsListener?.close();
        await Promise.all([closeDatabase(dataSource), closeDatabase(crossCompany)]);
      })();
      return stopping;
    },
  };
}
