import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import { jobQueueSchema } from '../../migrations/support/job-queue';
import { FakeAuth } from '../support/fake-auth';
import { FILE_MIB, measureFileRss } from './file-rss';
import { BENCH_WORKLOADS, BenchWorkload, seedBench, SeededBench } from './workloads';

/**
 * `npm run bench`: Base side by side with a hand-written node:http + pg + jose server doing the same
 * work (test/bench/raw-server.ts), twice: with row-level security paid in the same round trips as
 * Base (the baseline of the targets), and without it (one parameterised statement per query). All
 * run as child processes, Base with production settings (NODE_ENV=production, row-level security as
 * the runtime role), against one small Auth (JWKS and effective access) in this process. It seeds 20
 * agencies, 2,000 artists and an events screen through Base's REST API, checks that every server
 * answers every read workload with the same JSON, then runs each workload on each, interleaved, with
 * autocannon, and prints the medians: req/s, p50/p99, Base's ratio to each baseline, node CPU per
 * request, statements per request, Auth calls under 200 concurrent requests, and RSS.
 *
 *   BENCH_DURATION  seconds per run (default 5)      BENCH_RUNS  runs per workload and server (default 5)
 *   BENCH_CONNECTIONS  autocannon connections (50)   BENCH_ONLY  comma-separated workload names
 *   BENCH_LOG_LEVEL  Base's LOG_LEVEL (info, production's default)
 *   BENCH_PROFILE  a directory: Base is restarted after seeding under `node --cpu-prof` and writes
 *                  its CPU profile of the runs there when it stops (open it in Chrome DevTools);
 *                  the file-upload RSS measurement is left out then
 *   DATABASE_URL  a PostgreSQL whose user may create schemas; unset: the embedded dev PostgreSQL.
 */
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);

type ServerName = 'base' | 'raw' | 'rawNoRls';
/** How each server is named in the bench's output. */
const LABELS: Record<ServerName, string> = { base: 'Base', raw: 'raw', rawNoRls: 'raw without RLS' };

interface Served {
  name: ServerName;
  url: string;
  child: ChildProcess;
  /** SQL statements sent so far. */
  statements(): Promise<number>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} before it answered`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not answer /health within 120 s`);
}

/** The CPU time (user + system) a process has used so far, in ms, from its /proc stat line; and its command name. */
function processCpu(pid: number | string): { name: string; ms: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.split(') ')[1].split(' ');
    // utime, stime in clock ticks (USER_HZ = 100)
    return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 };
  } catch {
    return null; // gone meanwhile
  }
}

function cpuMs(child: ChildProcess): number {
  return child.pid === undefined ? NaN : (processCpu(child.pid)?.ms ?? NaN);
}

/** The CPU time each PostgreSQL process of the machine has used so far, in ms, by pid (the database's share of a run). */
function postgresCpuMs(): Map<string, number> {
  const used = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cpu = processCpu(pid);
    if (cpu?.name === 'postgres') used.set(pid, cpu.ms);
  }
  return used;
}

/** PostgreSQL's CPU between two readings: a backend that ended in between takes its time with it (an undercount, never negative). */
function postgresCpuSince(before: Map<string, number>): number {
  let total = 0;
  for (const [pid, ms] of postgresCpuMs()) total += Math.max(0, ms - (before.get(pid) ?? 0));
  return total;
}

