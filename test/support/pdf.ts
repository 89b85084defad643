import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import type { Caller, TestBase } from './harness';

// pdf.js runs its worker in this thread when `globalThis.pdfjsWorker` is set, rather than loading
// it with a dynamic import (which jest's module loader does not run); the worker module sets it.
// It is ESM, transformed by jest like the other ESM packages (package.json, transformIgnorePatterns).
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(join(dirname(require.resolve('pdf-parse')), 'pdf.worker.mjs'));

/** A document route's answer: status, headers and the bytes as they came. */
export interface PdfAnswer {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

/** `GET <path>` as `as`, the body kept as bytes (a PDF, or an error's JSON). */
export async function getPdf(base: TestBase, as: Caller, path: string, headers: Record<string, string> = {}): Promise<PdfAnswer> {
  const res = await fetch(`${base.url}${path}`, { headers: { ...as.headers, ...headers } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The error code of an answer that is not a PDF. */
export const errorCode = (answer: PdfAnswer): string | undefined => (JSON.parse(answer.bytes.toString('utf8')) as { error?: { code?: string } }).error?.code;

/** The text of a PDF as a reader extracts it (pdf.js underneath), every run of white space one space. */
export async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ').trim();
  } finally {
    await parser.destroy();
  }
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
