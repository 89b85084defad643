import { promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * The one way Base calls another service (Auth, Xero, the AI provider). A redirect is never
 * followed: the 3xx comes back as the answer, which every caller treats as a failure of the call,
 * so a form body (an authorization code, a refresh token) or a credential header is never re-sent
 * to an address nobody configured. The signal is required: no outside call waits without a deadline.
 * (The JWKS is fetched by jose, which does the same: `redirect: 'manual'`, anything but 200 fails.)
 */
export function fetchOutside(url: string, init: Omit<RequestInit, 'redirect' | 'signal'> & { signal: AbortSignal }): Promise<Response> {
  return fetch(url, { ...init, redirect: 'manual' });
}

/** A 3xx: the service pointed elsewhere, and was not followed. */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

// ── Calls to addresses a company chose (webhooks) ─────────────────────────────────────────────────

/**
 * Addresses no call to a customer-chosen URL may reach unless the configuration allows private ones:
 * loopback, private, link-local (the cloud metadata service at 169.254.169.254), carrier-grade NAT,
 * "this network", benchmarking, documentation, multicast and reserved ranges, in IPv4 and IPv6
 * (IPv4-mapped IPv6 addresses are checked as the IPv4 address they carry).
 */
const INTERNAL = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
    ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
    ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ] as const) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of [
    ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
  ] as const) list.addSubnet(net, prefix, 'ipv6');
  return list;
})();

/** Whether an IP address is one a call to a customer-chosen URL must not reach (see INTERNAL). */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1], 'ipv4');
  return INTERNAL.check(address, 'ipv6');
}

/** Where a call to a customer-chosen URL may go. */
export interface DestinationRules {
  /** Internal addresses (INTERNAL) are allowed too (development). */
  allowPrivate: boolean;
  /** Only https (production). */
  requireHttps: boolean;
}

/** A customer-chosen URL that may not be called: its scheme, or an address it is or resolves to. */
export class UnsafeDestinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeDestinationError';
  }
}

/** The URL, parsed, if its scheme is allowed; its host without IPv6 brackets. */
function destination(url: string, rules: DestinationRules): { target: URL; host: string } {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new UnsafeDestinationError('is not a URL');
  }
  if (rules.requireHttps ? target.protocol !== 'https:' : !['https:', 'http:'].includes(target.protocol)) {
    throw new UnsafeDestinationError(rules.requireHttps ? 'must be an https URL' : 'must be an http(s) URL');
  }
  if (target.username || target.password) throw new UnsafeDestinationError('must not carry a user name or password');
  return { target, host: target.hostname.replace(/^\[|\]$/g, '') };
}

/** Every address of `host` (an IP literal is its own), refused when one is internal and those are not allowed. */
async function resolveAllowed(host: string, rules: DestinationRules, timeoutMs: number): Promise<{ address: string; family: number }[]> {
  const literal = isIP(host);
  let found: { address: string; family: number }[];
  if (literal) found = [{ address: host, family: literal }];
  else {
    let timer: NodeJS.Timeout | undefined;
    try {
      found = await Promise.race([
        dns.lookup(host, { all: true, verbatim: true }),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new UnsafeDestinationError(`${host} did not resolve in time`)), timeoutMs))),
      ]);
    } catch (err) {
      if (err instanceof UnsafeDestinationError) throw err;
      throw new UnsafeDestinationError(`${host} does not resolve`);
    } finally {
      clearTimeout(timer);
    }
  }
  if (!found.length) throw new UnsafeDestinationError(`${host} does not resolve`);
  if (!rules.allowPrivate) {
    const internal = found.find((a) => isInternalAddress(a.address));
    if (internal) throw new UnsafeDestinationError(`${host} is or resolves to an internal address (${internal.address})`);
  }
  return found;
}

/** Refuse a customer-chosen URL before it is stored: its scheme, and the addresses it resolves to now. */
export async function checkDestination(url: string, rules: DestinationRules, timeoutMs = 5000): Promise<void> {
  await resolveAllowed(destination(url, rules).host, rules, timeoutMs);
}

/** What came back from a POST to a customer-chosen URL: its status and the start of its body. */
export interface OutsideAnswer {
  status: number;
  /** At most `excerptBytes` of the body, as text. */
  excerpt: string;
  durationMs: number;
}

/** The call did not get an answer: refused before it was made, timed out, or the connection failed. */
export class OutsideCallFailed extends Error {
  constructor(
    message: string,
    readonly durationMs: number,
  ) {
    super(message);
    this.name = 'OutsideCallFailed';
  }
}

/**
 * POST `body` to a URL a company chose. The host is resolved here and the connection made to the
 * address that was checked (no second lookup an attacker's DNS could answer differently); a
 * redirect is an answer like any other, never followed; the whole call, body included, ends at
 * `timeoutMs`; only the first `excerptBytes` of the answer are read.
 */
export async function postOutside(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number; signal: AbortSignal; rules: DestinationRules; excerptBytes: number },
): Promise<OutsideAnswer> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let checked: { target: URL; address: { address: string; family: number } };
  try {
    const { target, host } = destination(url, init.rules);
    const [address] = await resolveAllowed(host, init.rules, init.timeoutMs);
    checked = { target, address };
  } catch (err) {
    throw new OutsideCallFailed(`refused: ${(err as Error).message}`, elapsed());
  }
  const { target, address } = checked;
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<OutsideAnswer>((resolve, reject) => {
    const fail = (message: string) => reject(new OutsideCallFailed(message, elapsed()));
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
        // Connect to the address checked above; TLS still verifies the certificate for the host name.
        lookup: (_host, options, callback) => {
          if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [address]);
          else callback(null, address.address, address.family);
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, excerpt: Buffer.concat(chunks).subarray(0, init.excerptBytes).toString('utf8'), durationMs: elapsed() });
        };
        res.on('data', (chunk: Buffer) => {
          if (size < init.excerptBytes) chunks.push(chunk);
          size += chunk.length;
          if (size >= init.excerptBytes) {
            // Enough of it: the rest is not read.
            res.removeAllListeners('data');
            res.destroy();
            done();
          }
        });
        res.on('end', done);
        res.on('error', () => done());
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      fail(`timed out after ${init.timeoutMs} ms`);
    }, init.timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      req.destroy();
      fail('aborted');
    };
    if (init.signal.aborted) onAbort();
    else init.signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => {
      clearTimeout(timer);
      fail(err.message);
    });
    req.on('close', () => init.signal.removeEventListener('abort', onAbort));
    req.end(init.body);
  });
}
