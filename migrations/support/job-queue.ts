import { Logger, runMigrations } from 'graphile-worker';
import type { ClientBase, Pool } from 'pg';
import { CROSS_COMPANY_ROLE } from './row-level-security';

/**
 * The background jobs are graphile-worker's (src/jobs/queue.ts), in a schema of the library's own
 * beside Base's: `graphile_worker` for the default schema `public`, `<schema>_graphile_worker`
 * otherwise, so two deployments (or two test files) in one database never share a queue.
 */
export function jobQueueSchema(schema: string): string {
  const name = schema === 'public' ? 'graphile_worker' : `${schema}_graphile_worker`;
  // PostgreSQL would cut a longer name silently; config.ts keeps DATABASE_SCHEMA short enough.
  if (name.length > 63) throw new Error(`schema ${schema}: its job queue's schema name ${name} is over 63 characters`);
  return name;
}

/**
 * Install graphile-worker's schema, or bring it up to the installed library's version, with the
 * library's own migrator on the owner's connection `client` (outside a transaction: each of its
 * migrations is one of its own). Runs as the owner only: the service's roles never create anything
 * (src/jobs/queue.ts refuses to start on a schema that is behind).
 */
export async function migrateJobQueue(client: ClientBase, workerSchema: string): Promise<void> {
  const { rows } = await client.query<{ installed: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS installed`, [workerSchema]);
  await runMigrations({ pgPool: lentConnection(client, rows[0].installed), schema: workerSchema, logger: SILENT });
  await admitTheJobsRole(client, workerSchema);
}

/**
 * The library turns row-level security on for its tables, without policies, so that only their
 * owner sees rows. The worker runs as the jobs' role (CROSS_COMPANY_ROLE), not as the owner: a policy
 * admits that role to every row, named by role as the company tables' policies name it. Tables a
 * later version of the library adds get theirs at the next migration.
 */
async function admitTheJobsRole(client: ClientBase, workerSchema: string): Promise<void> {
  await client.query(
    `DO $$ DECLARE t record; BEGIN
       FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $schema$${workerSchema}$schema$ AND c.relkind IN ('r', 'p') AND c.relrowsecurity
                   AND NOT EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname AND p.policyname = 'jobs_role')
       LOOP
         EXECUTE format('CREATE POLICY jobs_role ON %I.%I USING (current_user = %L) WITH CHECK (current_user = %L)',
                        $schema$${workerSchema}$schema$, t.relname, '${CROSS_COMPANY_ROLE}', '${CROSS_COMPANY_ROLE}');
       END LOOP;
     END $$`,
  );
}

/** Its notices are for running workers; what goes wrong here is thrown. */
const SILENT = new Logger(() => () => undefined);

/**
 * `client` lent to the migrator as a pool of one. The migrator announces each migration on a
 * database-wide channel, for workers to stop on a breaking one; a first install has no worker of its
 * own yet, and those of other schemas in the database would take the announcement for theirs.
 */
function lentConnection(client: ClientBase, announce: boolean): Pool {
  const connection = {
    query(config: unknown, values?: unknown[]) {
      if (!announce && typeof config === 'string' && /pg_notify/.test(config) && values?.[0] === 'worker:migrate') return Promise.resolve({ rows: [] });
      return client.query(config as string, values);
    },
    release: () => undefined,
  };
  return {
    connect: async () => connection,
    // The caller's connection has its own error handling; the migrator need not add any.
    listeners: () => [() => undefined],
    on() {
      return this;
    },
    removeListener() {
      return this;
    },
    options: { max: 1 },
  } as unknown as Pool;
}
