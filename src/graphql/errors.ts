import { AsyncLocalStorage } from 'node:async_hooks';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { DomainError, RateLimitedError } from '../shared/errors';
import { asDatabaseUnavailable } from '../db/availability';
import { asDataException } from '../db/pg-errors';

/** The request id of the GraphQL request being answered, for errors Apollo formats outside any context. */
export const graphqlRequestId = new AsyncLocalStorage<string>();

const withRequestId = (extensions: Record<string, unknown>): Record<string, unknown> => {
  const requestId = graphqlRequestId.getStore();
  return requestId ? { ...extensions, requestId } : extensions;
};

/**
 * The one place a domain error becomes a GraphQL error: its code goes to `extensions.code`
 * (the same string REST puts in `error.code`), with the request id beside it. Anything
 * unexpected is logged and masked.
 */
export function formatGraphQLError(logger: Logger, options: { hideSuggestions?: boolean } = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let original = unwrapResolverError(error);
    const unavailable = asDatabaseUnavailable(original);
    if (unavailable) {
      logger.warn({ err: original }, 'database unavailable');
      original = unavailable;
    }
    const refused = asDataException(original);
    if (refused) {
      // A value a validator let through; its SQLSTATE only (the message may quote the value).
      logger.warn({ sqlState: (original as { code: string }).code }, 'value refused by the database');
      original = refused;
    }
    if (original instanceof DomainError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: withRequestId({
          code: original.code,
          ...(original.details ? { details: original.details } : {}),
          ...(original instanceof RateLimitedError ? { retryAfter: original.retryAfterSeconds } : {}),
        }),
      };
    }
    const code = formatted.extensions?.code;
    // Apollo's own request refusals without a code (a persisted-query hash that does not match its
    // query, an unsupported persisted-query version) carry a 4xx status: the client's fault.
    const status = original instanceof GraphQLError ? (original.extensions?.http as { status?: number } | undefined)?.status : undefined;
    if ((code === 'INTERNAL_SERVER_ERROR' || code === undefined) && status && status >= 400 && status < 500) {
      return { message: formatted.message, locations: formatted.locations, extensions: withRequestId({ code: 'BAD_REQUEST' }) };
    }
    if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
      logger.error({ err: original }, 'unhandled GraphQL error');
      return { message: 'Internal server error', path: formatted.path, extensions: withRequestId({ code: 'INTERNAL_SERVER_ERROR' }) };
    }
    // Validation and variable errors suggest names ("Did you mean \"status\"?"): the schema, piece by piece.
    const message = options.hideSuggestions ? formatted.message.replace(/ ?Did you mean .+\?$/, '') : formatted.message;
    return { ...formatted, message, extensions: withRequestId({ ...formatted.extensions }) };
  };
}
