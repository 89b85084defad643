import type { DataSource } from 'typeorm';
import { jobQueueSchema } from '../../migrations/support/job-queue';
import { CROSS_COMPANY_ROLE } from '../../migrations/support/row-level-security';

export { CROSS_COMPANY_ROLE };

/**
 * The role the service's queries run as. Row-level security does not apply to superusers (nor to
 * roles with BYPASSRLS), and a table's owner could switch it off; so migrations run as the owner
 * (the DATABASE_URL user) and every pooled connection then takes on this role, which owns nothing
 * and may only read and write rows (`-c role=...` in the connection's start-up options: no extra
 * round trip). Start-up creates it and its grants when the owner has the right to.
 */
export const DEFAULT_RUNTIME_ROLE = 'kisum_base_runtime';

type Sql = { query(sql: string, params?: unknown[]): Promise<unknown> };

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export interface RuntimeRoleSetup {
  /** False: the role is missing or the connecting user cannot take it on; queries would run as the owner. */
  usable: boolean;
  reason?: string;
}

/**
 * On the migrating connection (the owner, under the schema's migration lock): make the runtime role
 * and the jobs' cross-company role (CROSS_COMPANY_ROLE) exist, let the owner take them on, and grant
 * them row access to this schema's tables, and what each needs of the job queue. What the runtime
 * role's setup came to.
 */
export async function prepareServiceRoles(sql: Sql, schema: string, runtimeRole: string): Promise<RuntimeRoleSetup> {
  const runtime = await prepareRole(sql, schema, runtimeRole, false);
  // Whether the pool of the jobs may take it on shows when it connects (openCrossCompanyDatabase).
  await prepareRole(sql, schema, CROSS_COMPANY_ROLE, true);
  return runtime;
}

/**
 * Make `role` exist, let the owner take it on, grant it row access to this schema's tables.
 * Idempotent; instances and test files starting at once on other schemas may race on creating the
 * one shared role, which the duplicate guard absorbs. The grants do not depend on the owner taking
 * the role on: with separate logins (docs/production.md) only the logins are its members.
 */
async function prepareRole(sql: Sql, schema: string, role: string, runsJobs: boolean): Promise<RuntimeRoleSetup> {
  const [me] = (await sql.query(
    `SELECT rolsuper AS super, rolcreaterole AS createrole,
            EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists
       FROM pg_roles WHERE rolname = current_user`,
    [role],
  )) as { super: boolean; createrole: boolean; exists: boolean }[];
  if (!me.exists) {
    if (!me.super && !me.createrole) {
      return { usable: false, reason: `role ${role} does not exist and the database user may not create roles` };
    }
    await sql.query(`
      DO $$ BEGIN
        CREATE ROLE ${ident(role)} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- another instance made it first
      END $$`);
  }
  let setup: RuntimeRoleSetup = { usable: true };
  if (!me.super) {
    const [member] = (await sql.query(`SELECT pg_has_role(current_user, $1, 'MEMBER') AS yes`, [role])) as { yes: boolean }[];
    if (!member.yes) {
      try {
        await sql.query(`GRANT ${ident(role)} TO CURRENT_USER`);
      } catch {
        setup = { usable: false, reason: `the database user is not a member of role ${role} and may not grant it to itself` };
      }
    }
  }
  await sql.query(`GRANT USAGE ON SCHEMA ${ident(schema)} TO ${ident(role)}`);
  // Every table but partitions: row-level security is the parent's, so a partition read directly
  // would show every company's rows. The service reaches partitioned rows through their parent.
  await sql.query(`
    DO $$ DECLARE t record; BEGIN
      FOR t IN SELECT c.relname, c.relispartition FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ${literal(schema)} AND c.relkind IN ('r', 'p')
      LOOP
        IF t.relispartition THEN
          EXECUTE format('REVOKE ALL ON %I.%I FROM %I', ${literal(schema)}, t.relname, ${literal(role)});
        ELSE
          EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO %I', ${literal(schema)}, t.relname, ${literal(role)});
        END IF;
      END LOOP;
    END $$`);
  // Ordering keys drawn from a sequence (webhook deliveries): nextval needs USAGE.
  await sql.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${ident(schema)} TO ${ident(role)}`);
  // Retention policies are the owner's to set; the partition upkeep runs as the owner through its function.
  await sql.query(`REVOKE INSERT, UPDATE, DELETE ON ${ident(schema)}.retention_settings FROM ${ident(role)}`);
  await sql.query(`GRANT EXECUTE ON FUNCTION ${ident(schema)}.maintain_domain_event_partitions(integer) TO ${ident(role)}`);
  // A calendar feed's URL names no company: this finds the company and owner of one (and nothing else).
  await sql.query(`GRANT EXECUTE ON FUNCTION ${ident(schema)}.calendar_feed_owner(bytea) TO ${ident(role)}`);
  // The migration history is the owner's; the service only reads it (pending migrations at start-up).
  await sql.query(`REVOKE INSERT, UPDATE, DELETE ON ${ident(schema)}.migrations FROM ${ident(role)}`);
  await grantJobQueue(sql, schema, role, runsJobs);
  return setup;
}

/**
 * Every role adds jobs in a change's transaction through `enqueue_job` (which holds a company's jobs
 * to its unit of work); the jobs' role runs graphile-worker, so it works its schema's rows too, and
 * reads the library's migration history (the worker checks it is current when it starts).
 */
async function grantJobQueue(sql: Sql, schema: string, role: string, runsJobs: boolean): Promise<void> {
  const queue = ident(jobQueueSchema(schema));
  await sql.query(`GRANT EXECUTE ON FUNCTION ${ident(schema)}.enqueue_job(text, jsonb, timestamptz, uuid, text, integer) TO ${ident(role)}`);
  if (!runsJobs) return;
  await sql.query(`GRANT USAGE ON SCHEMA ${queue} TO ${ident(role)}`);
  await sql.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${queue} TO ${ident(role)}`);
  await sql.query(`REVOKE INSERT, UPDATE, DELETE ON ${queue}.migrations FROM ${ident(role)}`);
  await sql.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${queue} TO ${ident(role)}`);
  await sql.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${queue} TO ${ident(role)}`);
}

/**
 * Why row-level security would not hold for the queries of this data source, if it would not:
 * it runs as a superuser, a BYPASSRLS role, or (a member of) a table's owner. Empty when it holds.
 */
export async function rowLevelSecurityGaps(dataSource: DataSource, schema: string): Promise<string[]> {
  const [me] = (await dataSource.query(
    `SELECT current_user AS name, r.rolsuper AS super, r.rolbypassrls AS bypass,
            (SELECT string_agg(c.relname, ', ' ORDER BY c.relname)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
                AND pg_has_role(current_user, c.relowner, 'MEMBER')) AS owned
       FROM pg_roles r WHERE r.rolname = current_user`,
    [schema],
  )) as { name: string; super: boolean; bypass: boolean; owned: string | null }[];
  const gaps: string[] = [];
  if (me.super) gaps.push(`queries run as ${me.name}, a superuser`);
  if (me.bypass) gaps.push(`queries run as ${me.name}, which has BYPASSRLS`);
  if (me.owned) gaps.push(`queries run as ${me.name}, which owns ${me.owned}`);
  return gaps;
}
