import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import { nodesOf, planOf, RARE_WORD, scaleProblems, seedBigCompany, statementsOf } from '../support/big-company';
import { startTestBase, TestBase } from '../support/harness';

/**
 * `npm run bench:scale`: what a request costs a big company beside a small one, in one Base and one
 * database. Seeds (with SQL) one company of BENCH_SCALE_RECORDS records of each listed kind (default
 * 50,000; a busy artist with as many history entries) beside BENCH_SCALE_SMALL companies of 50, then,
 * for every list route, search, deep page, deep cursor page, history and the dashboard, times
 * BENCH_SCALE_SAMPLES requests of each company, interleaved, and prints both medians, their ratio
 * (target ≤ 3×), the statements per request of each, and the plan of the big company's statements
 * (the largest number of rows any plan node read, and what would read the whole company: a sequential
 * scan, a sort of more than a page). Timings vary with the machine: compare ratios, not milliseconds.
 *
 *   DATABASE_URL      a PostgreSQL whose user may create schemas (the suite's server); required.
 *   BENCH_SCALE_VERBOSE=1  print each statement of the big company's requests with its plan.
 *   BENCH_SCALE_ONLY  measure only the requests whose label contains this text (`approvals`).
 */
const RECORDS = Number(process.env.BENCH_SCALE_RECORDS ?? 50_000);
const SMALL = Number(process.env.BENCH_SCALE_SMALL ?? 200);
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 25);
const TARGET = 3;
/** Only the probes whose label contains this text (case-insensitive), to re-measure one route. */
/** Print every statement of the big company's request with its plan. */
const VERBOSE = process.env.BENCH_SCALE_VERBOSE === '1';
const ONLY = (process.env.BENCH_SCALE_ONLY ?? '').toLowerCase();

interface Company {
  companyId: string;
  userId: string;
  headers: Record<string, string>;
}

interface Probe {
  label: string;
  /** The request for one company (async: some need an id or a cursor first). */
  request(base: TestBase, company: Company): Promise<{ method: string; path: string; body?: unknown }>;
}

const rest = (label: string, path: string): Probe => ({ label: `REST ${label}`, request: async () => ({ method: 'GET', path }) });
const gql = (label: string, query: string): Probe => ({ label: `GraphQL ${label}`, request: async () => ({ method: 'POST', path: '/graphql', body: { query } }) });

/** The cursor after the company's last full page of `limit` (the deepest page a cursor reaches). */
async function deepCursor(base: TestBase, company: Company, list: string, limit: number): Promise<string> {
  const first = await call(base, company, { method: 'GET', path: `${list}${list.includes('?') ? '&' : '?'}limit=${limit}` });
  const total = Number(first.body.meta.total);
  const page = Math.max(1, Math.min(Math.floor(total / limit) - 1, Math.floor(10_000 / limit)));
  const deep = await call(base, company, { method: 'GET', path: `${list}${list.includes('?') ? '&' : '?'}limit=${limit}&page=${page}` });
  if (!deep.body.meta.nextCursor) throw new Error(`no cursor after page ${page} of ${list}`);
  return deep.body.meta.nextCursor as string;
}

/** The deepest page a cursor reaches in a list, 20 rows a page. */
const deepCursorPage = (list: string): Probe => ({
  label: `REST ${list}?cursor=… (deepest cursor page)`,
  request: async (base, company) => ({ method: 'GET', path: `${list}?limit=20&cursor=${encodeURIComponent(await deepCursor(base, company, list, 20))}` }),
});

const PROBES: Probe[] = [
  rest('/api/artists (first page)', '/api/artists?limit=50'),
  rest('/api/artists?page=100', '/api/artists?limit=20&page=100'),
  deepCursorPage('/api/artists'),
  rest('/api/artists?q=…', `/api/artists?q=${RARE_WORD}`),
  rest('/api/agencies?q=…', `/api/agencies?q=${RARE_WORD}`),
  rest('/api/venues', '/api/venues'),
  rest('/api/vendors', '/api/vendors'),
  rest('/api/events?q=…', `/api/events?q=${RARE_WORD}`),
  rest('/api/events?status=on_sale', '/api/events?status=on_sale'),
  rest('/api/events?type=upcoming', '/api/events?type=upcoming'),
  deepCursorPage('/api/events'),
  rest('/api/avails', '/api/avails'),
  rest('/api/offers?status=sent', '/api/offers?status=sent'),
  rest('/api/agreements', '/api/agreements'),
  rest('/api/tasks?q=…', `/api/tasks?q=${RARE_WORD}`),
  rest('/api/tasks?assignee=me', '/api/tasks?assignee=me'),
  rest('/api/files (first page)', '/api/files'),
  deepCursorPage('/api/files'),
  rest('/api/notifications?unread=true', '/api/notifications?unread=true'),
  rest('/api/approvals', '/api/approvals'),
  {
    label: 'REST /api/artists/{id}/history (a busy artist)',
    request: async (_base, company) => ({ method: 'GET', path: `/api/artists/${busyArtists.get(company.companyId)}/history` }),
  },
  {
    label: 'GraphQL artist { history(limit: 20) { total … } } (a busy artist)',
    request: async (_base, company) => ({
      method: 'POST',
      path: '/graphql',
      body: { query: `{ artist(id: "${busyArtists.get(company.companyId)}") { history(limit: 20) { total totalIsEstimate items { id type } } } }` },
    }),
  },
  gql('artists(limit: 50) with agency', '{ artists(limit: 50) { total items { id name agency { id name } } } }'),
  gql('dashboard', `{ dashboard { from to upcomingEvents { count } activeHolds { total firstHolds } offersByStatus { status count }
      pendingApprovals { count } income { currency amount } approvedExpenses { currency amount } sellThrough { events sold sellThrough } myTasks { open overdue dueInPeriod } } }`),
];

