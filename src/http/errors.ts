import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, ErrorCode } from '../core/errors';
import { asDatabaseUnavailable } from '../db/availability';

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
  INTERNAL_SERVER_ERROR: 500,
  ACCESS_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details?: unknown[] };
}

export function errorBody(err: DomainError, requestId: string): ErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      requestId,
      ...(err.details ? { details: err.details } : {}),
    },
  };
}

/**
 * Errors raised by express itself (body parser, router) for a bad request, in domain terms. They
 * carry a 4xx `status`; their messages are not echoed (they may quote the input).
 */
export function fromParserError(err: { type?: string; status?: number }): { code: ErrorCode; message: string } | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return { code: 'BAD_REQUEST', message: 'Malformed JSON body' };
    case 'entity.too.large':
      return { code: 'PAYLOAD_TOO_LARGE', message: 'Request body too large' };
    case 'encoding.unsupported':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Content-Encoding (identity, gzip, deflate or br)' };
    case 'charset.unsupported':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported body charset' };
  }
  const status = typeof err?.status === 'number' ? err.status : 0;
  // The router's decodeURIComponent of a path parameter.
  if (err instanceof URIError && status === 400) return { code: 'BAD_REQUEST', message: 'Malformed percent-encoding in the path' };
  if (status === 413) return { code: 'PAYLOAD_TOO_LARGE', message: 'Request body too large' };
  if (status === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported body encoding' };
  // A body that does not decode as its Content-Encoding says, a body cut short, and the like.
  if (status >= 400 && status < 500) return { code: 'BAD_REQUEST', message: 'Malformed request body' };
  return null;
}

export function sendError(res: Response, requestId: string, code: ErrorCode, message: string, details?: unknown[]): void {
  res.status(STATUS_BY_CODE[code]).json({ error: { code, message, requestId, ...(details ? { details } : {}) } });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = String(res.getHeader('x-request-id') ?? '');
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    if (err instanceof DomainError) {
      res.status(STATUS_BY_CODE[err.code]).json(errorBody(err, requestId));
      return;
    }
    const unavailable = asDatabaseUnavailable(err);
    if (unavailable) {
      logger.warn({ err, requestId }, 'database unavailable');
      res.status(STATUS_BY_CODE[unavailable.code]).json(errorBody(unavailable, requestId));
      return;
    }
    const parser = fromParserError(err);
    if (parser) {
      sendError(res, requestId, parser.code, parser.message);
      return;
    }
    logger.error({ err, requestId }, 'unhandled error');
    sendError(res, requestId, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  };
}
