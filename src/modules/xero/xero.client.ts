import type { XeroConfig } from '../../config';
import { fetchOutside, isRedirect } from '../../core/outside-call';

/**
 * Xero's wire format, and nothing else: the identity server (OAuth2 code exchange, refresh,
 * revocation), the connections list and the accounting API's Contacts and Invoices. Every call has
 * the configured timeout and follows no redirect (a 3xx is an `unavailable` failure). Failures come
 * back as XeroCallError with what Xero said.
 */
export interface XeroTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
}

export interface XeroTenant {
  tenantId: string;
  tenantType: string;
  tenantName: string | null;
}

export type XeroCallFailure =
  /** The access token expired or was revoked (401). */
  | 'unauthorized'
  /** 429: wait `retryAfterMs`. */
  | 'rate-limited'
  /** Xero refused the request (4xx): retrying the same thing will not help, but the record may change. */
  | 'refused'
  /** 5xx, a timeout, a network failure: worth retrying. */
  | 'unavailable';

export class XeroCallError extends Error {
  constructor(
    readonly failure: XeroCallFailure,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'XeroCallError';
  }
}

/** A decimal in major units that must reach Xero's JSON as written (never through a float). */
export class Decimal {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`Not a decimal: ${text}`);
  }
}

/** JSON in which Decimal values are numbers with exactly their digits. */
export function jsonWithDecimals(value: unknown): string {
  const marker = `\u0001decimal:`;
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof Decimal ? `${marker}${v.text}` : v));
  return text.replace(/"\\u0001decimal:(-?\d+(?:\.\d+)?)"/g, '$1');
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

export class XeroClient {
  constructor(private readonly config: XeroConfig) {}

  exchangeCode(code: string, redirectUri: string): Promise<XeroTokens> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
  }

  /** Xero answers with a new refresh token each time (rotation); the old one stops working. */
  refresh(refreshToken: string): Promise<XeroTokens> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  async revoke(refreshToken: string): Promise<void> {
    const answer = await this.call(`${this.config.identityUrl}/connect/revocation`, {
      method: 'POST',
      headers: { authorization: this.basic(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken }).toString(),
    });
    if (answer.status >= 300) throw failure(answer);
  }

  async connections(accessToken: string): Promise<XeroTenant[]> {
    const answer = await this.call(`${this.config.apiUrl}/connections`, {
      method: 'GET',
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    if (answer.status >= 300) throw failure(answer);
    if (!Array.isArray(answer.body)) throw new XeroCallError('unavailable', 'Xero answered the connections list with something else', answer.status);
    return answer.body
      .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && typeof c.tenantId === 'string')
      .map((c) => ({ tenantId: c.tenantId as string, tenantType: String(c.tenantType ?? ''), tenantName: typeof c.tenantName === 'string' ? c.tenantName : null }));
  }

  /** POST one contact or invoice (`Contacts` / `Invoices`): creates, or updates when its id is given. Returns Xero's id. */
  async post(
    collection: 'Contacts' | 'Invoices',
    item: Record<string, unknown>,
    auth: { accessToken: string; tenantId: string; idempotencyKey: string },
  ): Promise<{ id: string }> {
    const answer = await this.call(`${this.config.apiUrl}/api.xro/2.0/${collection}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${auth.accessToken}`,
        'xero-tenant-id': auth.tenantId,
        'idempotency-key': auth.idempotencyKey,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      body: jsonWithDecimals({ [collection]: [item] }),
    });
    if (answer.status >= 300) throw failure(answer);
    const list = (answer.body as Record<string, unknown> | null)?.[collection];
    const first = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined;
    const id = first?.[collection === 'Contacts' ? 'ContactID' : 'InvoiceID'];
    if (typeof id !== 'string') throw new XeroCallError('unavailable', `Xero's answer to ${collection} has no id`, answer.status);
    return { id };
  }

  private async token(form: Record<string, string>): Promise<XeroTokens> {
    const answer = await this.call(`${this.config.identityUrl}/connect/token`, {
      method: 'POST',
      headers: { authorization: this.basic(), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
    if (answer.status >= 300) throw failure(answer);
    const body = answer.body as Record<string, unknown> | null;
    if (typeof body?.access_token !== 'string' || typeof body.refresh_token !== 'string') {
      throw new XeroCallError('unavailable', 'Xero answered the token request without tokens', answer.status);
    }
    const expiresIn = Number(body.expires_in);
    return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 1800 };
  }

  private basic(): string {
    return `Basic ${Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64')}`;
  }

  private async call(url: string, init: RequestInit): Promise<Answer> {
    let response: Response;
    let text: string;
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    try {
      response = await fetchOutside(url, { ...init, signal });
      text = await response.text();
    } catch (err) {
      const timedOut = signal.aborted;
      throw new XeroCallError('unavailable', timedOut ? `Xero did not answer within ${this.config.timeoutMs} ms` : `Xero could not be reached: ${(err as Error).message}`);
    }
    if (isRedirect(response.status)) throw new XeroCallError('unavailable', `Xero answered ${response.status}, a redirect (not followed)`, response.status);
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    return { status: response.status, headers: response.headers, body };
  }
}

/** Xero's message, from whichever of its error shapes came back. */
export function xeroMessage(body: unknown, status: number): string {
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 500);
  const b = (body ?? {}) as Record<string, unknown>;
  const validation = (Array.isArray(b.Elements) ? b.Elements : [])
    .flatMap((e: { ValidationErrors?: { Message?: unknown }[] }) => e?.ValidationErrors ?? [])
    .map((v) => v?.Message)
    .filter((m): m is string => typeof m === 'string');
  const parts = [
    typeof b.Title === 'string' ? b.Title : null,
    typeof b.Detail === 'string' ? b.Detail : typeof b.Message === 'string' ? b.Message : null,
    ...validation,
    typeof b.error === 'string' ? b.error : null,
    typeof b.error_description === 'string' ? b.error_description : null,
  ].filter((p): p is string => Boolean(p));
  return parts.length ? [...new Set(parts)].join(': ') : `HTTP ${status}`;
}

function failure(answer: Answer): XeroCallError {
  const message = xeroMessage(answer.body, answer.status);
  if (answer.status === 401) return new XeroCallError('unauthorized', message, 401);
  if (answer.status === 429) {
    const seconds = Number(answer.headers.get('retry-after'));
    return new XeroCallError('rate-limited', message, 429, Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 60_000);
  }
  if (answer.status >= 400 && answer.status < 500) return new XeroCallError('refused', message, answer.status);
  return new XeroCallError('unavailable', message, answer.status);
}
