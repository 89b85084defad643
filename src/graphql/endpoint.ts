import type http from 'node:http';
import { LRUCache } from 'lru-cache';
import express, { NextFunction, Request, Response, Router } from 'express';
import { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import type { Logger } from 'pino';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import processRequest from 'graphql-upload/processRequest.mjs';
import type { Config } from '../config';
import type { RequestContext, RequestContextBuilder } from '../auth/request-context';
import { BadRequestError, DomainError, ErrorCode, STATUS_BY_CODE, UnsupportedMediaTypeError, ValidationError } from '../shared/errors';
import { fromParserError, hasBody } from '../core/framing';
import { findUnsafeText } from '../core/input-text';
import { costLimitPlugin } from './cost';
import { baseExecutor } from './executor';
import { formatGraphQLError, graphqlRequestId } from './errors';
import { GraphiqlHeaders, graphiqlRouter } from './graphiql';
import { isPublicOperation } from './public-operations';
import type { BaseSchema } from './schema';

/** graphql-armor throws by default (a 500); report the refusal as an ordinary validation error. */
const reportAsValidationError = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/** The depth and alias limits of a document, on HTTP and on the subscriptions' WebSocket alike. */
export const documentLimitRules = (limits: Config['graphqlLimits']): ValidationRule[] => [
  maxDepthRule({ n: limits.maxDepth, ...reportAsValidationError }),
  maxAliasesRule({ n: limits.maxAliases, ...reportAsValidationError }),
];

/** Subscriptions run over the WebSocket (subscriptions-server.ts): over HTTP, an invalid document rather than an internal error. */
const noSubscriptions: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation === 'subscription') {
      context.reportError(new GraphQLError('Subscriptions are not supported over HTTP: open a WebSocket on /graphql (graphql-transport-ws)', { nodes: [node] }));
    }
  },
});

/**
 * graphql-upload's reading of a multipart body. Its own refusals carry a 4xx status; what the
 * multipart parser throws (a body cut short, a malformed part, no boundary) carries none and is a
 * malformed request too. The rest of the body is drained so the answer can be sent.
 */
const readMultipart: typeof processRequest = (req, res, options) =>
  processRequest(req, res, options).catch((err: { status?: number }) => {
    req.resume();
    throw typeof err?.status === 'number' ? err : new BadRequestError('Malformed multipart/form-data body');
  });

/** A request refused before Apollo: GraphQL's error shape (never REST's), with the right status. */
function sendGraphQLError(res: Response, requestId: string, code: ErrorCode, message: string, details?: unknown[]): void {
  res.status(STATUS_BY_CODE[code]).json({
    errors: [{ message, extensions: { code, requestId, ...(details ? { details } : {}) } }],
  });
}

/** A validation error in graphql-armor's terms (the depth and alias limits answer the same). */
class DocumentLimitError extends Error {}

/**
 * The document's size and token count, checked before Apollo parses it: graphql-armor's
 * token-counting parser stops at the limit instead of building a huge AST. Other syntax
 * errors are left to Apollo (GRAPHQL_PARSE_FAILED).
 */
function checkDocument(query: unknown, limits: Config['graphqlLimits'], accepted: LRUCache<string, true>): void {
  if (typeof query !== 'string' || accepted.has(query)) return;
  if (query.length > limits.maxDocumentLength) {
    throw new DocumentLimitError(`Document length limit of ${limits.maxDocumentLength} characters exceeded.`);
  }
  let refused: GraphQLError | null = null;
  try {
    new MaxTokensParserWLexer(query, {
      n: limits.maxTokens,
      exposeLimits: true,
      propagateOnRejection: true,
      onReject: [(_context, error) => void (refused = error)],
    }).parseDocument();
  } catch {
    /* a syntax error: Apollo reports it */
  }
  if (refused) throw new DocumentLimitError((refused as GraphQLError).message.replace(/^Syntax Error: /, ''));
  accepted.set(query, true);
}

/** Headers a browser sends cross-site only after a CORS preflight (Apollo's CSRF prevention). */
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization', 'x-org'];

export interface GraphQLEndpoint {
  router: Router;
  apollo: ApolloServer<RequestContext>;
}

/**
 * `/graphql`: GraphiQL for browsers, then Apollo Server. The request context is built before
 * execution, so token, x-org, Auth and module failures end the request with the same status and
 * code as REST; a public operation (`_service`) gets an anonymous context.
 */
