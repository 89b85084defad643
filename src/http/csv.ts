import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { create as contentDisposition } from 'content-disposition';
import { stringify } from 'csv-stringify';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { CsvTable } from '../core/csv';
import { parseWith } from '../core/fields';

/** `?format=` of a list: `csv` answers every matching row as CSV; `json` (the default) a page. */
export const FORMAT_QUERY = z.enum(['json', 'csv'], { error: 'must be json or csv' }).optional();

/** `?dryRun=` of an import. */
export const DRY_RUN_QUERY = z.enum(['true', 'false'], { error: 'must be true or false' }).optional();

/**
 * Whether a list is asked for as CSV: `?format=csv`, or without `format` an `Accept` that prefers
 * `text/csv` to JSON (`*\/*` and no Accept at all keep JSON).
 */
export function wantsCsv(req: Request, query: Record<string, unknown>): boolean {
  const format = parseWith(z.object({ format: FORMAT_QUERY }), { format: query.format === '' ? undefined : query.format }).format;
  if (format) return format === 'csv';
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

/**
 * Answer a table as an RFC 4180 CSV attachment (a header row, CRLF line ends, quoted where a cell
 * holds a comma, a quote or a line break), written as the socket takes it: the rows are read a page
 * at a time only when the stringifier has room, so a slow reader slows the reads, holding nothing.
 */
export async function sendCsv(req: Request, res: Response, fileName: string, table: CsvTable): Promise<void> {
  res.status(200);
  res.setHeader('content-type', 'text/csv; charset=utf-8; header=present');
  res.setHeader('content-disposition', contentDisposition(fileName, { type: 'attachment' }));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('cache-control', 'private, no-store');
  try {
    await pipeline(Readable.from(table.rows), stringify({ header: true, columns: table.columns, record_delimiter: 'windows' }), res);
  } catch (err) {
    // Headers are gone: the only honest signal left is a connection that ends short.
    res.destroy();
    if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') req.log.warn({ err }, 'CSV export ended early');
  }
}

/** `<plural>-<day>.csv`, the day (UTC) from the request's clock. */
export const csvFileName = (plural: string, now: Date) => `${plural.replace(/[^a-z0-9-]/gi, '-')}-${now.toISOString().slice(0, 10)}.csv`;
