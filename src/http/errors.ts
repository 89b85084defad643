import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, ErrorCode, STATUS_BY_CODE } from '../core/errors';


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

/** Errors raised by express's own parsers, in domain terms. */
function fromParserError(err: { type?: string; status?: number }): { code: ErrorCode; message: string } | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return { code: 'BAD_REQUEST', message: 'Malformed JSON body' };
    case 'entity.too.large':
      return { code: 'PAYLOAD_TOO_LARGE', message: 'Request body too large' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { code: 'BAD_REQUEST', message: 'Unsupported body encoding' };
    default:
      return null;
  }
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
    const parser = fromParserError(err);
    if (parser) {
      sendError(res, requestId, parser.code, parser.message);
      return;
    }
    logger.error({ err, requestId }, 'unhandled error');
    sendError(res, requestId, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  };
}
