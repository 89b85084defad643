import type { DataSource } from 'typeorm';
import { Client } from 'pg';
import type { TestBase } from './harness';

/**
 * A company big enough that a plan reading all of it shows (`rows` of every listed table), beside a
 * few small ones, made with SQL in a few seconds; and the plans of what the service sends, read as
 * it reads them (the runtime role, the company set for row-level security).
 */
export const BIG = 30_000;
const SMALL = 50;
/** A word a few records of each searchable table hold, for a search that finds few of many. */
export const RARE_WORD = 'zyxwv';

const fixed = (n: string) => `('00000000-0000-4000-8000-' || lpad((${n})::text, 12, '0'))::uuid`;

/** The rows of one company: `n` of each listed table, the owner of notifications and tasks `userId`. */
function companyRows(company: string, userId: string, n: number): string {
  const c = `'${company}'::uuid`;
  const s = `FROM generate_series(1, ${n}) i`;
  const rare = (text: string) => `CASE WHEN i % 5000 = 7 THEN '${RARE_WORD} ' ELSE '' END || ${text}`;
  return `
    INSERT INTO agencies (company_id, key, name, created_by) SELECT ${c}, 'k' || i, ${rare(`'Agency ' || md5(i::text)`)}, 'seed' ${s};
    INSERT INTO artists (company_id, name, agency_id, genres, currency, created_by)
      SELECT ${c}, ${rare(`'Artist ' || md5(i::text)`)}, ${fixed('i % 500')}, ARRAY['genre' || (i % 40)], 'EUR', 'seed' ${s};
    INSERT INTO venues (company_id, name, address, timezone, created_by)
      SELECT ${c}, ${rare(`'Venue ' || md5(i::text)`)}, jsonb_build_object('city', 'City ' || (i % 300)), 'Europe/London', 'seed' ${s};
    INSERT INTO vendors (company_id, name, category, created_by)
      SELECT ${c}, ${rare(`'Vendor ' || md5(i::text)`)}, (ARRAY['sound', 'lighting', 'catering', 'security', 'other'])[i % 5 + 1], 'seed' ${s};
    INSERT INTO events (company_id, name, venue_id, starts_at, status, currency, lineup, created_by)
      SELECT ${c}, ${rare(`'Event ' || md5(i::text)`)}, ${fixed('i % 500')}, timestamptz '2020-01-01' + i * interval '2 hours',
             (ARRAY['draft', 'announced', 'on_sale', 'sold_out', 'cancelled', 'completed', 'settled'])[i % 7 + 1], 'EUR', ARRAY[${fixed('i % 3000')}], 'seed' ${s};
    INSERT INTO avails (company_id, date, artist_id, hold_level, status, created_by)
      SELECT ${c}, date '1990-01-01' + i, ${fixed('i % 500')}, 1, (ARRAY['held', 'confirmed', 'released', 'expired'])[i % 4 + 1], 'seed' ${s};
    INSERT INTO offers (company_id, artist_id, venue_id, date, deal_type, currency, status, created_by, created_at)
      SELECT ${c}, ${fixed('i % 500')}, ${fixed('i % 300')}, date '2020-01-01' + (i % 2000), 'flat', 'EUR',
             (ARRAY['draft', 'sent', 'accepted', 'declined', 'withdrawn'])[i % 5 + 1], 'seed', timestamptz '2020-01-01' + i * interval '1 minute' ${s};
    INSERT INTO offers (company_id, artist_id, event_id, deal_type, currency, status, created_by)
      SELECT ${c}, ${fixed('i % 500')}, e.id, 'flat', 'EUR', 'accepted', 'seed'
        FROM (SELECT id, row_number() OVER () AS i FROM events WHERE company_id = ${c} LIMIT ${n / 10}) e;
    INSERT INTO agreements (company_id, offer_id, artist_id, event_id, terms, status, created_by)
      SELECT ${c}, gen_random_uuid(), ${fixed('i % 500')}, ${fixed('i % 3000')}, '{}', (ARRAY['draft', 'sent', 'cancelled'])[i % 3 + 1], 'seed' ${s};
    INSERT INTO tasks (company_id, title, description, status, priority, due_at, assignee_id, event_id, offer_id, created_by)
      SELECT ${c}, ${rare(`'Task ' || md5(i::text)`)}, 'About ' || md5((-i)::text), (ARRAY['todo', 'in_progress', 'done', 'cancelled'])[i % 4 + 1],
             (ARRAY['low', 'normal', 'high'])[i % 3 + 1], timestamptz '2020-01-01' + i * interval '1 hour',
             CASE WHEN i % 50 = 0 THEN '${userId}' ELSE 'user-' || (i % 50) END, ${fixed('i % 3000')}, ${fixed('i % 3000')}, 'seed' ${s};
    INSERT INTO notifications (company_id, recipient_id, event_id, kind, title, entity_type, entity_id, read_at, created_by, created_at)
      SELECT ${c}, '${userId}', gen_random_uuid(), 'kind' || (i % 20), 'Notice', 'Event', ${fixed('i % 3000')},
             CASE WHEN i % 10 = 0 THEN NULL ELSE now() END, 'seed', timestamptz '2020-01-01' + i * interval '1 minute' ${s};
    INSERT INTO files (company_id, name, content_type, size, sha256, entity_type, entity_id, created_by, created_at)
      SELECT ${c}, 'file-' || i, 'text/plain', 1, md5(i::text) || md5(i::text), (ARRAY['Event', 'Artist', 'Agreement'])[i % 3 + 1], ${fixed('i % 3000')},
             'seed', timestamptz '2020-01-01' + i * interval '1 minute' ${s};
    INSERT INTO webhooks (company_id, url, events, status, consecutive_failures, sealed_secret, created_by, created_at)
      SELECT ${c}, 'https://hooks.example.com/' || i, ARRAY['vendor.created'], 'active', 0, 'sealed', 'seed',
             timestamptz '2020-01-01' + i * interval '1 minute' FROM generate_series(1, ${Math.min(n, 20)}) i;
    INSERT INTO webhook_deliveries (company_id, webhook_id, event_id, event_type, entity_type, entity_id, body, status, attempts, created_by, created_at)
      SELECT ${c}, w.id, gen_random_uuid(), 'vendor.created', 'Vendor', ${fixed('i % 3000')}, '{}', 'delivered', 1, 'seed',
             timestamptz '2020-01-01' + i * interval '1 minute' ${s}, (SELECT id FROM webhooks WHERE company_id = ${c} ORDER BY id LIMIT 1) w;
    INSERT INTO tickets (company_id, event_id, name, price, currency, quantity, sold, comps, kills, status, created_by)
      SELECT ${c}, e.id, 'Tier ' || k, 1000, 'EUR', 100, k, 0, 0, 'on_sale', 'seed'
        FROM (SELECT id FROM events WHERE company_id = ${c} ORDER BY id LIMIT ${n / 10}) e, generate_series(1, 10) k;
    INSERT INTO incomes (company_id, event_id, category, description, amount, currency, created_by)
      SELECT ${c}, e.id, 'bar', 'Income ' || k, 100, 'EUR', 'seed' FROM (SELECT id FROM events WHERE company_id = ${c} ORDER BY id LIMIT ${n / 10}) e, generate_series(1, 10) k;
    INSERT INTO expenses (company_id, event_id, category, description, amount, currency, status, submitted_at, created_by)
      SELECT ${c}, e.id, 'production', 'Expense ' || k, 100, 'EUR', (ARRAY['draft', 'submitted', 'approved'])[k % 3 + 1],
             CASE WHEN k % 3 = 0 THEN NULL ELSE timestamptz '2020-01-01' + (e.i * 10 + k) * interval '1 minute' END, 'seed'
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM events WHERE company_id = ${c} ORDER BY id LIMIT ${n / 10}) e, generate_series(1, 10) k;`;
}

