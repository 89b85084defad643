import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenIssuer, MintOptions } from '../../src/dev/token-issuer';
import { Clock, systemClock } from '../../src/shared/clock';

/**
 * A small Auth over real HTTP for the tests: a JWKS, the effective-access endpoint of
 * auth-contract.md, and a switch for every fault Base must survive.
 */
export type AuthFault =
  | { kind: 'status'; status: number }
  | { kind: 'timeout' }
  | { kind: 'refuse' }
  | { kind: 'malformed' }
  | { kind: 'not-json' }
  | { kind: 'company-mismatch' }
  | { kind: 'user-mismatch' }
  | { kind: 'membership'; membership: string }
  | { kind: 'no-basic' }
  /** Answers 307 to the same endpoint, which then answers normally (a grant if there is one). */
  | { kind: 'redirect' };

/** What the JWKS endpoint serves instead of the key set. */
export type JwksFault = 'status-500' | 'not-json' | 'wrong-shape';

interface Membership {
  permissions: string[];
  modules: string[];
  membership: string;
}

export const ISSUER = 'kisum-auth';
export const AUDIENCE = 'kisum-base';

export class FakeAuth {
  /** Effective-access calls received. */
  calls = 0;
  jwksCalls = 0;
  fault: AuthFault | null = null;
  /** Breaks the JWKS endpoint (the effective-access endpoint keeps working). */
  jwksFault: JwksFault | null = null;
  /** Added before answering the effective-access call, to make concurrent callers overlap. */
  delayMs = 0;
  /** The headers of the last effective-access call (what Base forwarded). */
  lastAccessRequest: { authorization?: string; xOrg?: string } | null = null;
  /** Kids of signing keys Auth has dropped: the JWKS no longer publishes them. */
  readonly withdrawnKids = new Set<string>();
  private readonly members = new Map<string, Membership>();
  private readonly rejectedTokens = new Set<string>();

  private constructor(
    readonly issuer: TokenIssuer,
    private readonly server: http.Server,
    readonly url: string,
    /** Auth's time, which its tokens count from: the Base's clock in a test Base, as Auth and Base share real time. */
    private readonly clock: Clock,
  ) {}

  static async start(clock: Clock = systemClock): Promise<FakeAuth> {
    const issuer = await TokenIssuer.create(ISSUER, AUDIENCE);
    const server = http.createServer((req, res) => void self.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const self = new FakeAuth(issuer, server, `http://127.0.0.1:${port}`, clock);
    return self;
  }

  get jwksUrl(): string {
    return `${this.url}/.well-known/jwks.json`;
  }

  /** Make `userId` a member of `companyId` with exactly these permissions. */
  grant(userId: string, companyId: string, permissions: readonly string[], extra: Partial<Membership> = {}): void {
    this.members.set(`${userId}|${companyId}`, {
      permissions: [...permissions],
      modules: ['basic'],
      membership: 'active',
      ...extra,
    });
  }

  /** Auth answers 401 for this token (revoked session). */
  reject(token: string): void {
    this.rejectedTokens.add(token);
  }

  token(sub: string | undefined, options: MintOptions = {}, claims: Record<string, unknown> = {}): Promise<string> {
    return this.issuer.mint({ ...(sub === undefined ? {} : { sub }), ...claims }, { now: this.clock.now(), ...options });
  }

  reset(): void {
    this.calls = 0;
    this.jwksCalls = 0;
    this.fault = null;
    this.jwksFault = null;
    this.delayMs = 0;
    this.lastAccessRequest = null;
    this.withdrawnKids.clear();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === '/.well-known/jwks.json') {
      this.jwksCalls++;
      if (this.jwksFault === 'status-500') return json(res, 500, { error: 'fault' });
      if (this.jwksFault === 'not-json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('<html>gateway error</html>');
      }
      if (this.jwksFault === 'wrong-shape') return json(res, 200, { keys: 'none' });
      return json(res, 200, { keys: this.issuer.jwks().keys.filter((k) => !this.withdrawnKids.has(k.kid ?? '')) });
    }
    if (url.pathname !== '/v1/access/effective') return json(res, 404, { error: 'not found' });

    this.calls++;
    this.lastAccessRequest = {
      authorization: req.headers.authorization,
      xOrg: typeof req.headers['x-org'] === 'string' ? req.headers['x-org'] : undefined,
    };
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs)); // real time: overlapping callers
    const fault = this.fault;
    if (fault?.kind === 'refuse') return void req.socket.destroy();
    if (fault?.kind === 'timeout') return; // never answers; Base's timeout must fire
    if (fault?.kind === 'status') return json(res, fault.status, { error: 'fault' });
    if (fault?.kind === 'redirect' && !url.searchParams.has('redirected')) {
      res.writeHead(307, { location: `${this.url}/v1/access/effective?redirected=1` });
      return void res.end();
    }
    if (fault?.kind === 'not-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"userId": "oops"');
    }

    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (this.rejectedTokens.has(token)) return json(res, 401, { error: 'token revoked' });
    const sub = subjectOf(token);
    const org = String(req.headers['x-org'] ?? '');
    const member = sub ? this.members.get(`${sub}|${org.toLowerCase()}`) : undefined;
    if (!sub) return json(res, 401, { error: 'invalid token' });
    if (!member) return json(res, 403, { error: 'not a member' });
    if (fault?.kind === 'malformed') return json(res, 200, { userId: sub, companyId: org, membership: 'active', modules: 'basic' });

    json(res, 200, {
      userId: fault?.kind === 'user-mismatch' ? `${sub}-other` : sub,
      companyId: fault?.kind === 'company-mismatch' ? '00000000-0000-4000-8000-0000000000ff' : org,
      membership: fault?.kind === 'membership' ? fault.membership : member.membership,
      modules: fault?.kind === 'no-basic' ? ['pro'] : member.modules,
      permissions: member.permissions,
    });
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function subjectOf(token: string): string | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.sub === 'string' ? payload.sub : null;
  } catch {
    return null;
  }
}
