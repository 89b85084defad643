import { CROSS_COMPANY_ROLE } from '../src/db/runtime-role';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { ALL_PERMISSIONS } from '../src/permissions/catalog';
import { MIGRATIONS } from '../migrations';
import { FakeAuth } from './support/fake-auth';
import { buildDist, runNode, startCompiledBase } from './support/processes';
import { jobQueueSchema } from '../migrations/support/job-queue';
import { eventually } from './jobs/support';

/**
 * docs/production.md's least-privilege set-up, for real: an owner login migrates with the migrate
 * CLI (no Auth settings, no dev dependency), and the service runs as a login that is only a member of
 * the runtime role, with DATABASE_MIGRATE=off. Start-up refuses what it cannot do with PostgreSQL's
 * own message, and a database behind the code with the names of the missing migrations (exit 78).
 * Every bad setting stops start-up the same way, without a stack trace.
 */
const adminUrl = process.env.DATABASE_URL!;
const suffix = randomBytes(4).toString('hex');
const schema = `prod_${suffix}`;
const roles = { owner: `kb_owner_${suffix}`, service: `kb_service_${suffix}`, runtime: `kb_runtime_${suffix}`, jobs: `kb_jobs_${suffix}` };
const password = randomBytes(12).toString('hex');
const admin = new Pool({ connectionString: adminUrl, max: 1 });
let auth: FakeAuth;

const loginUrl = (user: string): string => {
  const url = new URL(adminUrl);
  url.username = user;
  url.password = password;
  return url.toString();
};

const database = { DATABASE_SCHEMA: schema, DATABASE_RUNTIME_ROLE: roles.runtime, LOG_LEVEL: 'info' };
const production = () => ({ ...database, NODE_ENV: 'production', AUTH_JWKS_URL: auth.jwksUrl, AUTH_URL: auth.url, DATABASE_JOBS_URL: loginUrl(roles.jobs) });
const migrationNames = MIGRATIONS.map((m) => new m().name as string);

