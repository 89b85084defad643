import { Client } from 'pg';
import type { Logger } from 'pino';

/**
 * Changes told to every instance: a transaction that records a domain event also sends
 * `NOTIFY base_changes` (TenantScope.announce), which PostgreSQL delivers only if and when it commits;
 * each instance LISTENs on one connection of its own (ChangeListener) and hands the changes to its
 * subscribers (GraphQL subscriptions), which read the records again in their own company scope.
 * A change carries ids only, never a record's content: anyone who can LISTEN reads it.
 */
export const CHANGES_CHANNEL = 'base_changes';

export interface Change {
  companyId: string;
  /** The domain event's type (`avail.moved-up`). */
  type: string;
  entityType: string;
  entityId: string;
  /** The domain event's id. */
  eventId: string;
  /**
   * The users the event concerns (their notifications were made with it). null: too many to say in a
   * notification (whose payload is at most 8000 bytes); every subscriber of the company looks.
   */
  recipients: string[] | null;
}

/** Below PostgreSQL's 8000-byte bound on a NOTIFY payload. */
export const CHANGE_MAX_BYTES = 7900;

/** The payload of a change: its recipients left out (null) when they would not fit. */
export function changePayload(change: Change): string {
  const text = JSON.stringify(change);
  return Buffer.byteLength(text) <= CHANGE_MAX_BYTES ? text : JSON.stringify({ ...change, recipients: null });
}

/** A payload read back; anything else on the channel (another version's shape) is ignored. */
export function parseChange(payload: string | undefined): Change | null {
  try {
    const value = JSON.parse(payload ?? '') as Partial<Change>;
    const ids = [value.companyId, value.type, value.entityType, value.entityId, value.eventId];
    if (!ids.every((v) => typeof v === 'string')) return null;
    const recipients = Array.isArray(value.recipients) ? value.recipients.filter((r): r is string => typeof r === 'string') : null;
    return { ...(value as Change), recipients };
  } catch {
    return null;
  }
}

export interface ChangeListenerOptions {
  url: string;
  logger: Logger;
  connectTimeoutMs: number;
  /** Its `application_name` in pg_stat_activity (which deployment's listener it is). */
  applicationName: string;
  /** Longest wait between two attempts to connect again (the wait doubles from 100 ms up to it). */
  maxBackoffMs?: number;
}

/**
 * One LISTEN connection per instance, outside the pool: it stays open for the life of the instance,
 * connects again (with a bounded, growing wait) when it drops, and hands each change to `onChange`.
 * Changes sent while it was away are lost; a subscriber sees the next one.
 */
export class ChangeListener {
  private client: Client | null = null;
  private closed = false;
  private backoffMs = 100;
  private retry: NodeJS.Timeout | null = null;
  private readonly handlers = new Set<(change: Change) => void>();

  constructor(private readonly options: ChangeListenerOptions) {}

  onChange(handler: (change: Change) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** The first connection: a failure here stops the start-up. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.options.url, connectionTimeoutMillis: this.options.connectTimeoutMs, application_name: this.options.applicationName });
    client.on('notification', (message) => {
      if (message.channel !== CHANGES_CHANNEL) return;
      const change = parseChange(message.payload);
      if (change) for (const handler of this.handlers) handler(change);
    });
    client.on('error', (err) => {
      this.options.logger.warn({ err: err.message }, 'change listener connection failed');
      void client.end().catch(() => undefined);
    });
    client.on('end', () => {
      // Only an established connection is replaced here; a failed attempt is retried by its caller.
      if (this.client !== client) return;
      this.client = null;
      this.reconnectLater();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.backoffMs = 100;
  }

  private reconnectLater(): void {
    if (this.closed || this.retry) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 10_000);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().catch((err: Error) => {
        this.options.logger.warn({ err: err.message, retryInMs: this.backoffMs }, 'change listener could not connect');
        this.reconnectLater();
      });
    }, wait);
    this.retry.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
