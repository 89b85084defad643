import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small Xero over real HTTP: the identity server (code exchange, refresh with rotating refresh
 * tokens, revocation), the connections list and the accounting API's Contacts and Invoices, with
 * Xero's idempotency (same Idempotency-Key → the first answer again, nothing created twice), its
 * per-tenant minute limit (429 with Retry-After beyond it) and a switch for every fault.
 */
export const CLIENT_ID = 'fake-client';
export const CLIENT_SECRET = 'fake-secret';

export type XeroFault =
  | { kind: 'status'; status: number; body?: unknown; retryAfter?: number }
  /** Never answers (Base's timeout must end the wait). */
  | { kind: 'hang' }
  /** Does the work, then drops the connection without answering: "sent, but the answer was lost". */
  | { kind: 'lose-answer' }
  /** Answers 307 to `location` (which a client must not follow: it would re-send the body there). */
  | { kind: 'redirect'; location: string };

export interface CallRecord {
  method: string;
  path: string;
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

interface Grant {
  tenantId: string;
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
}

export class FakeXero {
  /** The organisation the next connect authorises (a test may start a new one, for budgets of its own). */
  tenantId = randomUUID();
  tenantName = 'Kisum Test Org';
  /** Faults for the accounting API, used one per call while any are left. */
  apiFaults: XeroFault[] = [];
  /** Faults for the identity server's token endpoint. */
  tokenFaults: XeroFault[] = [];
  /** Seconds an access token lives. */
  accessTtl = 1800;
  /** How many calls a tenant may make per rolling minute before a 429 (Xero: 60). */
  minuteLimit = 60;
  /** Delay before each accounting answer (to make concurrent callers overlap). */
  delayMs = 0;
  /** Most accounting calls in flight at once, ever. */
  maxInFlight = 0;
  readonly calls: CallRecord[] = [];
  readonly contacts = new Map<string, Record<string, unknown>>();
  readonly invoices = new Map<string, Record<string, unknown>>();
  readonly codes = new Set<string>();
  readonly revoked: string[] = [];
  private inFlight = 0;
  private readonly grants: Grant[] = [];
  private readonly idempotent = new Map<string, { status: number; body: unknown }>();
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(): Promise<FakeXero> {
    const server = http.createServer((req, res) => void self.handle(req, res));
    server.on('connection', (s) => {
      self.sockets.add(s);
      s.on('close', () => self.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const self = new FakeXero(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** A code the next connect may exchange. */
  issueCode(): string {
    const code = `code-${randomUUID()}`;
    this.codes.add(code);
    return code;
  }

  /** The access token now valid, and the refresh token (for asserting they never appear in clear in Base's database). */
  currentGrant(): Grant | undefined {
    return this.grants[this.grants.length - 1];
  }

  /** The grant of an organisation's connection. */
  grantOf(tenantId: string): Grant {
    const grant = this.grants.find((g) => g.tenantId === tenantId);
    if (!grant) throw new Error(`no grant for ${tenantId}`);
    return grant;
  }

  /** Make the access token of the latest connection expired (its next API call answers 401). */
  expireAccessToken(): void {
    const grant = this.currentGrant();
    if (grant) grant.accessExpiresAt = 0;
  }

  accounting(): CallRecord[] {
    return this.calls.filter((c) => c.path.startsWith('/api.xro/'));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const record: CallRecord = { method: req.method ?? 'GET', path: url.pathname, at: Date.now(), headers: req.headers, body, status: 0 };
    this.calls.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };

    if (url.pathname === '/connect/token' && req.method === 'POST') return this.token(req, body, send);
    if (url.pathname === '/connect/revocation' && req.method === 'POST') {
      if (!this.clientOk(req)) return send(401, { error: 'invalid_client' });
      const token = new URLSearchParams(body).get('token') ?? '';
      this.revoked.push(token);
      const index = this.grants.findIndex((g) => g.refreshToken === token);
      if (index >= 0) this.grants.splice(index, 1);
      return send(200, {});
    }
    if (url.pathname === '/connections' && req.method === 'GET') {
      if (!this.grantFor(req)) return send(401, { Type: null, Title: 'Unauthorized', Status: 401, Detail: 'TokenExpired' });
      return send(200, [{ id: randomUUID(), tenantId: this.tenantId, tenantType: 'ORGANISATION', tenantName: this.tenantName, createdDateUtc: new Date().toISOString() }]);
    }
    const match = /^\/api\.xro\/2\.0\/(Contacts|Invoices)$/.exec(url.pathname);
    if (match && req.method === 'POST') return this.accountingCall(req, match[1] as 'Contacts' | 'Invoices', body, send, res, record);
    send(404, { Title: 'Not found' });
  }

  private clientOk(req: http.IncomingMessage): boolean {
    return req.headers.authorization === `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
  }

  private grantFor(req: http.IncomingMessage): Grant | undefined {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return this.grants.find((g) => g.accessToken === token && g.accessExpiresAt > Date.now());
  }

  private async fault(list: XeroFault[], send: (status: number, body: unknown, headers?: Record<string, string>) => void, res: http.ServerResponse): Promise<'answered' | 'lose' | null> {
    const fault = list.shift();
    if (!fault) return null;
    if (fault.kind === 'hang') return 'answered'; // no answer at all; the socket stays open until Base gives up
    if (fault.kind === 'lose-answer') return 'lose';
    if (fault.kind === 'redirect') {
      send(307, {}, { location: fault.location });
      return 'answered';
    }
    send(fault.status, fault.body ?? { Title: 'An error occurred', Detail: `fake fault ${fault.status}` }, fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {});
    void res;
    return 'answered';
  }

  private async token(req: http.IncomingMessage, body: string, send: (status: number, body: unknown, headers?: Record<string, string>) => void): Promise<void> {
    if (!this.clientOk(req)) return send(401, { error: 'invalid_client' });
    const res = undefined as unknown as http.ServerResponse;
    if ((await this.fault(this.tokenFaults, send, res)) === 'answered') return;
    const form = new URLSearchParams(body);
    let grant: Grant | undefined;
    if (form.get('grant_type') === 'authorization_code') {
      const code = form.get('code') ?? '';
      if (!this.codes.delete(code) || !form.get('redirect_uri')) return send(400, { error: 'invalid_grant' });
      grant = { tenantId: this.tenantId, accessToken: '', accessExpiresAt: 0, refreshToken: '' };
      this.grants.push(grant);
    } else if (form.get('grant_type') === 'refresh_token') {
      grant = this.grants.find((g) => g.refreshToken === form.get('refresh_token'));
      if (!grant) return send(400, { error: 'invalid_grant' });
    } else {
      return send(400, { error: 'unsupported_grant_type' });
    }
    // Rotation: every answer carries a new refresh token; the old one stops working.
    grant.accessToken = `access-${randomUUID()}`;
    grant.refreshToken = `refresh-${randomUUID()}`;
    grant.accessExpiresAt = Date.now() + this.accessTtl * 1000;
    send(200, { access_token: grant.accessToken, refresh_token: grant.refreshToken, expires_in: this.accessTtl, token_type: 'Bearer', id_token: 'x.y.z' });
  }

  private async accountingCall(
    req: http.IncomingMessage,
    collection: 'Contacts' | 'Invoices',
    body: string,
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
    res: http.ServerResponse,
    record: CallRecord,
  ): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs)); // real time: a slow Xero (overlapping sends)
      const grant = this.grantFor(req);
      if (!grant) return send(401, { Type: null, Title: 'Unauthorized', Status: 401, Detail: 'TokenExpired: token expired at ' + new Date().toUTCString() });
      if (req.headers['xero-tenant-id'] !== grant.tenantId) return send(403, { Title: 'Forbidden', Detail: 'AuthenticationUnsuccessful' });
      const recent = this.accounting().filter((c) => c !== record && c.headers['xero-tenant-id'] === grant.tenantId && c.at > Date.now() - 60_000 && c.status !== 429).length;
      if (recent >= this.minuteLimit) return send(429, { Title: 'Too many requests' }, { 'retry-after': '60', 'x-rate-limit-problem': 'minute' });
      const fault = await this.fault(this.apiFaults, send, res);
      if (fault === 'answered') return;
      const key = req.headers['idempotency-key'];
      const remembered = typeof key === 'string' ? this.idempotent.get(`${collection}:${key}`) : undefined;
      let answer = remembered;
      if (!answer) {
        answer = this.apply(collection, JSON.parse(body) as Record<string, Record<string, unknown>[]>);
        if (typeof key === 'string' && answer.status < 300) this.idempotent.set(`${collection}:${key}`, answer);
      }
      if (fault === 'lose') {
        record.status = answer.status;
        res.socket?.destroy();
        return;
      }
      send(answer.status, answer.body, { 'x-minlimit-remaining': String(Math.max(0, this.minuteLimit - recent - 1)), 'x-daylimit-remaining': '4000' });
    } finally {
      this.inFlight--;
    }
  }

  private apply(collection: 'Contacts' | 'Invoices', request: Record<string, Record<string, unknown>[]>): { status: number; body: unknown } {
    const [item] = request[collection] ?? [];
    if (!item) return { status: 400, body: { Title: 'Validation error', Elements: [{ ValidationErrors: [{ Message: `No ${collection}` }] }] } };
    const idField = collection === 'Contacts' ? 'ContactID' : 'InvoiceID';
    const store = collection === 'Contacts' ? this.contacts : this.invoices;
    if (collection === 'Invoices' && !item[idField]) {
      const contact = item.Contact as Record<string, unknown> | undefined;
      if (!contact?.ContactID && !contact?.Name) {
        return { status: 400, body: { Type: 'ValidationException', Title: 'Validation error', Elements: [{ ValidationErrors: [{ Message: 'A Contact must be specified' }] }] } };
      }
      if (contact.ContactID && !this.contacts.has(String(contact.ContactID))) {
        return { status: 400, body: { Type: 'ValidationException', Title: 'Validation error', Elements: [{ ValidationErrors: [{ Message: 'Contact not found' }] }] } };
      }
    }
    let id = item[idField] as string | undefined;
    if (id && !store.has(id)) return { status: 404, body: { Title: 'Not found', Detail: `${idField} ${id} not found` } };
    id ??= randomUUID();
    store.set(id, { ...(store.get(id) ?? {}), ...item, [idField]: id });
    return { status: 200, body: { Id: randomUUID(), Status: 'OK', [collection]: [store.get(id)] } };
  }
}