beforeAll(async () => {
  auth = await FakeAuth.start();
  const [{ db }] = (await admin.query('SELECT current_database() AS db')).rows;
  // What an administrator does once (docs/production.md): the owner may create the schema, the
  // runtime role exists, and the service's login is a member of nothing but that role.
  await admin.query(`CREATE ROLE ${roles.owner} LOGIN PASSWORD '${password}'`);
  await admin.query(`GRANT CREATE ON DATABASE "${db}" TO ${roles.owner}`);
  await admin.query(`CREATE ROLE ${roles.runtime} NOLOGIN`);
  await admin.query(`GRANT ${roles.runtime} TO ${roles.owner}`);
  await admin.query(`CREATE ROLE ${roles.service} LOGIN PASSWORD '${password}' IN ROLE ${roles.runtime}`);
  // The jobs' work across companies: a login of its own, a member of the jobs' role only (shared by every schema).
  await admin.query(`DO $$ BEGIN CREATE ROLE ${CROSS_COMPANY_ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  await admin.query(`CREATE ROLE ${roles.jobs} LOGIN PASSWORD '${password}' IN ROLE ${CROSS_COMPANY_ROLE}`);
  await buildDist();
}, 180_000);

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`DROP OWNED BY ${roles.owner}, ${roles.service}, ${roles.runtime}, ${roles.jobs}`);
  await admin.query(`DROP ROLE IF EXISTS ${roles.service}, ${roles.jobs}, ${roles.owner}, ${roles.runtime}`);
  await admin.end();
  await auth.close();
});

describe('least privilege', () => {
  test('migrating at start-up (DATABASE_MIGRATE=auto) as the service login stops with PostgreSQL\'s message, not only its code', async () => {
    const run = await runNode('dist/src/main.js', { ...production(), DATABASE_URL: loginUrl(roles.service) });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/start-up failed: permission denied for database/);
  });

  test('DATABASE_MIGRATE=off on a schema never migrated refuses to start (78), naming the missing migrations', async () => {
    const run = await runNode('dist/src/main.js', { ...production(), DATABASE_URL: loginUrl(roles.service), DATABASE_MIGRATE: 'off' });
    expect(run.code).toBe(78);
    expect(run.output).toContain(`lacks ${migrationNames.length} migration(s): ${migrationNames.join(', ')}`);
  });

  test('the migrate CLI runs from dist/ as the owner with no Auth settings, and again finds nothing to do', async () => {
    const env = { ...database, NODE_ENV: 'production', DATABASE_URL: loginUrl(roles.owner) };
    const first = await runNode('dist/src/cli/migrate.js', env);
    expect(first).toMatchObject({ code: 0 });
    expect(first.output).toContain('migrations applied');
    const again = await runNode('dist/src/cli/migrate.js', env);
    expect(again.code).toBe(0);
    expect(again.output).not.toContain('migrations applied');
    const { rows } = await admin.query(`SELECT name FROM ${schema}.migrations ORDER BY id`);
    expect(rows.map((r) => r.name)).toEqual(migrationNames);
  }, 60_000);

  test('then the service login starts with DATABASE_MIGRATE=off and serves reads and writes under row-level security', async () => {
    const base = await startCompiledBase({ ...production(), DATABASE_URL: loginUrl(roles.service), DATABASE_MIGRATE: 'off' });
    try {
      const company = randomUUID();
      auth.grant('operator', company, ALL_PERMISSIONS);
      const headers = { authorization: `Bearer ${await auth.token('operator')}`, 'x-org': company, 'content-type': 'application/json' };
      const created = await fetch(`${base.url}/api/agencies`, { method: 'POST', headers, body: JSON.stringify({ key: 'least-privilege', name: 'Least Privilege' }) });
      expect(created.status).toBe(201);
      const listed = await (await fetch(`${base.url}/api/agencies`, { headers })).json();
      expect(listed.data.map((a: { key: string }) => a.key)).toEqual(['least-privilege']);
      const sdl = await (await fetch(`${base.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _service { sdl } }' }) })).json();
      expect(sdl.data._service.sdl).toContain('type Agency');
      // The job queue works as the jobs' login: a job added now is taken, run and recorded by it.
      const queue = jobQueueSchema(schema);
      const [job] = (await admin.query(`SELECT id FROM ${queue}.add_job('periodic:jobs.remove-failed', queue_name => 'periodic:jobs.remove-failed')`)).rows;
      await eventually(async () => (await admin.query(`SELECT 1 FROM ${queue}.jobs WHERE id = $1`, [job.id])).rows.length === 0, 10_000);
    } finally {
      expect(await base.stop()).toBe(0);
    }
    const [row] = (await admin.query(`SELECT count(*)::int AS n FROM ${schema}.agencies`)).rows;
    expect(row.n).toBe(1);
  }, 90_000);

  test("a job queue schema behind graphile-worker (DATABASE_MIGRATE=off) stops the start: the service migrates nothing of it either", async () => {
    const queue = jobQueueSchema(schema);
    const [latest] = (await admin.query(`DELETE FROM ${queue}.migrations WHERE id = (SELECT max(id) FROM ${queue}.migrations) RETURNING *`)).rows;
    try {
      const run = await runNode('dist/src/main.js', { ...production(), DATABASE_URL: loginUrl(roles.service), DATABASE_MIGRATE: 'off' });
      expect(run.code).toBe(1);
      expect(run.output).toContain(`the job queue's schema ${queue} is behind graphile-worker: run the migrations as the schema owner`);
      expect((await admin.query(`SELECT 1 FROM ${queue}.migrations WHERE id = $1`, [latest.id])).rows).toEqual([]);
    } finally {
      await admin.query(`INSERT INTO ${queue}.migrations (id, ts, breaking) VALUES ($1, $2, $3)`, [latest.id, latest.ts, latest.breaking]);
    }
  });

  test('a migration the database lacks (DATABASE_MIGRATE=off) refuses the start (78), naming it', async () => {
    const last = migrationNames[migrationNames.length - 1];
    await admin.query(`DELETE FROM ${schema}.migrations WHERE name = $1`, [last]);
    const run = await runNode('dist/src/main.js', { ...production(), DATABASE_URL: loginUrl(roles.service), DATABASE_MIGRATE: 'off' });
    expect(run.code).toBe(78);
    expect(run.output).toContain(`lacks 1 migration(s): ${last}.`);
  });
});

describe('every setting is checked at start: a bad value names itself and exits 78 without a stack trace', () => {
  test.each([
    ['BODY_LIMIT', 'huge'],
    ['PORT', 'eighty'],
    ['DATABASE_MIGRATE', 'sometimes'],
    ['GRAPHQL_INTROSPECTION', 'maybe'],
    ['CORS_ORIGINS', 'app.example.com'],
  ])('%s=%s', async (name, value) => {
    const run = await runNode('dist/src/main.js', { ...database, [name]: value });
    expect(run.code).toBe(78);
    expect(run.output).toContain(`${name}:`);
    expect(run.output).not.toMatch(/\n\s+at /);
  });

  test('the migrate CLI too: a bad database setting names itself, exit 78', async () => {
    const run = await runNode('dist/src/cli/migrate.js', { ...database, DATABASE_POOL_MAX: 'many' });
    expect(run.code).toBe(78);
    expect(run.output).toContain('DATABASE_POOL_MAX:');
  });
});
