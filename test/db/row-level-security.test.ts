import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { EntityManager, QueryRunner } from 'typeorm';
import { CROSS_COMPANY_ROLE, DEFAULT_RUNTIME_ROLE } from '../../src/db/runtime-role';
import { jobQueueSchema } from '../../migrations/support/job-queue';
import { enqueueJob } from '../../src/jobs/enqueue';
import type { Job } from '../../src/jobs/queue';
import { startTestBase, useTestBase } from '../support/harness';
import { createAgency } from '../support/fixtures';
import { jobRow, jobsOfKind } from '../jobs/support';

/**
 * The second tenancy line: even a query that forgets the company (written here on purpose, raw,
 * through the service's own pool) sees and writes only the company its unit of work is for.
 */
const base = useTestBase();
const COMPANY_TABLES = ['agencies', 'artists', 'companies', 'domain_events', 'vendors', 'venues'];

/** The tables docs/production.md lists as under row-level security (between its markers). */
function documentedCompanyTables(): string[] {
  const doc = readFileSync(join(__dirname, '../../docs/production.md'), 'utf8');
  const list = /<!-- company tables -->([\s\S]*?)<!-- \/company tables -->/.exec(doc);
  if (!list) throw new Error('docs/production.md: no <!-- company tables --> list');
  return [...list[1].matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
}

let agencyOfA: string;
let agencyOfB: string;
beforeAll(async () => {
  const a = await base.caller(undefined, { company: base.companyA });
  const b = await base.caller(undefined, { company: base.companyB });
  agencyOfA = (await createAgency(base, a, { name: 'Of A' })).id;
  agencyOfB = (await createAgency(base, b, { name: 'Of B' })).id;
});

/** `work` in one transaction of the service's pool, with `app.company_id` set to `companyId`. */
function asCompany<R>(companyId: string, work: (m: EntityManager) => Promise<R>): Promise<R> {
  return base.server.dataSource.transaction(async (m) => {
    await m.query(`SELECT set_config('app.company_id', $1, true)`, [companyId]);
    return work(m);
  });
}

test('the service queries as the runtime role: no superuser, no BYPASSRLS, owner of nothing', async () => {
  const [me] = await base.server.dataSource.query(
    `SELECT current_user AS name, rolsuper AS super, rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`,
  );
  expect(me).toEqual({ name: DEFAULT_RUNTIME_ROLE, super: false, bypass: false });
  const owned = await base.sql(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND pg_get_userbyid(c.relowner) = $2`,
    [base.schema, DEFAULT_RUNTIME_ROLE],
  );
  expect(owned).toEqual([]);
});

test('every table with a company_id has row-level security enabled and forced, with a policy', async () => {
  const tables = await base.sql<{ relname: string; enabled: boolean; forced: boolean; policies: number }>(
    `SELECT c.relname, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
            (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition -- a partition is read through its parent's policy
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped)
      ORDER BY c.relname`,
    [base.schema],
  );
  // Every family's table is found this way (a new one without a policy fails here).
  expect(tables.map((t) => t.relname)).toEqual(expect.arrayContaining(COMPANY_TABLES));
  expect(tables).toEqual(tables.map(({ relname }) => ({ relname, enabled: true, forced: true, policies: 1 })));
  // …and the production guide names exactly these.
  expect(documentedCompanyTables()).toEqual(tables.map((t) => t.relname));
});

test('no policy has a switch a session could set: app.cross_company lifts nothing for the runtime role', async () => {
  const policies = await base.sql<{ tablename: string; qual: string }>(
    `SELECT tablename, qual FROM pg_policies WHERE schemaname = $1`,
    [base.schema],
  );
  expect(policies.filter((p) => p.qual.includes('cross_company'))).toEqual([]);
  // The service's pool, as an injected statement would try it: the switch, set either way.
  const seen = await base.server.dataSource.transaction(async (m) => {
    await m.query(`SET LOCAL app.cross_company = 'on'`);
    const bySet = await m.query(`SELECT id FROM agencies`);
    await m.query(`SELECT set_config('app.cross_company', 'on', true)`);
    const bySetConfig = await m.query(`SELECT id FROM companies`);
    return [...bySet, ...bySetConfig];
  });
  expect(seen).toEqual([]);
  const asA = await asCompany(base.companyA, async (m) => {
    await m.query(`SELECT set_config('app.cross_company', 'on', true)`);
    return m.query(`SELECT id FROM agencies`);
  });
  expect(asA).toEqual([{ id: agencyOfA }]);
});

test('a login that is a member of the runtime role only can neither lift the filter nor become the jobs’ role', async () => {
  const login = `kisum_base_test_login_${randomUUID().slice(0, 8)}`;
  await base.sql(`CREATE ROLE ${login} LOGIN IN ROLE ${DEFAULT_RUNTIME_ROLE}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.username = login;
  url.password = '';
  const client = new Client({ connectionString: url.toString(), options: `-c search_path=${base.schema} -c role=${DEFAULT_RUNTIME_ROLE}` });
  try {
    await client.connect();
    await client.query(`SET app.cross_company = 'on'`);
    expect((await client.query(`SELECT id FROM agencies`)).rows).toEqual([]);
    await client.query(`RESET ROLE`);
    expect((await client.query(`SELECT id FROM agencies`)).rows).toEqual([]);
    await expect(client.query(`SET ROLE ${CROSS_COMPANY_ROLE}`)).rejects.toThrow(/permission denied/);
  } finally {
    await client.end().catch(() => undefined);
    await base.sql(`DROP ROLE ${login}`);
  }
});

test('the policy reads the company once per statement (an InitPlan), not once per row', async () => {
  const plan = await asCompany(base.companyA, (m) => m.query(`EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*) FROM agencies`));
  const lines: string[] = plan.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']);
  expect(lines.some((line) => /InitPlan/.test(line))).toBe(true);
  const filters = lines.filter((line) => /Filter:|Index Cond:/.test(line));
  expect(filters.length).toBeGreaterThan(0);
  for (const filter of filters) expect(filter).not.toMatch(/current_setting|CURRENT_USER/i);
});

test('a query that forgets the company returns only the unit’s company rows, never another’s', async () => {
  const seenByA = await asCompany(base.companyA, (m) => m.query(`SELECT id, company_id FROM agencies`));
  expect(seenByA).toEqual([{ id: agencyOfA, company_id: base.companyA }]);
  const seenByB = await asCompany(base.companyB, (m) => m.query(`SELECT id FROM agencies`));
  expect(seenByB).toEqual([{ id: agencyOfB }]);
  // the owner sees both: the rows are there, the policy hides them
  expect(await base.sql(`SELECT id FROM agencies WHERE id = ANY($1)`, [[agencyOfA, agencyOfB]])).toHaveLength(2);
});

test('with no company set, a query returns nothing (also on a connection whose last unit set one)', async () => {
  expect(await base.server.dataSource.query(`SELECT id FROM agencies`)).toEqual([]);
  const runner: QueryRunner = base.server.dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await runner.query(`SELECT set_config('app.company_id', $1, true)`, [base.companyA]);
    expect(await runner.query(`SELECT id FROM agencies`)).toHaveLength(1);
    await runner.commitTransaction();
    // the transaction-local setting ended with the transaction: '' now, read as no company
    expect(await runner.query(`SELECT id FROM agencies`)).toEqual([]);
    expect(await runner.query(`SELECT id FROM companies`)).toEqual([]);
  } finally {
    await runner.release();
  }
});

test('an INSERT with another company’s id is refused; an UPDATE or DELETE of its rows touches nothing', async () => {
  await expect(
    asCompany(base.companyA, (m) => m.query(`INSERT INTO agencies (company_id, key, name, created_by) VALUES ($1, 'smuggled', 'Smuggled', 'x')`, [base.companyB])),
  ).rejects.toThrow(/row-level security/);
  // moving one of A's rows to B is refused too
  await expect(
    asCompany(base.companyA, (m) => m.query(`UPDATE agencies SET company_id = $1 WHERE id = $2`, [base.companyB, agencyOfA])),
  ).rejects.toThrow(/row-level security/);
  const [, updated] = await asCompany(base.companyA, (m) => m.query(`UPDATE agencies SET name = 'Taken' WHERE id = $1`, [agencyOfB]));
  expect(updated).toBe(0);
  const [, deleted] = await asCompany(base.companyA, (m) => m.query(`DELETE FROM agencies WHERE id = $1`, [agencyOfB]));
  expect(deleted).toBe(0);
  expect(await base.sql(`SELECT name FROM agencies WHERE id = $1`, [agencyOfB])).toEqual([{ name: 'Of B' }]);
  expect(await base.sql(`SELECT 1 FROM agencies WHERE key = 'smuggled'`)).toEqual([]);
});

test('a company adds only its own jobs, and jobs without a company; the queue itself is out of its reach', async () => {
  const queue = `"${jobQueueSchema(base.schema)}"`;
  const own = await asCompany(base.companyA, (m) => enqueueJob(m, { kind: 'test.rls-seen', companyId: base.companyA }));
  const sweep = await asCompany(base.companyA, (m) => enqueueJob(m, { kind: 'test.rls-seen' }));
  await expect(asCompany(base.companyA, (m) => enqueueJob(m, { kind: 'test.rls-seen', companyId: base.companyB }))).rejects.toThrow(
    /may only be added in that company's unit of work/,
  );
  // Outside any company's unit of work, no company's job either.
  await expect(base.server.dataSource.transaction((m) => enqueueJob(m, { kind: 'test.rls-seen', companyId: base.companyA }))).rejects.toThrow(/unit of work/);
  expect((await jobsOfKind(base, 'test.rls-seen')).map((j) => [j.id, j.company_id])).toEqual([
    [own.id, base.companyA],
    [sweep.id, null],
  ]);
  // The library's tables and functions: not the service's role's, in any company.
  await expect(asCompany(base.companyA, (m) => m.query(`SELECT id FROM ${queue}.jobs`))).rejects.toThrow(/permission denied/);
  await expect(asCompany(base.companyA, (m) => m.query(`SELECT ${queue}.add_job('test.rls-seen')`))).rejects.toThrow(/permission denied/);
  await base.sql(`SELECT FROM ${queue}.complete_jobs($1::bigint[])`, [[own.id, sweep.id]]);
});

test('the job queue runs and records the jobs of every company, and of none', async () => {
  const seen: Job[] = [];
  base.server.jobs.registerHandler('test.rls-every-company', async (job, data) => {
    seen.push(job);
    // the handler's cross-company access reads another company's rows
    const [{ n }] = await data.query<{ n: number }>(`SELECT count(*)::int AS n FROM agencies WHERE id = ANY($1)`, [[agencyOfA, agencyOfB]]);
    expect(n).toBe(2);
  });
  const ids = [];
  for (const companyId of [base.companyA, base.companyB, null]) {
    ids.push((await base.server.jobs.enqueue({ kind: 'test.rls-every-company', companyId, payload: { companyId } })).id);
  }
  expect(await base.server.jobs.runOnce()).toBeGreaterThanOrEqual(3);
  expect(seen.map((j) => j.companyId).sort()).toEqual([base.companyA, base.companyB, null].sort());
  for (const id of ids) expect(await jobRow(base, id)).toBeUndefined(); // done: the library deletes them
});

test('the surfaces still work under it: lists, writes, /ready and the public _service query', async () => {
  const a = await base.caller(undefined, { company: base.companyA });
  const list = await base.rest('GET', '/api/agencies', { as: a });
  expect(list.status).toBe(200);
  expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([agencyOfA]);
  expect((await base.rest('GET', '/ready')).status).toBe(200);
  const sdl = await base.gql('{ _service { sdl } }');
  expect(sdl.status).toBe(200);
  expect(sdl.body.data?._service.sdl).toContain('type Agency');
});

test('production refuses to start when its queries would bypass row-level security (a superuser role)', async () => {
  const [{ superuser }] = await base.sql<{ superuser: string }>(`SELECT current_user AS superuser`);
  const schema = `test_refused_${randomUUID().slice(0, 8)}`;
  try {
    await expect(
      startTestBase({ NODE_ENV: 'production', DATABASE_RUNTIME_ROLE: superuser, DATABASE_SCHEMA: schema }),
    ).rejects.toThrow(/row-level security would have no effect: .*superuser/);
  } finally {
    await base.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await base.sql(`DROP SCHEMA IF EXISTS "${jobQueueSchema(schema)}" CASCADE`);
  }
});
