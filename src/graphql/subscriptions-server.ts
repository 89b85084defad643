import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import {
  createSourceEventStream,
  DocumentNode,
  execute,
  ExecutionArgs,
  ExecutionResult,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import type { RequestContext, RequestContextBuilder, RequestHeaders } from '../auth/request-context';
import type { Config } from '../config';
import type { SubscriptionDef } from '../core/subscriptions';
import type { Change, ChangeListener } from '../db/change-feed';
import type { Metrics } from '../metrics/metrics';
import type { Clock } from '../shared/clock';
import { AccessUnavailableError, BadRequestError, ForbiddenError, UnauthenticatedError } from '../shared/errors';
import { operationCost } from './cost';
import { documentLimitRules } from './endpoint';
import { formatGraphQLError } from './errors';
import type { BaseSchema } from './schema';
import { type Delivery, followedBy, type Follower } from './subscriptions';

/**
 * Close codes: graphql-ws's where it has one (4400 bad request, 4401, 4403), Base's for the rest
 * (4429 a slow consumer dropped, 4503 Auth unreachable: the socket fails closed), 1001 on shutdown.
 */
export const CLOSE = { badRequest: 4400, unauthorized: 4401, forbidden: 4403, slowConsumer: 4429, accessUnavailable: 4503, goingAway: 1001 } as const;

/** Bytes waiting to be sent on one socket past which its reader is too slow and it is dropped. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** The longest a timer may wait in Node (about 24.8 days): a later expiry is armed again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** Why a socket is refused or closed, from the error its context could not be built with. */
function closeFor(err: unknown): { code: number; reason: string; drop: string } | null {
  if (err instanceof UnauthenticatedError) return { code: CLOSE.unauthorized, reason: 'Unauthorized', drop: 'unauthenticated' };
  if (err instanceof ForbiddenError) return { code: CLOSE.forbidden, reason: 'Forbidden', drop: 'forbidden' };
  if (err instanceof BadRequestError) return { code: CLOSE.badRequest, reason: err.message.slice(0, 120), drop: 'bad_request' };
  if (err instanceof AccessUnavailableError) return { code: CLOSE.accessUnavailable, reason: 'Access could not be resolved', drop: 'access_unavailable' };
  return null;
}

/** The verifier allows a little clock skew past `exp`; a socket closes at `exp` itself. */
const expiredBy = (clock: Clock, context: RequestContext): boolean =>
  context.tokenExpiresAt !== null && context.tokenExpiresAt * 1000 <= clock.now().getTime();

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

interface Hub {
  contextBuilder: RequestContextBuilder;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  maxQueue: number;
  forget(connection: Connection): void;
}

/**
 * One socket, after its `connection_init`: who it is (the payload's `authorization` and `x-org`, or
 * the upgrade request's headers), and its live subscriptions. Every operation and every delivery is
 * answered in a context built again from those headers, so the caller's access is what the access
 * cache holds now (re-resolved from Auth at its TTL); once the token expires or access is lost, the
 * socket is closed with 4401 or 4403.
 */
class Connection implements Follower {
  readonly streams = new Set<ChangeStream>();
  private expiry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly hub: Hub,
    readonly socket: WebSocket,
    private readonly headers: RequestHeaders,
    /** The access last resolved: the company it is in, and what `concerns` reads. */
    public access: RequestContext,
  ) {
    this.armExpiry();
  }

  get companyId(): string {
    return this.access.caller.companyId;
  }

  /** A context for one operation or delivery; null when the socket has been closed (for this or before). */
  async freshContext(): Promise<RequestContext | null> {
    if (this.closed) return null;
    let context: RequestContext;
    try {
      context = await this.hub.contextBuilder.build(this.headers, randomUUID(), this.hub.logger);
    } catch (err) {
      const close = closeFor(err);
      if (!close) throw err;
      this.close(close.code, close.reason, close.drop);
      return null;
    }
    if (expiredBy(this.hub.clock, context)) {
      this.close(CLOSE.unauthorized, 'Token expired', 'unauthenticated');
      return null;
    }
    if (this.closed) return null;
    this.access = context;
    return context;
  }

  /** A timer for the token's expiry, by the clock: then the socket is checked (and closed). */
  private armExpiry(): void {
    if (this.expiry) clearTimeout(this.expiry);
    if (this.access.tokenExpiresAt === null) return;
    const wait = Math.max(0, this.access.tokenExpiresAt * 1000 - this.hub.clock.now().getTime());
    this.expiry = setTimeout(() => void this.check(), Math.min(wait, MAX_TIMER_MS));
    this.expiry.unref();
  }

  /** Build the context again: a token that expired or access that was lost closes the socket. */
  async check(): Promise<void> {
    try {
      if (await this.freshContext()) this.armExpiry();
    } catch (err) {
      this.hub.logger.warn({ err }, 'subscription socket check failed');
    }
  }

  follow(def: SubscriptionDef, input: Record<string, unknown>): AsyncIterable<Delivery> {
    const stream = new ChangeStream(this, def, input, this.hub);
    this.streams.add(stream);
    return stream;
  }

  /** A change of this socket's company: each subscription that it may concern queues it. */
  dispatch(change: Change): void {
    for (const stream of this.streams) stream.push(change);
  }

  close(code: number, reason: string, drop?: string): void {
    if (this.closed) return;
    if (drop) this.hub.metrics.subscriptionDropped(drop);
    this.dispose();
    this.socket.close(code, reason);
  }

  /** The socket is gone: its subscriptions end, nothing more is queued for it. */
  dispose(): void {
    this.closed = true;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    for (const stream of [...this.streams]) void stream.return();
    this.hub.forget(this);
  }
}

