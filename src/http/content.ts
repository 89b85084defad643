import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { create as contentDisposition } from 'content-disposition';
import type { Request, Response } from 'express';
import rangeParser from 'range-parser';
import { BadRequestError, PayloadTooLargeError, RangeNotSatisfiableError, RateLimitedError, ValidationError } from '../shared/errors';
import type { IncomingContent, OutgoingContent } from '../core/family';

/**
 * Bytes in and out of the REST layer, never held whole: an upload is read from the socket as the
 * store consumes it (busboy pauses the socket while a chunk is being written), a download is written
 * as the content yields it (paused while the socket is full).
 */

/** Room for the multipart framing and the text fields around a file of the largest size. */
const FORM_OVERHEAD_BYTES = 64 * 1024;
const FIELD_MAX_BYTES = 8 * 1024;
/** The part that carries the bytes. */
export const FILE_PART = 'file';

/**
 * Uploads in progress on this instance. Each holds a database connection (its transaction) while the
 * body arrives, so they are capped below the pool: one more is refused at once (429 with
 * Retry-After) instead of queueing for a connection that every other request needs too.
 */
export class UploadSlots {
  private taken = 0;
  constructor(readonly max: number) {}

  /** Uploads holding a slot now (the `file_uploads_in_progress` gauge). */
  get inProgress(): number {
    return this.taken;
  }

  /** A slot, released by the returned function; none left is a 429. */
  take(): () => void {
    if (this.taken >= this.max) {
      throw new RateLimitedError(`${this.max} uploads are in progress on this instance; try again shortly`, UPLOAD_RETRY_AFTER_SECONDS);
    }
    this.taken++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.taken--;
    };
  }
}
const UPLOAD_RETRY_AFTER_SECONDS = 5;

export interface UploadLimits {
  maxBytes: number;
  /** The sender may go this long without sending a byte; then the upload is dropped. */
  idleMs: number;
}

/**
 * Read a multipart/form-data upload: its text fields (which come before the file part), then the
 * file part, handed to `store` as a stream while it arrives. `formRead` settles when the whole body
 * has been read: a store that awaits it before committing keeps nothing of a request that turned
 * out incomplete or malformed after the file. Over `maxBytes` the file stream fails with 413; a
 * sender that goes away makes it fail too, and the store rolls back.
 */
export function receiveUpload<T>(
  req: Request,
  { maxBytes, idleMs }: UploadLimits,
  store: (content: IncomingContent, fields: Record<string, string>, formRead: Promise<void>) => Promise<T>,
): Promise<T> {
  const tooLarge = () => new PayloadTooLargeError(`The file is larger than ${maxBytes} bytes (FILE_MAX_BYTES)`);
  const length = Number(req.headers['content-length']);
  // A body that cannot hold a file within the limit is refused before a byte of it is read.
  if (Number.isFinite(length) && length > maxBytes + FORM_OVERHEAD_BYTES) return Promise.reject(tooLarge());
  let form: busboy.Busboy;
  try {
    form = busboy({
      headers: req.headers,
      // Browsers and curl send a file name's UTF-8 bytes as they are.
      defParamCharset: 'utf8',
      // busboy calls a file that reaches `fileSize` too large: one more byte is the first one over.
      limits: { files: 1, fileSize: maxBytes + 1, fields: 20, fieldSize: FIELD_MAX_BYTES, parts: 21 },
    });
  } catch {
    return Promise.reject(new BadRequestError('Malformed multipart/form-data (no boundary in Content-Type)'));
  }

  return new Promise<T>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: Readable | null = null;
    let failed = false;
    let formEnded!: () => void;
    let formFailed!: (err: unknown) => void;
    const formRead = new Promise<void>((res, rej) => {
      formEnded = res;
      formFailed = rej;
    });
    formRead.catch(() => undefined); // the store may have failed first and never await it

    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      formFailed(err);
      file?.destroy(err as Error);
      // Stop parsing; what is left of the body is read and dropped so the answer can be sent.
      req.unpipe(form);
      form.removeAllListeners('file').removeAllListeners('field');
      req.resume();
      reject(err);
    };

    form.on('field', (name, value, info) => {
      if (file) return fail(ValidationError.field(name, `must come before the part "${FILE_PART}"`));
      if (info.valueTruncated) return fail(ValidationError.field(name, `at most ${FIELD_MAX_BYTES} bytes`));
      if (name in fields) return fail(ValidationError.field(name, 'sent twice'));
      fields[name] = value;
    });
    form.on('file', (name, stream, info) => {
      if (name !== FILE_PART || file) {
        stream.resume();
        return fail(ValidationError.field(name, `unexpected file part; send one file in the part "${FILE_PART}"`));
      }
      file = stream;
      // The store reads the error through its iteration; once it has stopped, nobody else needs it.
      stream.on('error', () => undefined);
      stream.on('limit', () => stream.destroy(tooLarge()));
      Promise.resolve()
        .then(() => store({ filename: info.filename ?? FILE_PART, contentType: info.mimeType, stream }, fields, formRead))
        .then((result) => {
        if (!failed) resolve(result);
      }, fail);
    });
    form.on('close', () => {
      formEnded();
      if (!file) fail(ValidationError.field(FILE_PART, `is required: send the bytes in the multipart part "${FILE_PART}"`));
    });
    form.on('error', () => fail(new BadRequestError('Malformed multipart/form-data body')));
    form.on('partsLimit', () => fail(new BadRequestError('Too many parts in the form')));
    form.on('fieldsLimit', () => fail(new BadRequestError('Too many fields in the form')));
    form.on('filesLimit', () => fail(ValidationError.field(FILE_PART, 'send one file')));
    // The sender went away mid-way: nothing of it is kept.
    req.on('close', () => {
      if (!req.complete) fail(new BadRequestError('The upload ended before the whole body arrived'));
    });
    // A sender that stalls would hold its transaction (a pooled connection) open: dropped, and
    // nothing of it is kept. The socket goes too, since it would never finish the body.
    const stalled = setTimeout(() => {
      if (req.complete || failed) return;
      fail(new BadRequestError(`The upload stalled: nothing arrived for ${idleMs} ms`));
      req.socket.destroy();
    }, idleMs);
    req.on('data', () => stalled.refresh());
    formRead.finally(() => clearTimeout(stalled)).catch(() => undefined);
    req.pipe(form);
  });
}

