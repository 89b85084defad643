import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { UnauthenticatedError } from '../shared/errors';

/**
 * Prometheus metrics of one Base instance (one registry per instance: tests run several in one
 * process). docs/metrics.md lists every metric and what it means. More gauges (jobs by state) go
 * through `gauge()`: a callback read at scrape time.
 */
export class Metrics {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to the end of the answer, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly graphqlOperations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations, by operation name, type and result (success or the first error code).',
    labelNames: ['operation', 'type', 'result'] as const,
    registers: [this.registry],
  });
  private readonly graphqlDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time to answer a GraphQL operation, by operation name and result.',
    labelNames: ['operation', 'result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly accessCalls = new Histogram({
    name: 'auth_effective_access_duration_seconds',
    help: 'Calls to Auth for effective access, by outcome (granted, unauthenticated, forbidden, unavailable).',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
  private readonly accessCache = new Counter({
    name: 'auth_effective_access_cache_total',
    help: 'Effective-access look-ups answered from the cache (hit) or by calling Auth (miss).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly statementDuration = new Histogram({
    name: 'db_statement_duration_seconds',
    help: 'SQL statements sent to PostgreSQL, by result (ok or error).',
    labelNames: ['result'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  private readonly jobsFinished = new Counter({
    name: 'jobs_finished_total',
    help: 'Background jobs this instance finished for good, by status (done, or failed after their last attempt).',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  private readonly subscriptionDeliveries = new Counter({
    name: 'graphql_subscription_deliveries_total',
    help: 'Values sent to GraphQL subscribers (WebSocket), by subscription field.',
    labelNames: ['subscription'] as const,
    registers: [this.registry],
  });
  private readonly subscriptionDrops = new Counter({
    name: 'graphql_subscription_drops_total',
    help: 'Subscription sockets this instance closed or refused, by reason (slow_consumer, too_many_connections, unauthenticated, forbidden, access_unavailable).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  /** Client-chosen operation names are capped so a caller cannot grow the label set without end. */
  private readonly operationNames = new Set<string>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge whose values are read at scrape time (`set` one value per label combination). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect: (set: (labels: Record<L, string>, value: number) => void) => void | Promise<void>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        await collect((labels, value) => this.set(labels as never, value));
      },
    });
  }

  /** A value sent to a subscriber of `subscription`. */
  subscriptionDelivered(subscription: string): void {
    this.subscriptionDeliveries.inc({ subscription });
  }

  /** A subscription socket closed or refused by this instance, and why. */
  subscriptionDropped(reason: string): void {
    this.subscriptionDrops.inc({ reason });
  }

  /** The pool's connections by state, and every statement's latency. */
  watchDatabase(dataSource: DataSource): void {
    const pool = (dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
    this.gauge('db_pool_connections', 'Connections of the database pool, by state (in_use, idle, waiting: requests waiting for one).', ['state'], (set) => {
      if (!pool) return;
      set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      set({ state: 'idle' }, pool.idleCount);
      set({ state: 'waiting' }, pool.waitingCount);
    });
    const statementDuration = this.statementDuration;
    dataSource.subscribers.push({
      afterQuery(event: { success: boolean; executionTime?: number }) {
        statementDuration.observe({ result: event.success ? 'ok' : 'error' }, (event.executionTime ?? 0) / 1000);
      },
    } as never);
  }

  /** Counts and times every answer by route template (`/api/agencies/:id`), never the raw URL. */
  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const labels = { method: req.method, route: routeTemplate(req), status: String(res.statusCode) };
        this.httpRequests.inc(labels);
        this.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      });
      next();
    };
  }

  /** One background job finished for good on this instance (src/jobs/queue.ts `onFinished`). */
  jobFinished(status: 'done' | 'failed'): void {
    this.jobsFinished.inc({ status });
  }

  /** Hooks for the effective-access client (src/auth/access-client.ts). */
  readonly access = {
    cache: (hit: boolean) => this.accessCache.inc({ result: hit ? 'hit' : 'miss' }),
    call: (outcome: string, seconds: number) => this.accessCalls.observe({ outcome }, seconds),
  };

  /** GraphQL operations by name and result. */
  apolloPlugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => {
        const started = process.hrtime.bigint();
        return {
          willSendResponse: async ({ operation, operationName, errors, response }) => {
            const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
            const allErrors = errors ?? body?.errors ?? [];
            const first = allErrors[0] as { extensions?: { code?: unknown } } | undefined;
            const result = first ? String(first.extensions?.code ?? 'ERROR') : 'success';
            const name = this.operationLabel(operation ? operationName ?? '(anonymous)' : '(invalid)');
            this.graphqlOperations.inc({ operation: name, type: operation?.operation ?? 'none', result });
            this.graphqlDuration.observe({ operation: name, result }, Number(process.hrtime.bigint() - started) / 1e9);
          },
        };
      },
    };
  }

  private operationLabel(name: string): string {
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= 200) return '(other)';
    this.operationNames.add(name);
    return name;
  }

  async scrape(res: Response): Promise<void> {
    res.setHeader('content-type', this.registry.contentType);
    res.end(await this.registry.metrics());
  }

  /**
   * `GET /metrics` on the public port: only with `Authorization: Bearer <METRICS_TOKEN>`; without a
   * configured token the public port has no such route (404), so nothing is exposed by accident.
   */
  publicHandler(token: string | null) {
    return async (req: Request, res: Response, next: NextFunction) => {
      if (!token) return next();
      const sent = Buffer.from((req.get('authorization') ?? '').replace(/^Bearer\s+/i, ''));
      const expected = Buffer.from(token);
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
        throw new UnauthenticatedError('GET /metrics needs the metrics bearer token');
      }
      await this.scrape(res);
    };
  }

  /** The separate metrics listener (METRICS_PORT): `GET /metrics` without a token, nothing else. */
  async listen(port: number, host: string): Promise<{ url: string; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
      if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') {
        this.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as { port: number };
    return {
      url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}`,
      close: () => new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    };
  }
}

/**
 * The matched route's template (`/api/agencies/:id`); a mounted router's prefix; else `unmatched`.
 * After an error has left the router, `baseUrl` is reset: the prefix is then the part of the path
 * before the segments the route template matched.
 */
function routeTemplate(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') {
    const template = route.path;
    let prefix = req.baseUrl;
    if (!template.includes('*')) {
      const segments = req.originalUrl.split('?')[0].replace(/\/+$/, '').split('/');
      const matched = template.split('/').length - 1;
      prefix = segments.slice(0, Math.max(1, segments.length - matched)).join('/');
    }
    return `${prefix}${template}` || '/';
  }
  return req.baseUrl || 'unmatched';
}
