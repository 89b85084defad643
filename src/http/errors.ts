import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, ErrorCode, RateLimitedError, STATUS_BY_CODE } from '../shared/errors';
import { fromParserError } from '../core/framing';
import { asDatabaseUnavailable } from '../db/availability';
import { asDataException } from '../db/pg-errors';


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
      if (err instanceof RateLimitedError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      res.status(STATUS_BY_CODE[err.code]).json(errorBody(err, requestId));
      return;
    }
    const unavailable = asDatabaseUnavailable(err);
    if (unavailable) {
      logger.warn({ err, requestId }, 'database unavailable');
      res.status(STATUS_BY_CODE[unavailable.code]).json(errorBody(unavailable, requestId));
      return;
    }
    const refused = asDataException(err);
    if (refused) {
      // A value a validator let through; its SQLSTATE only (the message may quote the value).
      logger.warn({ sqlState: (err as { code: string }).code, requestId }, 'value refused by the database');
      res.status(STATUS_BY_CODE[refused.code]).json(errorBody(refused, requestId));
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
