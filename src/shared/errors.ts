/**
 * Domain errors: one type per failure kind. They carry a stable `code`; the status table below is
 * the one place a code becomes an HTTP status (REST answers and GraphQL requests refused before
 * execution), and GraphQL puts the same code in `extensions.code`.
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RANGE_NOT_SATISFIABLE'
  | 'MOVED_TO_AUTH'
  | 'ACCESS_UNAVAILABLE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'DATABASE_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'AI_UNAVAILABLE'
  | 'INTEGRATION_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export interface FieldIssue {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  /** Extra, safe-to-show facts (validation issues, references that block a delete). */
  readonly details?: unknown[];

  constructor(message: string, details?: unknown[]) {
    super(message);
    this.name = new.target.name;
    if (details) this.details = details;
  }
}

/** Malformed request framing: a header, JSON that does not parse. */
export class BadRequestError extends DomainError {
  readonly code = 'BAD_REQUEST' as const;
}

/** Well-formed but invalid input; one detail per offending field. */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED' as const;
  declare readonly details: FieldIssue[];
  constructor(details: FieldIssue[], message = 'Validation failed') {
    super(message, details);
  }
  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED' as const;
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN' as const;
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND' as const;
  constructor(what = 'Record') {
    super(`${what} not found`);
  }
}

/** The path exists, the method does not (REST only). */
export class MethodNotAllowedError extends DomainError {
  readonly code = 'METHOD_NOT_ALLOWED' as const;
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT' as const;
}

/** A body (an uploaded file) over the size the service takes; nothing of it is kept. */
export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE' as const;
}

/** A byte range outside the content asked for (REST downloads). */
export class RangeNotSatisfiableError extends DomainError {
  readonly code = 'RANGE_NOT_SATISFIABLE' as const;
}

/** Effective access could not be resolved: Base fails closed. */
export class AccessUnavailableError extends DomainError {
  readonly code = 'ACCESS_UNAVAILABLE' as const;
}

/** A body in a media type (or content encoding) the route does not take. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE' as const;
}

/** PostgreSQL is down or does not answer in time: the request fails fast instead of hanging. */
export class DatabaseUnavailableError extends DomainError {
  readonly code = 'DATABASE_UNAVAILABLE' as const;
  constructor(message = 'Database unavailable; try again shortly') {
    super(message);
  }
}

/**
 * Past a limit on calls (per company, per window): try again after `retryAfterSeconds`, which REST
 * sends as `Retry-After` and GraphQL as `extensions.retryAfter`.
 */
export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED' as const;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * The AI provider is not configured, failed, timed out or answered something unusable: never a
 * made-up answer instead. The message is safe to show (no key, no provider body).
 */
export class AiUnavailableError extends DomainError {
  readonly code = 'AI_UNAVAILABLE' as const;
  constructor(message = 'The AI service is unavailable; try again later') {
    super(message);
  }
}

/** An outside service Base talks to is not configured here, or does not answer in time. */
export class IntegrationUnavailableError extends DomainError {
  readonly code = 'INTEGRATION_UNAVAILABLE' as const;
}

/** The one place a domain error code becomes an HTTP status. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  MOVED_TO_AUTH: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  ACCESS_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  AI_UNAVAILABLE: 503,
  INTEGRATION_UNAVAILABLE: 503,
};
