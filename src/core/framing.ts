import type { ErrorCode } from '../shared/errors';

/**
 * Request framing shared by both surfaces (REST and `/graphql` read bodies with the same parsers):
 * what the body parser's and router's own errors mean in domain terms, and whether a body was sent.
 */
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

/** A request that carries body bytes (a `content-length: 0` write carries none). */
export function hasBody(req: { headers: Record<string, string | string[] | undefined> }): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}