/**
 * One subscription's source: the changes that may concern it, queued (at most SUBSCRIPTIONS_MAX_QUEUE:
 * a subscriber that cannot keep up is dropped, its socket closed with 4429, rather than buffered
 * without end), each read in a fresh context; a change that tells this subscriber nothing is skipped.
 * Its own iterator rather than an async generator: ending it (`return`) ends a pending wait at once.
 */
class ChangeStream implements AsyncIterableIterator<Delivery> {
  private readonly queue: Change[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  /** The identity of the last value sent (SubscriptionSpec.identity). */
  private lastSent: string | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly def: SubscriptionDef,
    private readonly input: Record<string, unknown>,
    private readonly hub: Hub,
  ) {}

  push(change: Change): void {
    if (this.ended || !this.def.concerns(change, this.input, this.connection.access.caller)) return;
    if (this.queue.length >= this.hub.maxQueue || this.connection.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      return this.connection.close(CLOSE.slowConsumer, 'Slow consumer', 'slow_consumer');
    }
    this.queue.push(change);
    this.wake?.();
  }

  async next(): Promise<IteratorResult<Delivery>> {
    while (!this.ended) {
      const change = this.queue.shift();
      if (!change) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      const context = await this.connection.freshContext();
      if (!context) return this.return();
      const value = await this.def.value(change, this.input, context.scope, context.caller);
      if (value === null || this.ended) continue;
      const identity = this.def.identity?.(value);
      if (identity !== undefined && identity === this.lastSent) continue;
      this.lastSent = identity;
      this.hub.metrics.subscriptionDelivered(this.def.name);
      return { done: false, value: { value, context } };
    }
    return DONE;
  }

  async return(): Promise<IteratorResult<Delivery>> {
    this.ended = true;
    this.queue.length = 0;
    this.wake?.();
    this.connection.streams.delete(this);
    return DONE;
  }