/**
 * The big company (`BIG` of each) and small ones beside it, then ANALYZE. Foreign keys are not
 * checked and the indexes are built once after the rows rather than row by row (the same indexes,
 * from their own definitions), which keeps it to seconds.
 */
export async function seedBigCompany(base: Pick<TestBase, 'sql'>, company: string, userId: string, smallCompanies: string[], sizes: { big?: number } = {}): Promise<void> {
  const text = [companyRows(company, userId, sizes.big ?? BIG), ...smallCompanies.map((c, k) => companyRows(c, `small-${k}`, SMALL))].join('\n');
  await base.sql(`BEGIN;
    SET LOCAL session_replication_role = replica;
    SET LOCAL maintenance_work_mem = '128MB';
    CREATE TEMP TABLE seed_indexes ON COMMIT DROP AS
      SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
       WHERE t.relnamespace = current_schema()::regnamespace AND t.relkind = 'r' AND NOT t.relispartition
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);
    DO $$ DECLARE r record; BEGIN FOR r IN SELECT name FROM seed_indexes LOOP EXECUTE 'DROP INDEX ' || r.name; END LOOP; END $$;
    ${text}
    DO $$ DECLARE r record; BEGIN FOR r IN SELECT definition FROM seed_indexes LOOP EXECUTE r.definition; END LOOP; END $$;
    -- What the triggers (off while seeding) keep.
    INSERT INTO approval_queue_totals (company_id, currency, amount, count)
      SELECT company_id, currency, sum(amount), count(*) FROM expenses WHERE status = 'submitted' GROUP BY company_id, currency
      ON CONFLICT (company_id, currency) DO UPDATE SET amount = EXCLUDED.amount, count = EXCLUDED.count;
    COMMIT;
    ANALYZE`);
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The SQL statements the service sends while `work` runs, each as sent to PostgreSQL: read at the
 * driver (pg's Client), since logs and subscribers see one-round-trip reads by their shape only
 * (placeholders, no values), and these are to be explained with their values.
 */
export async function statementsOf(_dataSource: DataSource, work: () => Promise<unknown>): Promise<Statement[]> {
  const seen: Statement[] = [];
  const original = Client.prototype.query;
  const patched = function (this: Client, config: unknown, values?: unknown, callback?: unknown) {
    if (typeof config === 'string') seen.push({ sql: config, params: Array.isArray(values) ? values : [] });
    else if (config && typeof config === 'object' && 'text' in config) {
      const c = config as { text: string; values?: unknown[] };
      seen.push({ sql: c.text, params: c.values ?? (Array.isArray(values) ? values : []) });
    }
    return (original as (...args: unknown[]) => unknown).call(this, config, values, callback);
  };
  Client.prototype.query = patched as typeof Client.prototype.query;
  try {
    await work();
  } finally {
    Client.prototype.query = original;
  }
  // A read sent in one round trip is `BEGIN; SELECT set_config(…); <statements>; COMMIT`.
  return seen.flatMap((s) => (s.sql.startsWith('BEGIN; SELECT set_config') ? s.sql.split('; ').slice(2, -1).map((sql) => ({ sql, params: [] })) : [s]));
}

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** The executed plan of `statement` (its `$n` bound to `params`) as the service runs it: the runtime role, the company set. */
export async function planOf(dataSource: DataSource, companyId: string, statement: string, params: unknown[] = []): Promise<PlanNode> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await runner.query(`SELECT set_config('app.company_id', $1, true)`, [companyId]);
    const [row] = await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`, params);
    return (row['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan;
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}

export function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** Sorting, or reading and dropping, more rows than this is work on the company's rows, not a page's worth. */
const SORT_BOUND = 1_000;

/**
 * What is wrong with a plan that should cost what a small company's costs: a sequential scan of a
 * table, or a sort of more rows than a page's worth. Empty when none.
 */
export function scaleProblems(plan: PlanNode): string[] {
  const problems: string[] = [];
  for (const node of nodesOf(plan)) {
    const scanned = (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'];
    if (node['Node Type'] === 'Seq Scan' && scanned > SORT_BOUND) problems.push(`Seq Scan on ${node['Relation Name']} (${scanned} rows)`);
    else if ((node['Rows Removed by Filter'] ?? 0) * node['Actual Loops'] > SORT_BOUND) {
      problems.push(`${node['Node Type']}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''} reads ${node['Rows Removed by Filter']! * node['Actual Loops']} rows it does not keep`);
    }
    if (node['Node Type'] === 'Sort') {
      const sorted = (node.Plans ?? []).reduce((n, p) => n + p['Actual Rows'] * p['Actual Loops'], 0);
      if (sorted > SORT_BOUND) problems.push(`Sort of ${sorted} rows`);
    }
  }
  return problems;
}
