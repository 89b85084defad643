import { createHash } from 'node:crypto';
import type { TenantEntity } from '../db/base-entity';
import type { ClassType } from '../db/class-type';
import type { TenantScope } from '../db/tenant-scope';
import type { Requirement } from '../permissions/catalog';
import type { FamilyDef, OutgoingContent } from './family';

/**
 * A document of a record (an offer letter, a contract, a settlement statement), declared as data:
 * REST `GET <record path>/<path>` answering the PDF (ETag, If-None-Match, Content-Disposition), and
 * the GraphQL field `documentUrl` (that REST path) on the record's type, or on the type of a computed read's
 * answer when the document is of a computed read (`Settlement.documentUrl`). Every read makes it again from
 * the record (or reads the bytes kept for it), so a made document must come out byte for byte the
 * same from the same record (no clock in it): its ETag is the hash of its bytes. Declared in a
 * module's `documents`, like its computed reads.
 */
export interface DocumentDef<E extends TenantEntity = TenantEntity> {
  /** The family whose records it is made from. */
  of: () => FamilyDef<E>;
  /** Below the record's path: `document`, or `settlement/document` for a computed read's. */
  path: string;
  requirement: Requirement;
  /** What it is, in a sentence (the OpenAPI summary is its first clause). */
  description: string;
  /** The file name a download is saved as (made safe here: see safeFileName). */
  fileName(record: E, scope: TenantScope): Promise<string> | string;
  /** The PDF made from the record now, or bytes kept for it (a signed contract's). */
  render(record: E, scope: TenantScope): Promise<Uint8Array | OutgoingContent>;
  /**
   * Where `documentUrl` is: the record's own type (default), or another type read under the record
   * (a computed read's answer), with the record's id as that type holds it.
   */
  urlOn?: { type: ClassType; recordId(value: object): string };
}

export function defineDocument<E extends TenantEntity>(options: Omit<DocumentDef<E>, 'path'> & { path?: string }): DocumentDef {
  return { ...options, path: options.path ?? 'document' } as unknown as DocumentDef;
}

/** The GraphQL field that gives a document's REST path. */
export const DOCUMENT_URL_FIELD = 'documentUrl';

/** `/api/<family path>/<id>/<document path>`, with a nested family's parent key filled in from the record. */
export function documentUrl(document: DocumentDef, record: Record<string, unknown>): string {
  const path = `/api${document.of().path}/:id/${document.path}`;
  return path.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(String(record[key])));
}

/** A document as served: its name, the PDF type, its bytes and their SHA-256 as the ETag. */
export async function documentContent(document: DocumentDef, record: TenantEntity, scope: TenantScope): Promise<OutgoingContent> {
  // One after the other inside a transaction, whose one connection runs one statement at a time.
  const [name, made] = await scope.all([async () => document.fileName(record, scope), () => document.render(record, scope)] as const);
  if (!(made instanceof Uint8Array)) return { ...made, name: safeFileName(name) };
  const bytes = Buffer.from(made.buffer, made.byteOffset, made.byteLength);
  return {
    name: safeFileName(name),
    contentType: 'application/pdf',
    size: bytes.length,
    etag: sha256(bytes),
    async *read(start: number, end: number) {
      yield bytes.subarray(start, end + 1);
    },
  };
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * A name any file system and header takes: letters without their accents, digits, `.`, `-` and `_`;
 * everything else a single `-`; never empty, at most 120 characters, ending in `.pdf`.
 */
export function safeFileName(name: string): string {
  const stem = name
    .replace(/\.pdf$/i, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 116)
    .replace(/[-.]+$/, '');
  return `${stem || 'document'}.pdf`;
}
