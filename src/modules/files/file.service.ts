import { createHash, randomUUID } from 'node:crypto';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors';
import { DomainEvent, recordEvent } from '../../core/events';
import { Caller, IncomingContent, OutgoingContent } from '../../core/family';
import type { TenantScope } from '../../db/tenant-scope';
import { File } from './file.family';

/**
 * Where a file's bytes live: rows of `file_chunks`, each CHUNK_BYTES long but the last, numbered from
 * 0, so the chunk holding any offset is known without reading the others. Written as the upload
 * arrives, inside the upload's transaction (a failed or abandoned upload leaves nothing), and read
 * back one chunk per statement, so neither direction holds more than a chunk in memory.
 */
export const CHUNK_BYTES = 256 * 1024;
/**
 * Most bytes one read statement fetches. The driver receives bytea as hex text, twice its size: kept
 * at 64 KiB of text, each piece is a young-generation string collected at the next scavenge, where a
 * whole chunk (512 KiB of text) would be a large object that only a full collection frees — and the
 * service's memory would grow with the file while it streams.
 */
const READ_BYTES = 32 * 1024;

class FileStorage {
  /** Stream the upload into chunks, hashing on the way, then record the file (attached, if asked). */
  async store(content: IncomingContent, input: Record<string, unknown>, tx: TenantScope, caller: Caller): Promise<File> {
    const entityType = (input.entityType as string | undefined) ?? null;
    const entityId = (input.entityId as string | undefined) ?? null;
    if (entityType !== null || entityId !== null) await this.checkAttachment(tx, caller, entityType, entityId);
    return this.write(content, entityType, entityId, tx);
  }

  /**
   * Keep bytes the service made itself (a signed contract) as a file attached to a record that the
   * caller's action holds locked and may change: no attachment check beyond that action's own.
   */
  keep(tx: TenantScope, made: { name: string; contentType: string; bytes: Buffer; attachTo: { entityType: string; entityId: string } }): Promise<File> {
    async function* stream() {
      yield made.bytes;
    }
    return this.write({ filename: made.name, contentType: made.contentType, stream: stream() }, made.attachTo.entityType, made.attachTo.entityId, tx);
  }

  private async write(content: IncomingContent, entityType: string | null, entityId: string | null, tx: TenantScope): Promise<File> {
    const id = randomUUID();
    const hash = createHash('sha256');
    let size = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const write = (bytes: Buffer) =>
      tx.sql('INSERT INTO file_chunks (company_id, file_id, seq, bytes) VALUES ($1, $2, $3, $4)', [tx.companyId, id, seq++, bytes]);
    // Awaiting each insert inside the loop is the backpressure: the stream is not read meanwhile.
    for await (const piece of content.stream) {
      hash.update(piece);
      size += piece.length;
      pending.push(piece);
      pendingBytes += piece.length;
      while (pendingBytes >= CHUNK_BYTES) {
        const joined = Buffer.concat(pending, pendingBytes);
        await write(joined.subarray(0, CHUNK_BYTES));
        const rest = joined.subarray(CHUNK_BYTES);
        pending = rest.length ? [Buffer.from(rest)] : [];
        pendingBytes = rest.length;
      }
    }
    if (pendingBytes) await write(Buffer.concat(pending, pendingBytes));

    const file = await tx.repo(File).insert({
      id,
      name: safeName(content.filename),
      contentType: safeContentType(content.contentType),
      size,
      sha256: hash.digest('hex'),
      entityType,
      entityId,
    });
    await recordEvent(tx, {
      type: 'file.created',
      entityType: 'File',
      entityId: file.id,
      version: file.version,
      payload: { name: file.name, contentType: file.contentType, size, sha256: file.sha256, entityType, entityId },
    });
    return file;
  }