function rssMb(child: ChildProcess): number {
  try {
    const line = readFileSync(`/proc/${child.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return Math.round(Number(line?.replace(/\D+/g, '')) / 1024);
  } catch {
    return NaN;
  }
}

/** Node's flags as production runs Base (the Dockerfile's CMD); the raw server gets the same, so the comparison stays fair. */
const NODE_FLAGS = ['--max-semi-space-size=64'];

async function startBase(env: Record<string, string>, log: string, profileDir?: string): Promise<Served> {
  const port = await freePort();
  const metricsPort = await freePort();
  const out = openSync(log, 'a');
  const child = fork(join(__dirname, '../../src/main.js'), [], {
    env: { ...process.env, ...env, PORT: String(port), METRICS_PORT: String(metricsPort) },
    stdio: ['ignore', out, out, 'ipc'],
    execArgv: [...NODE_FLAGS, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, `Base (log: ${log})`);
  return {
    name: 'base',
    url,
    child,
    async statements() {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => l.startsWith('db_statement_duration_seconds_count'))
        .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    },
  };
}

/** The raw server: with row-level security in Base's round trips, or (`withRls` false) without it, as the connecting role. */
async function startRaw(env: Record<string, string>, log: string, withRls: boolean): Promise<Served> {
  const port = await freePort();
  const out = openSync(log, 'a');
  const child = fork(join(__dirname, 'raw-server.js'), [], {
    env: { ...process.env, ...env, PORT: String(port), RAW_RLS: withRls ? 'on' : 'off' },
    execArgv: NODE_FLAGS,
    stdio: ['ignore', out, out, 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, `raw server (log: ${log})`);
  return {
    name: withRls ? 'raw' : 'rawNoRls',
    url,
    child,
    async statements() {
      return ((await (await fetch(`${url}/__statements`)).json()) as { statements: number }).statements;
    },
  };
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  cpuPerRequest: number;
  /** PostgreSQL's CPU per request (all its processes: other load on the machine counts too). */
  dbCpuPerRequest: number;
  errors: number;
}

async function measure(server: Served, workload: BenchWorkload, seeded: SeededBench, seconds: number): Promise<Sample> {
  const request = workload.request(seeded);
  const cpuBefore = cpuMs(server.child);
  const dbCpuBefore = postgresCpuMs();
  const result = await autocannon({
    url: `${server.url}${request.path}`,
    method: request.method,
    headers: { ...request.headers, ...(request.body ? { 'content-type': 'application/json' } : {}) },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    connections: CONNECTIONS,
    duration: seconds,
  });
  const cpu = cpuMs(server.child) - cpuBefore;
  const dbCpu = postgresCpuSince(dbCpuBefore);
  const expected = request.method === 'POST' && request.path.startsWith('/api') ? 201 : 200;
  const good = result[`${Math.floor(expected / 100)}xx` as '2xx'];
  return {
    rps: good / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuPerRequest: good ? cpu / good : NaN,
    dbCpuPerRequest: good ? dbCpu / good : NaN,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Statements per request, sequential, after a warm-up (the loaders, caches and pools are warm). */
async function statementsPerRequest(server: Served, workload: BenchWorkload, seeded: SeededBench): Promise<number> {
  const request = workload.request(seeded);
  const send = () =>
    fetch(`${server.url}${request.path}`, {
      method: request.method,
      headers: { ...request.headers, ...(request.body ? { 'content-type': 'application/json' } : {}) },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    }).then((r) => r.arrayBuffer());
  await send();
  // Reading the count may cost statements of its own (Base's /metrics counts the job queue): measured and taken off.
  const idle = -(await server.statements()) + (await server.statements());
  const before = await server.statements();
  for (let i = 0; i < 10; i++) await send();
  return ((await server.statements()) - before - idle) / 10;
}

/** Effective-access calls to Auth for 200 concurrent requests of a caller never seen before. */
async function authCallsUnderConcurrency(server: Served, auth: FakeAuth, companyId: string): Promise<number> {
  const userId = `bench-burst-${randomBytes(4).toString('hex')}`;
  auth.grant(userId, companyId, ALL_PERMISSIONS);
  const headers = { authorization: `Bearer ${await auth.token(userId)}`, 'x-org': companyId };
  const before = auth.calls;
  const answers = await Promise.all(
    Array.from({ length: 200 }, () => fetch(`${server.url}/api/artists?limit=1`, { headers }).then(async (r) => (await r.arrayBuffer(), r.status))),
  );
  if (answers.some((s) => s !== 200)) throw new Error(`${LABELS[server.name]}: a concurrent request failed (${answers.find((s) => s !== 200)})`);
  return auth.calls - before;
}

/** Two servers answer each read workload with the same JSON (key order aside). */
async function compareAnswers(base: Served, raw: Served, workload: BenchWorkload, seeded: SeededBench): Promise<string> {
  const request = workload.request(seeded);
  const get = async (server: Served) => {
    const res = await fetch(`${server.url}${request.path}`, {
      method: request.method,
      headers: { ...request.headers, ...(request.body ? { 'content-type': 'application/json' } : {}) },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    const body = (await res.json()) as Record<string, unknown> & { meta?: Record<string, unknown> };
    // A cursor is opaque (Base's carries a fingerprint of the list): compared by whether there is one.
    if (body.meta && 'nextCursor' in body.meta) body.meta = { ...body.meta, nextCursor: body.meta.nextCursor !== null };
    return { status: res.status, body };
  };
  const [a, b] = [await get(base), await get(raw)];
  if (a.status !== b.status) return `status ${a.status} vs ${b.status}`;
  if (workload.writes) {
    const keys = (x: unknown) => Object.keys((x as { data: object }).data).sort().join(',');
    return keys(a.body) === keys(b.body) ? 'same shape' : `fields differ: ${keys(a.body)} vs ${keys(b.body)}`;
  }
  return isDeepStrictEqual(a.body, b.body) ? 'same JSON' : 'DIFFERENT JSON';
}

async function main(): Promise<void> {
  let embedded: { stop(): Promise<void> } | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const config = loadConfig({});
    const { startEmbeddedPostgres } = await import('../../src/dev/embedded-postgres.js');
    const started = await startEmbeddedPostgres(config.database.embeddedDir, config.database.embeddedPort, createLogger('warn'));
    embedded = started;
    adminUrl = started.url;
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const auth = await FakeAuth.start();
  const logDir = tmpdir();
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    HOST: '127.0.0.1',
    DATABASE_URL: adminUrl,
    DATABASE_SCHEMA: schema,
    DATABASE_POOL_MAX: '10',
    AUTH_JWKS_URL: auth.jwksUrl,
    AUTH_URL: auth.url,
    // Background polling would add statements of its own to the per-request counts.
    JOBS: 'false',
    // Room for the file-upload RSS measurement's file.
    FILE_MAX_BYTES: String((FILE_MIB + 1) * 2 ** 20),
  };
  const servers: Served[] = [];
  try {
    let base = await startBase(env, join(logDir, `${schema}-base.log`));
    servers.push(base);
    const raw = await startRaw(env, join(logDir, `${schema}-raw.log`), true);
    servers.push(raw);
    const rawNoRls = await startRaw(env, join(logDir, `${schema}-raw-no-rls.log`), false);
    servers.push(rawNoRls);
    const baselines = [raw, rawNoRls];

    const actor = async (companyId: string) => {
      const userId = `bench-${randomBytes(4).toString('hex')}`;
      auth.grant(userId, companyId, ALL_PERMISSIONS);
      // Long enough for any run; both servers see the same token.
      const token = await auth.token(userId, { expiresIn: 6 * 3600 });
      return { authorization: `Bearer ${token}`, 'x-org': companyId };
    };
    const reader = await actor(randomUUID());
    const writer = await actor(randomUUID());
    process.stdout.write('seeding 20 agencies, 2,000 artists, 10 venues, 40 events with lineups and ticket tiers … ');
    const seeded = await seedBench(base.url, reader, writer);
    // Statistics as autovacuum keeps them on a live database: plans are the ones production gets.
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`VACUUM (ANALYZE) ${(await admin.query(`SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = $1`, [schema])).rows.map((t: { name: string }) => t.name).join(', ')}`).finally(() => admin.end());
    process.stdout.write('done\n');
    if (process.env.BENCH_PROFILE) {
      // A fresh Base under the profiler, so the profile holds the runs and not the seeding.
      await stop(base);
      base = await startBase(env, join(logDir, `${schema}-base.log`), process.env.BENCH_PROFILE);
      servers[0] = base;
      console.log(`Base runs under --cpu-prof; its profile goes to ${process.env.BENCH_PROFILE} when it stops`);
    }

    const workloads = BENCH_WORKLOADS.filter((w) => !ONLY || ONLY.includes(w.name));
    console.log('\nSame answers from Base and each raw server:');
    for (const w of workloads) {
      const answers = await Promise.all(baselines.map(async (r) => `${LABELS[r.name]}: ${await compareAnswers(base, r, w, seeded)}`));
      console.log(`  ${w.label.padEnd(44)} ${answers.join(', ')}`);
    }

    console.log(`\nWarming up, then ${RUNS} interleaved runs × ${DURATION} s per workload and server, ${CONNECTIONS} connections …`);
    const samples = new Map<string, Record<ServerName, Sample[]>>();
    for (const w of workloads) {
      samples.set(w.name, { base: [], raw: [], rawNoRls: [] });
      for (const s of servers) await measure(s, w, seeded, Math.min(2, DURATION));
    }
    for (let run = 0; run < RUNS; run++) {
      for (const w of workloads) {
        // Rotate who goes first, so none always runs on the warmer (or busier) machine.
        const order = servers.map((_, i) => servers[(i + run) % servers.length]);
        for (const s of order) samples.get(w.name)![s.name].push(await measure(s, w, seeded, DURATION));
      }
      process.stdout.write(`  run ${run + 1}/${RUNS} done\n`);
    }

    // Base's ratio against each baseline; the workload's target is against the raw server with the same round trips.
    const rows: string[][] = [
      ['workload', 'Base req/s', 'raw req/s', 'raw without RLS req/s', 'ratio', 'ratio without RLS', 'p50/p99 ms Base, raw, without RLS', 'CPU ms/req', 'PostgreSQL CPU ms/req', 'statements/req', 'errors'],
    ];
    for (const w of workloads) {
      const s = samples.get(w.name)!;
      const med = (name: ServerName, of: (x: Sample) => number) => median(s[name].map(of));
      const each = (of: (x: Sample) => number, digits: number) => servers.map((x) => med(x.name, of).toFixed(digits)).join(' vs ');
      const rps = (name: ServerName) => med(name, (x) => x.rps);
      const ratio = rps('base') / rps('raw');
      const statements = await Promise.all(servers.map((x) => statementsPerRequest(x, w, seeded)));
      rows.push([
        w.label,
        rps('base').toFixed(0),
        rps('raw').toFixed(0),
        rps('rawNoRls').toFixed(0),
        `${ratio.toFixed(2)}×${w.target ? (ratio >= w.target ? ` ≥ ${w.target} ✓` : ` < ${w.target} ✗`) : ''}`,
        `${(rps('base') / rps('rawNoRls')).toFixed(2)}×`,
        servers.map((x) => `${med(x.name, (y) => y.p50).toFixed(0)}/${med(x.name, (y) => y.p99).toFixed(0)}`).join(', '),
        each((x) => x.cpuPerRequest, 2),
        each((x) => x.dbCpuPerRequest, 2),
        statements.join(' vs '),
        String(servers.flatMap((x) => s[x.name]).reduce((n, x) => n + x.errors, 0)),
      ]);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log(`\n${line(rows[0])}\n|${widths.map((n) => '-'.repeat(n + 2)).join('|')}|`);
    for (const r of rows.slice(1)) console.log(line(r));

    const bursts: string[] = [];
    for (const x of servers) bursts.push(`${LABELS[x.name]} ${await authCallsUnderConcurrency(x, auth, reader['x-org'])}`);
    console.log(`\nAuth effective-access calls for 200 concurrent requests of a new caller: ${bursts.join(', ')}`);
    console.log(`RSS after the runs: ${servers.map((x) => `${LABELS[x.name]} ${rssMb(x.child)} MB`).join(', ')}`);
    // The service's peak RSS while a large file goes up and comes back, on the same Base (not when
    // profiling: the file's chunks would fill the profile that is meant to hold the runs).
    if (process.env.BENCH_PROFILE) console.log('File upload and download RSS: not measured under BENCH_PROFILE');
    else await measureFileRss({ url: base.url, headers: writer, pid: base.child.pid! });
    console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version} (${NODE_FLAGS.join(' ')}); ${DURATION} s × ${RUNS} runs, ${CONNECTIONS} connections; Base LOG_LEVEL=${env.LOG_LEVEL}`);
  } finally {
    for (const s of servers) await stop(s);
    await auth.close();
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}", "${jobQueueSchema(schema)}" CASCADE`).finally(() => client.end());
    await embedded?.stop();
  }
}

async function stop(server: Served): Promise<void> {
  server.child.kill('SIGTERM');
  await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once('exit', r)));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