  async throw(err: unknown): Promise<IteratorResult<Delivery>> {
    await this.return();
    throw err;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Each source value executed with the selection, in the context it was read in (shield checks it there). */
function executeEach(source: AsyncIterable<Delivery>, args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> {
  const deliveries = source[Symbol.asyncIterator]();
  const results: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const delivery = await deliveries.next();
      if (delivery.done) return DONE;
      return { done: false, value: await execute({ ...args, rootValue: delivery.value, contextValue: delivery.value.context }) };
    },
    async return() {
      await deliveries.return?.();
      return DONE;
    },
    async throw(err: unknown) {
      await deliveries.return?.();
      throw err;
    },
    [Symbol.asyncIterator]: () => results,
  };
  return results;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';

/** A refusal of one subscribe message, in GraphQL's shape with Base's codes. */
const refusal = (message: string, code: string, extensions: Record<string, unknown> = {}) => new GraphQLError(message, { extensions: { code, ...extensions } });

export interface SubscriptionsServerOptions {
  httpServer: http.Server;
  schema: BaseSchema;
  contextBuilder: RequestContextBuilder;
  changes: ChangeListener;
  config: Config;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
}

export interface SubscriptionsServer {
  /** Subscriptions live on this instance now. */
  live(): number;
  /** Check every socket's token and access now (a timer does it at the access cache's TTL, and at each token's expiry). */
  check(): Promise<void>;
  /** Close every socket (1001) and stop accepting them. */
  close(): Promise<void>;
}

type Extra = { connection?: Connection };

/**
 * GraphQL subscriptions over WebSocket (graphql-ws, subprotocol `graphql-transport-ws`) on the same
 * path and port as `/graphql`. Operations run on the shielded schema; changes come from every
 * instance through the change listener and are handed to the sockets of the changed company only.
 */
export function startSubscriptionsServer(options: SubscriptionsServerOptions): SubscriptionsServer {
  const { config, logger, metrics } = options;
  const limits = config.subscriptions;
  const schema = options.schema.schema;
  const byCompany = new Map<string, Set<Connection>>();
  const hub: Hub = {
    contextBuilder: options.contextBuilder,
    logger,
    clock: options.clock,
    metrics,
    maxQueue: limits.maxQueue,
    forget(connection) {
      const sockets = byCompany.get(connection.companyId);
      sockets?.delete(connection);
      if (sockets?.size === 0) byCompany.delete(connection.companyId);
    },
  };
  const format = formatGraphQLError(logger, { hideSuggestions: !config.graphqlIntrospection });
  const formatted = (errors: readonly GraphQLError[]) => errors.map((e) => format(e.toJSON(), e));

  const wss = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: config.bodyLimit,
    // Past the limit the upgrade is answered 503 before any socket is made.
    verifyClient: (_info, accept) => (wss.clients.size >= limits.maxConnections ? (metrics.subscriptionDropped('too_many_connections'), accept(false, 503, 'Too many connections')) : accept(true)),
  });
  metrics.gauge('graphql_subscription_sockets', 'WebSocket connections open for GraphQL subscriptions on this instance (at most SUBSCRIPTIONS_MAX_CONNECTIONS).', [], (set) => set({}, wss.clients.size));
  const live = () => {
    let count = 0;
    for (const sockets of byCompany.values()) for (const connection of sockets) count += connection.streams.size;
    return count;
  };
  metrics.gauge('graphql_subscriptions', 'Live GraphQL subscriptions on this instance.', [], (set) => set({}, live()));

