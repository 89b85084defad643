import http from 'node:http';
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { escapeLiteral, Pool, PoolClient, QueryResult } from 'pg';

/**
 * The bench's baseline: what a careful hand-written service does for the bench's workloads, with
 * node:http, pg and jose and nothing else. The same work as Base: the JWT verified against Auth's
 * JWKS on every request, the effective access asked of Auth (cached for the same TTL, concurrent
 * callers sharing one call), the permission checked, the same SQL, and the same JSON answers.
 * Two baselines, by `RAW_RLS`: unset, the company set for row-level security (same runtime role)
 * in the same round trips as Base sends (a page and its count in one; each batched read of related
 * records in one); `off`, no row-level security, each statement parameterised on its own.
 * Started as a child process by run.ts (`node dist/test/bench/raw-server.js`), configured by env.
 */
const env = process.env;
const WITH_RLS = env.RAW_RLS !== 'off';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pool = new Pool({
  connectionString: env.DATABASE_URL,
  max: Number(env.DATABASE_POOL_MAX ?? 10),
  // With row-level security, Base's runtime role (subject to it); without, the connecting role, which must bypass it.
  options: `-c search_path=${env.DATABASE_SCHEMA} -c statement_timeout=30000${WITH_RLS ? ` -c role=${env.DATABASE_RUNTIME_ROLE ?? 'kisum_base_runtime'}` : ''}`,
});
const jwks = createRemoteJWKSet(new URL(env.AUTH_JWKS_URL!));
const accessUrl = `${env.AUTH_URL}/v1/access/effective`;
let statements = 0;

interface Grant {
  userId: string;
  companyId: string;
  permissions: Set<string>;
}
const grants = new Map<string, { grant: Grant; until: number }>();
const pending = new Map<string, Promise<Grant>>();

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function authenticate(req: http.IncomingMessage): Promise<Grant> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) throw new HttpError(401, 'Missing bearer token');
  let sub: string;
  try {
    const { payload } = await jwtVerify(match[1], jwks, {
      algorithms: ['RS256', 'ES256'],
      issuer: env.AUTH_ISSUER ?? 'kisum-auth',
      audience: env.AUTH_AUDIENCE ?? 'kisum-base',
      clockTolerance: 30,
      requiredClaims: ['sub', 'exp'],
    });
    sub = String(payload.sub);
  } catch {
    throw new HttpError(401, 'Token rejected');
  }
  const org = String(req.headers['x-org'] ?? '').toLowerCase();
  if (!UUID.test(org)) throw new HttpError(400, 'x-org must be a company UUID');
  const key = `${createHash('sha256').update(match[1]).digest('base64url')}:${org}`;
  const cached = grants.get(key);
  if (cached && cached.until > Date.now()) return cached.grant;
  let call = pending.get(key);
  if (!call) {
    call = (async () => {
      const res = await fetch(accessUrl, {
        headers: { authorization: `Bearer ${match[1]}`, 'x-org': org },
        signal: AbortSignal.timeout(2000),
      });
      if (res.status !== 200) throw new HttpError(res.status === 401 ? 401 : 403, 'Access refused');
      const body = (await res.json()) as { permissions: string[]; membership: string; modules: string[] };
      if (body.membership !== 'active' || !body.modules.includes('basic')) throw new HttpError(403, 'Not a member');
      const grant = { userId: sub, companyId: org, permissions: new Set(body.permissions) };
      grants.set(key, { grant, until: Date.now() + Number(env.AUTH_ACCESS_CACHE_TTL_MS ?? 10000) });
      return grant;
    })().finally(() => pending.delete(key));
    pending.set(key, call);
  }
  return call;
}

function need(grant: Grant, ...permissions: string[]): void {
  for (const p of permissions) if (!grant.permissions.has(p)) throw new HttpError(403, `Missing permission ${p}`);
}

