import { Client as PgClient } from 'pg';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Caller, GqlError, TestBase } from '../support/harness';
import { eventually } from '../support/waiting';

/** How long a test waits for something a socket should receive: a bound, never a timing assertion. */
export const WAIT_MS = 5000;

/** A queue of what arrives, read one at a time with a bounded wait. */
class Inbox<T> {
  private readonly items: T[] = [];
  private waiter: ((item: T) => void) | null = null;

  put(item: T): void {
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = null;
      wake(item);
    } else this.items.push(item);
  }

  /** The next item, waiting at most `timeoutMs` for it. */
  next(timeoutMs = WAIT_MS, what = 'a message'): Promise<T> {
    const ready = this.items.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (item) => {
        clearTimeout(timer);
        resolve(item);
      };
    });
  }

  /** What has arrived and not been read yet. */
  get pending(): readonly T[] {
    return this.items;
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Message {
  data?: any;
  errors?: GqlError[];
}

/** Resolves once `count` subscriptions are live on the Base (started, following changes). */
export function live(base: Pick<TestBase, 'server'>, count: number): Promise<void> {
  return eventually(() => base.server.subscriptions.live() >= count, WAIT_MS, `${count} live subscriptions`);
}

export interface Subscription {
  /** Each `next` (data and errors), then `{ error }` or `{ complete: true }` at its end. */
  messages: Inbox<Message | { error: unknown } | { complete: true }>;
  /** The next value; fails on an error or the end. */
  next(timeoutMs?: number): Promise<Message>;
  /**
   * The first value that `matches`, passing over earlier ones: a change committed just before the
   * subscription started may still be told (with the record as it is now).
   */
  until(matches: (message: Message) => boolean): Promise<Message>;
  stop(): void;
}

export interface Socket {
  client: Client;
  /** How the socket ended: its close code and reason. */
  closed: Inbox<{ code: number; reason: string }>;
  /** Resolves once the server has acknowledged the socket's `connection_init`. */
  acknowledged(): Promise<unknown>;
  subscribe(query: string, variables?: Record<string, unknown>): Subscription;
  close(): Promise<void>;
}

/** A WebSocket that sends these headers with its upgrade request. */
const withHeaders = (headers: Record<string, string>) =>
  class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };

/**
 * A graphql-ws client on the Base's /graphql, authenticated by its `connection_init` payload
 * (`{ authorization, x-org }` of the actor, or `params`) or by the upgrade's `headers`.
 */
export function openSocket(base: Pick<TestBase, 'url'>, as: Caller | null, options: { params?: Record<string, unknown>; headers?: Record<string, string> } = {}): Socket {
  const closed = new Inbox<{ code: number; reason: string }>();
  const acks = new Inbox<true>();
  const client = createClient({
    url: `${base.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: options.headers ? withHeaders(options.headers) : WebSocket,
    connectionParams: options.params ?? (as ? { ...as.headers } : {}),
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: { connected: () => acks.put(true), closed: (event) => closed.put({ code: (event as { code: number }).code, reason: String((event as { reason?: unknown }).reason ?? '') }) },
  });
  return {
    client,
    closed,
    acknowledged: () => acks.next(WAIT_MS, 'connection_ack'),
    subscribe(query, variables) {
      const messages = new Inbox<Message | { error: unknown } | { complete: true }>();
      const stop = client.subscribe(
        { query, variables },
        {
          next: (value) => messages.put(value as Message),
          error: (error) => messages.put({ error }),
          complete: () => messages.put({ complete: true }),
        },
      );
      return {
        messages,
        async next(timeoutMs) {
          const message = await messages.next(timeoutMs, 'subscription value');
          if ('error' in message || 'complete' in message) throw new Error(`the subscription ended: ${JSON.stringify(message)}`);
          return message;
        },
        async until(matches) {
          for (;;) {
            const message = await this.next();
            if (matches(message)) return message;
          }
        },
        stop,
      };
    },
    async close() {
      await client.dispose();
    },
  };
}

/** The errors a subscription ended with (graphql-ws hands them as the `error`). */
export async function subscriptionErrors(subscription: Subscription): Promise<GqlError[]> {
  const message = await subscription.messages.next(WAIT_MS, 'subscription error');
  if (!('error' in message)) throw new Error(`expected the subscription to fail, got ${JSON.stringify(message)}`);
  return message.error as GqlError[];
}

/** The changes PostgreSQL delivers on `base_changes`, as anyone who may LISTEN reads them. */
export async function listenToChanges(): Promise<{ payloads: Inbox<string>; close(): Promise<void> }> {
  const client = new PgClient({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const payloads = new Inbox<string>();
  client.on('notification', (message) => {
    if (message.channel === 'base_changes' && message.payload) payloads.put(message.payload);
  });
  await client.query('LISTEN base_changes');
  return { payloads, close: () => client.end() };
}