  /** The bytes of a file, read piece by piece (READ_BYTES a statement) in this company's scope. */
  async open(file: File, scope: TenantScope): Promise<OutgoingContent> {
    return {
      name: file.name,
      contentType: file.contentType,
      size: file.size,
      etag: file.sha256,
      async *read(start: number, end: number) {
        for (let at = start; at <= end; ) {
          const seq = Math.floor(at / CHUNK_BYTES);
          const offset = at - seq * CHUNK_BYTES;
          const length = Math.min(CHUNK_BYTES - offset, end - at + 1, READ_BYTES);
          const [row] = await scope.sql<{ bytes: Buffer }>(
            'SELECT substring(bytes FROM $4 FOR $5) AS bytes FROM file_chunks WHERE company_id = $1 AND file_id = $2 AND seq = $3',
            [scope.companyId, file.id, seq, offset + 1, length],
          );
          // Deleted while it was being read: the answer stops short rather than pretending.
          if (!row?.bytes.length) throw new Error(`File ${file.id} lost chunk ${seq} while it was being read`);
          yield row.bytes;
          at += row.bytes.length;
        }
      },
    };
  }

  /**
   * A record that files are attached to was deleted: they stay, detached (their bytes are never lost
   * as a side effect; whoever sees them decides), each with the detachment in its history.
   */
  async detachFrom(event: DomainEvent, tx: TenantScope): Promise<void> {
    if (!event.type.endsWith('.deleted') || event.entityType === 'File') return;
    const rows = await tx.sql<{ id: string; version: number }>(
      // As a SELECT over the UPDATE, so the driver answers rows (an UPDATE answers rows and a count).
      `WITH detached AS (
         UPDATE files SET entity_type = NULL, entity_id = NULL, version = version + 1, updated_at = now()
          WHERE company_id = $1 AND entity_type = $2 AND entity_id = $3 RETURNING id, version
       ) SELECT id, version FROM detached`,
      [tx.companyId, event.entityType, event.entityId],
    );
    for (const row of rows) {
      tx.forget('File', row.id);
      await recordEvent(tx, {
        type: 'file.updated',
        entityType: 'File',
        entityId: row.id,
        version: row.version,
        payload: { entityType: null, entityId: null, detachedFrom: { entityType: event.entityType, entityId: event.entityId } },
      });
    }
  }

  /**
   * A file is attached only to a record that exists in this company and that the caller may see
   * (one cannot attach to what one cannot see). The record is locked FOR KEY SHARE until the upload
   * commits, so it cannot be deleted in between; ordinary edits of it are not held up.
   */
  private async checkAttachment(tx: TenantScope, caller: Caller, entityType: string | null, entityId: string | null): Promise<void> {
    if (entityType === null) throw ValidationError.field('entityType', 'is required with entityId');
    if (entityId === null) throw ValidationError.field('entityId', 'is required with entityType');
    const family = tx.composition.familyByTypeName(entityType);
    if (!family || family.entity === File) throw ValidationError.field('entityType', `files cannot be attached to a ${entityType}`);
    if (!caller.can(family.can.view)) throw new ForbiddenError(`Attaching a file to a ${entityType} needs ${family.can.view}`);
    const [record] = await tx.repo(family.entity).find((qb, a) => qb.andWhere(`${a}.id = :attachTo`, { attachTo: entityId }).setLock('for_key_share'));
    if (!record) throw new NotFoundError(entityType);
  }
}

export const fileStorage = new FileStorage();

/** The uploader's name without paths or control characters; never empty. */
export function safeName(name: string): string {
  const base = name.replace(/^.*[\\/]/, '');
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim().slice(0, 255);
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}

/** `type/subtype` (lower case, with a charset if one was given) or application/octet-stream. */
export function safeContentType(declared: string): string {
  const m = /^\s*([a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,127})\s*(?:;(.*))?$/i.exec(declared ?? '');
  if (!m) return 'application/octet-stream';
  const charset = /(?:^|;)\s*charset\s*=\s*"?([a-z0-9_.:-]{1,40})"?\s*(?:;|$)/i.exec(m[2] ?? '');
  return `${m[1].toLowerCase()}${charset ? `; charset=${charset[1].toLowerCase()}` : ''}`;
}