  // Each operation's stream, by its context (one per operation), from its start to its execution.
  const started = new WeakMap<RequestContext, AsyncIterable<Delivery>>();
  const connectionOf = (ctx: Context<Record<string, unknown> | undefined, Extra>): Connection => {
    if (!ctx.extra.connection) throw new Error('subscribe before connection_init was acknowledged');
    return ctx.extra.connection;
  };

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      async onConnect(ctx) {
        const params = ctx.connectionParams ?? {};
        const upgrade = ctx.extra.request.headers;
        const headers: RequestHeaders = {
          authorization: text(params.authorization) ?? text(params.Authorization) ?? upgrade.authorization,
          'x-org': text(params['x-org']) ?? upgrade['x-org'],
        };
        try {
          const access = await options.contextBuilder.build(headers, randomUUID(), logger);
          // Closed by the client while Auth answered: nothing to keep.
          if (ctx.extra.socket.readyState !== WebSocket.OPEN) return false;
          if (expiredBy(options.clock, access)) throw new UnauthenticatedError('Token expired');
          const connection = new Connection(hub, ctx.extra.socket, headers, access);
          ctx.extra.connection = connection;
          let sockets = byCompany.get(connection.companyId);
          if (!sockets) byCompany.set(connection.companyId, (sockets = new Set()));
          sockets.add(connection);
          return true;
        } catch (err) {
          const close = closeFor(err);
          if (!close) throw err;
          metrics.subscriptionDropped(close.drop);
          ctx.extra.socket.close(close.code, close.reason);
          return false;
        }
      },
      async onSubscribe(ctx, id, payload) {
        const connection = connectionOf(ctx);
        if (Object.keys(ctx.subscriptions).length > limits.maxPerConnection) {
          return [refusal(`At most ${limits.maxPerConnection} subscriptions on one connection (SUBSCRIPTIONS_MAX_PER_CONNECTION)`, 'RATE_LIMITED')];
        }
        if (payload.query.length > config.graphqlLimits.maxDocumentLength) {
          return [refusal(`Document length limit of ${config.graphqlLimits.maxDocumentLength} characters exceeded.`, 'GRAPHQL_VALIDATION_FAILED')];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: config.graphqlLimits.maxTokens });
        } catch (err) {
          return [refusal((err as Error).message, 'GRAPHQL_PARSE_FAILED')];
        }
        const invalid = validate(schema, document, [...specifiedRules, ...documentLimitRules(config.graphqlLimits)]);
        if (invalid.length) return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription') {
          return [refusal('Only subscriptions are served over the WebSocket: send queries and mutations over HTTP', 'BAD_REQUEST')];
        }
        const variables = payload.variables ?? {};
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
        if (coerced.errors) return coerced.errors.map((e) => refusal(e.message, 'BAD_USER_INPUT'));
        const cost = operationCost(schema, document, variables, payload.operationName ?? undefined);
        if (cost > config.graphqlLimits.maxCost) {
          return [refusal(`Query cost ${cost} exceeds the limit of ${config.graphqlLimits.maxCost}.`, 'GRAPHQL_VALIDATION_FAILED', { cost, maxCost: config.graphqlLimits.maxCost })];
        }
        const context = await connection.freshContext();
        if (!context) return [refusal('The connection is closing', 'UNAUTHENTICATED')];
        const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: variables, contextValue: followedBy(context, connection) };
        // Started here, so a refusal at the start (permission, arguments, an unknown id) is the
        // subscription's `error` message rather than a value.
        const stream = await createSourceEventStream(args);
        if (!isAsyncIterable(stream)) return stream.errors ?? [refusal('The subscription could not start', 'INTERNAL_SERVER_ERROR')];
        started.set(context, stream as AsyncIterable<Delivery>);
        return args;
      },
      subscribe(args) {
        const stream = started.get(args.contextValue as RequestContext);
        if (!stream) throw new Error('a subscription runs only after onSubscribe started it');
        return executeEach(stream, args);
      },
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: formatted(result.errors) } : undefined),
      onError: (_ctx, _id, _payload, errors) => formatted(errors),
      onClose(ctx) {
        ctx.extra.connection?.dispose();
      },
    },
    wss,
  );

  const unlisten = options.changes.onChange((change) => {
    const sockets = byCompany.get(change.companyId);
    if (sockets) for (const connection of sockets) connection.dispatch(change);
  });

  const check = async () => {
    const all = [...byCompany.values()].flatMap((sockets) => [...sockets]);
    // A few at a time: each may call Auth once its cached access has expired.
    for (let i = 0; i < all.length; i += 20) await Promise.all(all.slice(i, i + 20).map((c) => c.check()));
  };
  // Caller is re-resolved at the access cache's interval, whether or not anything changes.
  const checking = setInterval(() => void check(), Math.max(1000, config.auth.cacheTtlMs));
  checking.unref();

  return {
    live,
    check,
    async close() {
      clearInterval(checking);
      unlisten();
      await server.dispose();
    },
  };
}