/** Per company, an artist with as many history entries as the company has records. */
const busyArtists = new Map<string, string>();

async function call(base: TestBase, company: Company, request: { method: string; path: string; body?: unknown }) {
  const answer = await base.rest(request.method, request.path, { headers: company.headers, body: request.body });
  if (answer.status !== 200 || answer.body?.errors) throw new Error(`${request.method} ${request.path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
  return answer;
}

async function timed(base: TestBase, company: Company, request: { method: string; path: string; body?: unknown }): Promise<number> {
  const started = process.hrtime.bigint();
  await call(base, company, request);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The shape of the big company's plans: the most rows any node read, and what reads the whole company. */
async function planShape(base: TestBase, company: Company, request: { method: string; path: string; body?: unknown }): Promise<string> {
  const statements = await statementsOf(base.server.dataSource, () => call(base, company, request));
  let mostRows = 0;
  const problems: string[] = [];
  const indexes = new Set<string>();
  for (const { sql, params } of statements) {
    if (!/^\s*(SELECT|WITH)/i.test(sql)) continue;
    const plan = await planOf(base.server.dataSource, company.companyId, sql, params);
    if (VERBOSE) process.stdout.write(`  ${sql.replace(/\s+/g, ' ').slice(0, 3000)}\n${JSON.stringify(plan, null, 1).slice(0, 20000)}\n`);
    for (const node of nodesOf(plan)) {
      mostRows = Math.max(mostRows, (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops']);
      if (node['Index Name']) indexes.add(node['Index Name']);
    }
    problems.push(...scaleProblems(plan));
  }
  return `${problems.length ? problems.join(', ') : 'index'}; most rows a node read ${mostRows}${indexes.size ? `; ${[...indexes].slice(0, 3).join(', ')}` : ''}`;
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('bench:scale needs DATABASE_URL (a PostgreSQL whose user may create schemas)');
  const base = await startTestBase({ LOG_LEVEL: 'warn', JOBS: 'false' });
  try {
    const company = async (userId: string): Promise<Company> => {
      const companyId = randomUUID();
      base.auth.grant(userId, companyId, ALL_PERMISSIONS);
      const token = await base.auth.token(userId, { expiresIn: 6 * 3600 });
      return { companyId, userId, headers: { authorization: `Bearer ${token}`, 'x-org': companyId } };
    };
    const big = await company('big-user');
    const smallIds: string[] = Array.from({ length: SMALL }, () => randomUUID());
    const small = await company('small-0');
    smallIds[0] = small.companyId;
    process.stdout.write(`seeding a company of ${RECORDS.toLocaleString('en')} records of each kind beside ${SMALL} of 50 … `);
    const seedStarted = Date.now();
    await seedBigCompany(base, big.companyId, big.userId, smallIds, { big: RECORDS });
    // A busy artist: as many history entries as the company has records.
    for (const [who, n] of [[big, RECORDS], [small, 50]] as const) {
      const [{ id }] = await base.sql<{ id: string }>(`SELECT id FROM artists WHERE company_id = $1 ORDER BY id LIMIT 1`, [who.companyId]);
      busyArtists.set(who.companyId, id);
      await base.sql(
        `INSERT INTO domain_events (company_id, type, entity_type, entity_id, actor_id, version, payload, occurred_at)
         SELECT $1, 'artist.updated', 'Artist', $2, 'seed', g, '{}', now() - g * interval '1 minute' FROM generate_series(1, $3::int) g`,
        [who.companyId, id, n],
      );
    }
    // As autovacuum leaves a company's older rows (all-visible, so counts read indexes alone): the
    // seed's tables, not the whole database's.
    const tables = await base.sql<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = current_schema()`,
    );
    await base.sql(`VACUUM (ANALYZE) ${tables.map((t) => t.name).join(', ')}`);
    process.stdout.write(`done in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s\n\n`);

    const rows: string[][] = [];
    for (const probe of PROBES.filter((p) => p.label.toLowerCase().includes(ONLY))) {
      const requests = { big: await probe.request(base, big), small: await probe.request(base, small) };
      for (let i = 0; i < 3; i++) {
        await timed(base, big, requests.big);
        await timed(base, small, requests.small);
      }
      const times: { big: number[]; small: number[] } = { big: [], small: [] };
      const statements = { big: 0, small: 0 };
      for (let i = 0; i < SAMPLES; i++) {
        const before = base.statements();
        times.big.push(await timed(base, big, requests.big));
        const between = base.statements();
        times.small.push(await timed(base, small, requests.small));
        statements.big = between - before;
        statements.small = base.statements() - between;
      }
      const [b, s] = [median(times.big), median(times.small)];
      const ratio = b / s;
      const plan = await planShape(base, big, requests.big);
      rows.push([probe.label, b.toFixed(1), s.toFixed(1), `${ratio.toFixed(2)}×${ratio > TARGET ? ' (over 3×)' : ''}`, `${statements.big} / ${statements.small}`, plan]);
      process.stdout.write(`${probe.label}: ${b.toFixed(1)} ms vs ${s.toFixed(1)} ms, ${ratio.toFixed(2)}×\n`);
    }
    const header = ['request', `big (${RECORDS.toLocaleString('en')}) ms`, 'small (50) ms', 'ratio', 'statements big / small', 'plan of the big company'];
    process.stdout.write(`\n| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n`);
    for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
    const over = rows.filter((r) => r[3].includes('over'));
    process.stdout.write(`\n${over.length ? `${over.length} request(s) over ${TARGET}×` : `every request within ${TARGET}×`} (medians of ${SAMPLES}).\n`);
  } finally {
    await base.close();
  }
}

main().catch((err) => {
  process.stderr.write(`bench:scale failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
