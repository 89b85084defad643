import type http from 'node:http';
import express, { NextFunction, Request, Response, Router } from 'express';
import type { GraphQLError, ValidationContext } from 'graphql';
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
import type { Config } from '../config';
import type { RequestContext, RequestContextBuilder } from '../auth/request-context';
import { DomainError } from '../core/errors';
import { STATUS_BY_CODE } from '../http/errors';
import { formatGraphQLError } from './errors';
import { GraphiqlHeaders, graphiqlRouter } from './graphiql';
import { isPublicOperation } from './public-operations';
import type { BaseSchema } from './schema';

/** graphql-armor throws by default (a 500); report the refusal as an ordinary validation error. */
const reportAsValidationError = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

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
    schema: options.schema.schema,
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.debug(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
    introspection: true,
    // Nested relations make arbitrarily deep or aliased queries possible; refuse them before they run.
    validationRules: [
      maxDepthRule({ n: config.graphqlLimits.maxDepth, ...reportAsValidationError }),
      maxAliasesRule({ n: config.graphqlLimits.maxAliases, ...reportAsValidationError }),
    ],
    includeStacktraceInErrorResponses: false,
    formatError: formatGraphQLError(logger),
    // GET queries are part of the contract. A browser can only send `authorization` or `x-org`
    // after a CORS preflight, so their presence proves the request is not a simple cross-site one,
    // exactly like Apollo's own preflight headers do.
    csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization', 'x-org'] },
    stopOnTerminationSignals: false, // main.ts owns shutdown
    plugins: [
      // Stopping Apollo stops the whole listener: REST requests in flight finish too.
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs }),
      ApolloServerPluginLandingPageDisabled(),
      // Answers are per user and company, never cacheable by a CDN; the plugin's per-field hook
      // was a third of a large list's execution time (npm run bench).
      ApolloServerPluginCacheControlDisabled(),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  const router = Router();
  if (config.graphiql) router.use(graphiqlRouter(options.graphiqlHeaders));
  router.use(
    express.json({ limit: config.bodyLimit }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        req.baseContext = isPublicOperation(req)
          ? options.contextBuilder.anonymous(req.requestId, req.log)
          : await options.resolveContext(req);
        next();
      } catch (err) {
        if (!(err instanceof DomainError)) return next(err);
        res.status(STATUS_BY_CODE[err.code]).json({
          errors: [{ message: err.message, extensions: { code: err.code, requestId: req.requestId } }],
        });
      }
    },
    expressMiddleware(apollo, { context: async ({ req }) => req.baseContext! }),
  );
  return { router, apollo };
}