/** The statements of one round trip: each as its SQL with `$n` parameters. */
type Statement = [sql: string, params: unknown[]];
type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A statement with its parameters written in as literals escaped by pg (each a string, a number or a string array). */
function inline([sql, params]: Statement): string {
  return sql.replace(/\$(\d+)/g, (_m, n: string) => {
    const value = params[Number(n) - 1];
    if (value === null || value === undefined) return 'NULL';
    if (Array.isArray(value)) return `${escapeLiteral(`{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`)}`;
    return escapeLiteral(String(value));
  });
}

/**
 * The company's statements in one round trip. With row-level security (`RAW_RLS` unset or `on`), as
 * Base does: `BEGIN; SELECT set_config('app.company_id', …, true); <statements>; COMMIT` as one
 * simple-protocol text, the parameters written in by pg's escaping. Without it (`RAW_RLS=off`,
 * connected as a role that bypasses row-level security): each statement on its own, parameterised,
 * no transaction (a statement already names its company), independent ones at once on the pool.
 * Statements that must commit together go through `atomically`.
 */
async function inCompany(companyId: string, ...batch: Statement[]): Promise<Row[][]> {
  statements += batch.length === 0 ? 0 : WITH_RLS ? 1 : batch.length;
  if (!WITH_RLS) return Promise.all(batch.map(async ([sql, params]) => (await pool.query(sql, params)).rows));
  const text = `BEGIN; SELECT set_config('app.company_id', ${escapeLiteral(companyId)}, true); ${batch.map(inline).join('; ')}; COMMIT`;
  const client: PoolClient = await pool.connect();
  try {
    const results = (await client.query(text)) as unknown as QueryResult[];
    return results.slice(2, 2 + batch.length).map((r) => r.rows);
  } catch (err) {
    // A failed statement leaves the connection in the aborted transaction.
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

const num = (v: string | null) => (v === null ? null : Number(v));

const ARTIST_COLUMNS = 'id, created_at, updated_at, created_by, version, name, agency_id, genres, country, city, email, phone, website, notes, default_fee, currency';
const artistJson = (r: Row) => ({
  id: r.id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  createdBy: r.created_by,
  version: r.version,
  name: r.name,
  agencyId: r.agency_id,
  genres: r.genres,
  country: r.country,
  city: r.city,
  email: r.email,
  phone: r.phone,
  website: r.website,
  notes: r.notes,
  defaultFee: num(r.default_fee),
  currency: r.currency,
});

function paging(limit: unknown, page: unknown): { limit: number; page: number } {
  const l = limit === undefined ? 20 : Number(limit);
  const p = page === undefined ? 1 : Number(page);
  if (!Number.isInteger(l) || l < 1 || l > 100 || !Number.isInteger(p) || p < 1) throw new HttpError(400, 'bad paging');
  return { limit: l, page: p };
}

/** A page of a company's rows and their count, in one round trip. */
async function pageAndCount(companyId: string, columns: string, table: string, order: string, limit: number, page: number) {
  const [rows, [{ n }]] = await inCompany(
    companyId,
    [`SELECT ${columns} FROM ${table} WHERE company_id = $1 ORDER BY ${order} LIMIT $2 OFFSET $3`, [companyId, limit, (page - 1) * limit]],
    [`SELECT count(*) AS n FROM ${table} WHERE company_id = $1`, [companyId]],
  );
  return { rows, total: Number(n) };
}

/** The rows of `table` with these ids (none asked, none read), by id. */
async function byIds(companyId: string, columns: string, table: string, ids: string[]): Promise<Map<string, Row>> {
  const rows = ids.length ? (await inCompany(companyId, [`SELECT ${columns} FROM ${table} WHERE company_id = $1 AND id = ANY($2)`, [companyId, ids]]))[0] : [];
  return new Map(rows.map((r) => [r.id, r]));
}

/** GET /api/artists */
async function restArtists(grant: Grant, url: URL) {
  need(grant, 'basic.artist.view');
  const { limit, page } = paging(url.searchParams.get('limit') ?? undefined, url.searchParams.get('page') ?? undefined);
  const { rows, total } = await pageAndCount(grant.companyId, ARTIST_COLUMNS, 'artists', 'name ASC, id ASC', limit, page);
  return { status: 200, body: { data: rows.map(artistJson), meta: { page, limit, total, totalIsEstimate: false, nextCursor: page * limit < total ? 'more' : null } } };
}

/** POST /api/artists: the record and its domain event in one statement (so in one transaction, and one round trip). */
async function restCreateArtist(grant: Grant, body: Row) {
  need(grant, 'basic.artist.create');
  if (typeof body?.name !== 'string' || !body.name.trim() || typeof body.currency !== 'string' || !/^[A-Z]{3}$/.test(body.currency)) {
    throw new HttpError(400, 'invalid artist');
  }
  const genres: string[] = Array.isArray(body.genres) ? body.genres.map(String) : [];
  const name = body.name.trim();
  const [[row]] = await inCompany(grant.companyId, [
    `WITH artist AS (
       INSERT INTO artists (company_id, created_by, name, currency, genres) VALUES ($1, $2, $3, $4, $5) RETURNING ${ARTIST_COLUMNS}
     ), event AS (
       INSERT INTO domain_events (company_id, type, entity_type, entity_id, actor_id, version, payload)
       SELECT $1, 'artist.created', 'Artist', id, $2, version, $6::jsonb FROM artist
     )
     SELECT * FROM artist`,
    [grant.companyId, grant.userId, name, body.currency, genres, JSON.stringify({ name, currency: body.currency, genres })],
  ]);
  return { status: 201, body: { data: artistJson(row) } };
}

/** query ArtistPage: the artist list with each artist's agency. */
async function gqlArtists(grant: Grant, variables: Row) {
  need(grant, 'basic.artist.view');
  const { limit } = paging(variables.limit, 1);
  const { rows, total } = await pageAndCount(grant.companyId, ARTIST_COLUMNS, 'artists', 'name ASC, id ASC', limit, 1);
  const agencyIds = grant.permissions.has('basic.agency.view') ? [...new Set(rows.map((r) => r.agency_id).filter(Boolean))] : [];
  const agencies = await byIds(grant.companyId, 'id, key, name', 'agencies', agencyIds);
  return {
    data: {
      artists: {
        total,
        items: rows.map((r) => {
          const a = r.agency_id ? agencies.get(r.agency_id) : undefined;
          const { createdAt, updatedAt, ...rest } = artistJson(r);
          return { ...rest, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString(), agency: a ? { id: a.id, key: a.key, name: a.name } : null };
        }),
      },
    },
  };
}

/** One page of children per parent in one statement (window functions). */
async function pagesOf(table: string, columns: string, key: string, order: string, companyId: string, parents: string[], limit: number) {
  const [rows] = await inCompany(companyId, [
    `SELECT * FROM (SELECT ${columns}, ${key} AS __key, row_number() OVER (PARTITION BY ${key} ORDER BY ${order}) AS __rn, count(*) OVER (PARTITION BY ${key}) AS __total
       FROM ${table} WHERE company_id = $1 AND ${key} = ANY($2)) w WHERE w.__rn <= $3 ORDER BY w.__rn`,
    [companyId, parents, limit],
  ]);
  return rows;
}

function grouped(rows: Row[], map: (r: Row) => Row, limit: number) {
  const pages = new Map<string, { total: number; items: Row[] }>();
  for (const r of rows) {
    let p = pages.get(r.__key);
    if (!p) pages.set(r.__key, (p = { total: Number(r.__total), items: [] }));
    p.items.push(map(r));
  }
  return (key: string) => ({ page: 1, limit, ...(pages.get(key) ?? { total: 0, items: [] }) });
}

/** query AgencyArtists: agencies, each with a page of its artists. */
async function gqlAgencyArtists(grant: Grant, variables: Row) {
  need(grant, 'basic.agency.view');
  const { limit } = paging(variables.limit, 1);
  const { limit: perAgency } = paging(variables.perAgency, 1);
  const { rows: agencies, total } = await pageAndCount(grant.companyId, 'id, key, name', 'agencies', 'name ASC, id ASC', limit, 1);
  const canArtists = grant.permissions.has('basic.artist.view');
  const artists =
    canArtists && agencies.length
      ? grouped(
          await pagesOf('artists', 'id, name', 'agency_id', 'name ASC, id ASC', grant.companyId, agencies.map((a) => a.id), perAgency),
          (r) => ({ id: r.id, name: r.name }),
          perAgency,
        )
      : null;
  return {
    data: {
      agencies: {
        total,
        items: agencies.map((a) => {
          const page = artists?.(a.id);
          return { id: a.id, key: a.key, name: a.name, artists: page ? { total: page.total, items: page.items } : null };
        }),
      },
    },
  };
}

/** query EventsPage: the events screen, each event with its venue, lineup and ticket tiers. */
async function gqlEvents(grant: Grant, variables: Row) {
  need(grant, 'basic.event.view');
  const { limit } = paging(variables.limit, 1);
  const { rows: events, total } = await pageAndCount(
    grant.companyId,
    'id, name, starts_at, ends_at, doors_at, status, capacity, currency, venue_id, lineup',
    'events',
    'starts_at ASC, name ASC, id ASC',
    limit,
    1,
  );
  const venueIds = grant.permissions.has('basic.venue.view') ? [...new Set(events.map((e) => e.venue_id).filter(Boolean))] : [];
  const artistIds = grant.permissions.has('basic.artist.view') ? [...new Set(events.flatMap((e) => e.lineup as string[]))] : [];
  const ids = events.map((e) => e.id);
  // The three reads at once, each its own round trip, as Base's loaders do.
  const [venues, artists, tiers] = await Promise.all([
    byIds(grant.companyId, 'id, name, timezone, capacity', 'venues', venueIds),
    byIds(grant.companyId, 'id, name, genres', 'artists', artistIds),
    ids.length && grant.permissions.has('basic.ticket.view')
      ? pagesOf('tickets', 'id, name, price, currency, quantity, sold, status', 'event_id', 'name ASC, id ASC', grant.companyId, ids, 20).then((rows) =>
          grouped(
            rows,
            (t) => ({ id: t.id, name: t.name, price: Number(t.price), currency: t.currency, quantity: t.quantity, sold: t.sold, status: String(t.status).toUpperCase() }),
            20,
          ),
        )
      : null,
  ]);
  return {
    data: {
      events: {
        total,
        items: events.map((e) => {
          const v = e.venue_id ? venues.get(e.venue_id) : undefined;
          const page = tiers?.(e.id);
          return {
            id: e.id,
            name: e.name,
            startsAt: e.starts_at.toISOString(),
            endsAt: e.ends_at?.toISOString() ?? null,
            doorsAt: e.doors_at?.toISOString() ?? null,
            status: String(e.status).toUpperCase(),
            capacity: e.capacity,
            currency: e.currency,
            venue: v ? { id: v.id, name: v.name, timezone: v.timezone, capacity: v.capacity } : null,
            lineup: (e.lineup as string[]).map((id) => artists.get(id)).filter(Boolean).map((a) => ({ id: a!.id, name: a!.name, genres: a!.genres })),
            tickets: page ? { total: page.total, items: page.items } : null,
          };
        }),
      },
    },
  };
}

const OPERATIONS: Record<string, (grant: Grant, variables: Row) => Promise<unknown>> = {
  ArtistPage: gqlArtists,
  AgencyArtists: gqlAgencyArtists,
  EventsPage: gqlEvents,
};

function readBody(req: http.IncomingMessage): Promise<Row | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!chunks.length) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'Body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

async function handle(req: http.IncomingMessage): Promise<{ status: number; body: unknown }> {
  const url = new URL(req.url ?? '/', 'http://raw');
  if (req.method === 'GET' && url.pathname === '/health') return { status: 200, body: { status: 'ok' } };
  if (req.method === 'GET' && url.pathname === '/__statements') return { status: 200, body: { statements } };
  const body = await readBody(req);
  const grant = await authenticate(req);
  if (req.method === 'GET' && url.pathname === '/api/artists') return restArtists(grant, url);
  if (req.method === 'POST' && url.pathname === '/api/artists') return restCreateArtist(grant, body ?? {});
  if (req.method === 'POST' && url.pathname === '/graphql') {
    const operation = OPERATIONS[String(body?.operationName)];
    if (!operation) throw new HttpError(400, 'Unknown operation');
    return { status: 200, body: await operation(grant, body?.variables ?? {}) };
  }
  throw new HttpError(404, 'No route');
}

const server = http.createServer((req, res) => {
  handle(req).then(
    ({ status, body }) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    },
    (err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { message: err instanceof Error ? err.message : String(err) } }));
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(env.PORT ?? 0), env.HOST ?? '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.send?.({ port: address.port });
});
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