/** Types a browser shows without running anything; everything else is served as an attachment. */
const INLINE = /^(image\/(png|jpeg|gif|webp|avif|bmp)|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+|text\/plain|text\/csv|application\/pdf)(;|$)/;

const etagMatches = (header: string | undefined, etag: string): boolean =>
  header !== undefined && header.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);

/**
 * Serve bytes: the stored type, a safe Content-Disposition (RFC 6266 with `filename*`), a strong
 * ETag (If-None-Match → 304), one byte range (206, or 416 when it lies outside); several ranges are
 * answered with the whole (allowed by RFC 9110). Streamed a chunk at a time, paced by the socket.
 */
export async function serveContent(req: Request, res: Response, content: OutgoingContent): Promise<void> {
  const etag = `"${content.etag}"`;
  res.setHeader('etag', etag);
  res.setHeader('accept-ranges', 'bytes');
  // Per user and company: never from a shared cache, always revalidated (cheap with the ETag).
  res.setHeader('cache-control', 'private, no-cache');
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  let start = 0;
  let end = content.size - 1;
  let status = 200;
  const rangeHeader = req.headers.range;
  if (rangeHeader !== undefined && (req.headers['if-range'] === undefined || req.headers['if-range'] === etag)) {
    const ranges = rangeParser(content.size, rangeHeader, { combine: true });
    if (ranges === -1) {
      res.setHeader('content-range', `bytes */${content.size}`);
      throw new RangeNotSatisfiableError(`The file has ${content.size} bytes; the range asked for lies outside`);
    }
    // -2 (malformed) is ignored, as if no range had been asked for.
    if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
      ({ start, end } = ranges[0]);
      status = 206;
    }
  }

  const inline = INLINE.test(content.contentType);
  res.setHeader('content-type', content.contentType);
  res.setHeader('content-disposition', contentDisposition(content.name, { type: inline ? 'inline' : 'attachment' }));
  res.setHeader('x-content-type-options', 'nosniff');
  // Even opened directly, nothing in it runs with this origin (a PDF viewer needs to run, though).
  if (!content.contentType.startsWith('application/pdf')) res.setHeader('content-security-policy', "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'");
  res.setHeader('content-length', String(Math.max(0, end - start + 1)));
  if (status === 206) res.setHeader('content-range', `bytes ${start}-${end}/${content.size}`);
  res.status(status);
  if (req.method === 'HEAD' || end < start) {
    res.end();
    return;
  }
  try {
    await pipeline(Readable.from(content.read(start, end)), res);
  } catch (err) {
    // Headers are gone: the only honest signal left is a connection that ends short.
    res.destroy();
    if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') req.log.warn({ err }, 'download ended early');
  }
}