export async function createGraphQLEndpoint(options: {
  config: Config;
  logger: Logger;
  schema: BaseSchema;
  httpServer: http.Server;
  contextBuilder: RequestContextBuilder;
  resolveContext: (req: Request) => Promise<RequestContext>;
  graphiqlHeaders?: GraphiqlHeaders;
  /** Extra Apollo plugins (metrics). */
  plugins?: ApolloServerPlugin<RequestContext>[];
}): Promise<GraphQLEndpoint> {
  const { config, logger } = options;
  const apollo = new ApolloServer<RequestContext>({
    // Base's schema with its own executor (leaf rules checked once per operation, see executor.ts).
    gateway: baseExecutor(options.schema),
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.debug(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
    // GRAPHQL_INTROSPECTION (off in production): `__schema`/`__type` are refused, and errors lose their
    // "Did you mean" hints (formatError), which would spell the schema out name by name; the router
    // still reads it through `_service { sdl }`, an ordinary field.
    introspection: config.graphqlIntrospection,
    // Nested relations make arbitrarily deep or aliased queries possible; refuse them before they run.
    validationRules: [...documentLimitRules(config.graphqlLimits), noSubscriptions],
    includeStacktraceInErrorResponses: false,
    formatError: formatGraphQLError(logger, { hideSuggestions: !config.graphqlIntrospection }),
    // GET queries are part of the contract. A browser can only send `authorization` or `x-org`
    // after a CORS preflight, so their presence proves the request is not a simple cross-site one,
    // exactly like Apollo's own preflight headers do.
    csrfPrevention: { requestHeaders: PREFLIGHT_HEADERS },
    stopOnTerminationSignals: false, // main.ts owns shutdown
    plugins: [
      // Stopping Apollo stops the whole listener: REST requests in flight finish too.
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs }),
      ApolloServerPluginLandingPageDisabled(),
      // Answers are per user and company, never cacheable by a CDN; the plugin's per-field hook
      // was a third of a large list's execution time (npm run bench).
      ApolloServerPluginCacheControlDisabled(),
      // The product of nested page sizes, refused before execution (it depends on the variables).
      costLimitPlugin(config.graphqlLimits.maxCost),
      {
        // A root field that could not reach the database: 503 when nothing else answered.
        async requestDidStart() {
          return {
            async willSendResponse({ response }) {
              if (response.body.kind !== 'single') return;
              const { data, errors } = response.body.singleResult;
              const unavailable = errors?.some((e) => e.extensions?.code === 'DATABASE_UNAVAILABLE');
              const answered = data && Object.values(data).some((v) => v !== null);
              if (unavailable && !answered) response.http.status = STATUS_BY_CODE.DATABASE_UNAVAILABLE;
            },
          };
        },
      },
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  // Documents within the limits, by their text: a repeated query is not tokenised again.
  const accepted = new LRUCache<string, true>({ max: 1000, maxSize: 4_000_000, sizeCalculation: (_v, text) => text.length });
  const router = Router();
  if (config.graphiql) router.use(graphiqlRouter(options.graphiqlHeaders));
  router.use(
    (req: Request, _res: Response, next: NextFunction) => {
      // Apollo only reads JSON bodies, and uploads (multipart) through graphql-upload; anything else
      // would be answered as a missing query.
      if (req.method === 'POST' && hasBody(req) && req.is(['application/json', 'application/*+json', 'multipart/form-data']) === false) {
        return next(new UnsupportedMediaTypeError('Content-Type must be application/json (or multipart/form-data for an upload)'));
      }
      // A form is what a cross-site page can post without a preflight: refused before a byte of it
      // is read unless a header proves the preflight (the same rule Apollo applies to the rest).
      if (req.is('multipart/form-data') && !PREFLIGHT_HEADERS.some((h) => req.headers[h] !== undefined)) {
        return next(new BadRequestError(`A multipart request needs the header apollo-require-preflight (or ${PREFLIGHT_HEADERS.filter((h) => h !== 'apollo-require-preflight').join(', ')})`));
      }
      next();
    },
    express.json({ limit: config.bodyLimit }),
    async (req: Request, _res: Response, next: NextFunction) => {
      try {
        req.baseContext = isPublicOperation(req)
          ? options.contextBuilder.anonymous(req.requestId, req.log)
          : await options.resolveContext(req);
        next();
      } catch (err) {
        next(err);
      }
    },
    // Only a caller known to Auth gets its upload read (spooled to a temporary file as it arrives).
    // (busboy underneath calls a file that reaches maxFileSize too large: the limit itself is allowed.)
    graphqlUploadExpress({ processRequest: readMultipart, maxFileSize: config.fileMaxBytes + 1, maxFiles: 1 }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const params = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown> | undefined;
        checkDocument(params?.query, config.graphqlLimits, accepted);
        const unsafe = findUnsafeText(params?.variables, ['variables']) ?? findUnsafeText(params?.operationName, ['operationName']);
        if (unsafe) throw new ValidationError([unsafe]);
        graphqlRequestId.run(req.requestId, next);
      } catch (err) {
        if (err instanceof DocumentLimitError) {
          return void res.status(400).json({
            errors: [{ message: err.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: req.requestId } }],
          });
        }
        next(err);
      }
    },
    expressMiddleware(apollo, { context: async ({ req }) => req.baseContext! }),
  );
  // Framing failures (JSON that does not parse, a body too large, a wrong content type) in GraphQL's shape.
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof DomainError) return sendGraphQLError(res, req.requestId, err.code, err.message, err.details);
    const parser = fromParserError(err as { type?: string; status?: number });
    if (parser) return sendGraphQLError(res, req.requestId, parser.code, parser.message);
    logger.error({ err, requestId: req.requestId }, 'unhandled error');
    sendGraphQLError(res, req.requestId, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  });
  return { router, apollo };
}
