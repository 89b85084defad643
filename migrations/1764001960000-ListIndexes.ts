import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a list page costs must not depend on how big the company is. Every order and filter a list
 * offers gets an index in its exact shape, ending in `id` (src/core/list-indexes.ts derives the list
 * from the family declarations; a test holds the database to it), so a page is read in order from
 * an index instead of sorting the company; `q` searches (`ILIKE '%…%'`) get a trigram index per
 * column; and `company_id` gets a larger statistics sample on the big tables, since a few big
 * companies among many small ones skew it and the planner underestimated the big ones.
 *
 * The trigram indexes need the pg_trgm extension. It is created here when missing (a trusted
 * extension: a role with CREATE on the database may); otherwise the migration refuses, naming the
 * statement to run (docs/production.md), and nothing of it is applied.
 *
 * Under row-level security PostgreSQL reads a condition of the query through an index only when its
 * functions are LEAKPROOF; any other is applied after the company's policy, row by row, so a search
 * would read the whole company whatever its indexes. The functions of the list filters below are not
 * marked so by PostgreSQL, though none fails or tells anything about a row beyond its result (an
 * ILIKE fails only for a malformed pattern, the caller's own). Only a superuser may mark them: the
 * migration does when it runs as one, and otherwise logs a warning naming the statement to run
 * (docs/production.md); the lists stay correct without it, searches slower.
 */
const LIST_INDEXES: Record<string, Record<string, string>> = {
  agencies: { list: 'company_id, name, id' },
  artists: { list: 'company_id, name, id', list_agency: 'company_id, agency_id, name, id' },
  venues: { list: 'company_id, name, id', list_city: `company_id, lower(address ->> 'city'), name, id` },
  vendors: { list: 'company_id, name, id', list_category: 'company_id, category, name, id' },
  avails: {
    list: 'company_id, date, hold_level, id',
    list_venue: 'company_id, venue_id, date, hold_level, id',
    list_artist: 'company_id, artist_id, date, hold_level, id',
    list_status: 'company_id, status, date, hold_level, id',
  },
  agreements: {
    list: 'company_id, created_at, id',
    list_status: 'company_id, status, created_at, id',
    list_offer: 'company_id, offer_id, created_at, id',
    list_artist: 'company_id, artist_id, created_at, id',
    list_event: 'company_id, event_id, created_at, id',
  },
  offers: {
    list: 'company_id, date, created_at, id',
    list_status: 'company_id, status, date, created_at, id',
    list_artist: 'company_id, artist_id, date, created_at, id',
    list_event: 'company_id, event_id, date, created_at, id',
  },
  events: {
    list: 'company_id, starts_at, name, id',
    list_status: 'company_id, status, starts_at, name, id',
    list_venue: 'company_id, venue_id, starts_at, name, id',
  },
  tickets: { list: 'company_id, event_id, name, id' },
  incomes: { list: 'company_id, event_id, description, id' },
  expenses: { list: 'company_id, event_id, description, id' },
  tasks: {
    list: 'company_id, title, id',
    list_assignee: 'company_id, assignee_id, title, id',
    list_status: 'company_id, status, title, id',
    list_priority: 'company_id, priority, title, id',
    list_event: 'company_id, event_id, title, id',
    list_offer: 'company_id, offer_id, title, id',
    list_due: 'company_id, due_at, title, id',
  },
  // Newest first: read backwards (the id breaks ties in the same direction).
  notifications: { list: 'company_id, recipient_id, created_at, id', list_kind: 'company_id, recipient_id, kind, created_at, id' },
  files: {
    list: 'company_id, created_at, id',
    list_entity_type: 'company_id, entity_type, created_at, id',
    list_entity: 'company_id, entity_id, created_at, id',
  },
};

/** `q`: the columns each family's search reads. */
const SEARCHED: Record<string, string[]> = {
  agencies: ['name', 'key'],
  artists: ['name'],
  venues: ['name'],
  vendors: ['name'],
  events: ['name'],
  tasks: ['title', 'description'],
};

/** Indexes whose keys the new ones begin with: every query they served, the new ones serve. */
const REPLACED: Record<string, string> = {
  ix__agencies__company_name: 'agencies (company_id, name)',
  ix__artists__company_name: 'artists (company_id, name)',
  ix__artists__company_agency: 'artists (company_id, agency_id) WHERE agency_id IS NOT NULL',
  ix__venues__company_name: 'venues (company_id, name)',
  ix__venues__company_city: `venues (company_id, lower(address ->> 'city'))`,
  ix__vendors__company_name: 'vendors (company_id, name)',
  ix__vendors__company_category: 'vendors (company_id, category)',
  ix__avails__company_date: 'avails (company_id, date)',
  ix__avails__venue_slot: 'avails (company_id, venue_id, date) WHERE venue_id IS NOT NULL',
  ix__avails__artist_slot: 'avails (company_id, artist_id, date) WHERE artist_id IS NOT NULL',
  ix__agreements__company_artist: 'agreements (company_id, artist_id)',
  ix__agreements__event: 'agreements (company_id, event_id) WHERE event_id IS NOT NULL',
  ix__offers__company_date: 'offers (company_id, date)',
  ix__offers__company_artist: 'offers (company_id, artist_id)',
  ix__offers__event: 'offers (company_id, event_id) WHERE event_id IS NOT NULL',
  ix__events__company_starts_at: 'events (company_id, starts_at)',
  ix__events__company_venue: 'events (company_id, venue_id) WHERE venue_id IS NOT NULL',
  ix__tickets__company_event: 'tickets (company_id, event_id)',
  ix__incomes__company_event: 'incomes (company_id, event_id)',
  ix__expenses__company_event: 'expenses (company_id, event_id)',
  ix__tasks__event: 'tasks (company_id, event_id) WHERE event_id IS NOT NULL',
  ix__tasks__offer: 'tasks (company_id, offer_id) WHERE offer_id IS NOT NULL',
  ix__notifications__inbox: 'notifications (company_id, recipient_id, created_at DESC, id)',
};

/** The tables a company grows big in: a sample of 1,000 instead of 100 keeps its share of rows right. */
const BIG_TABLES = ['artists', 'events', 'avails', 'offers', 'agreements', 'tickets', 'incomes', 'expenses', 'tasks', 'notifications', 'files', 'domain_events'];
const COMPANY_STATISTICS = 1000;

/** ILIKE (`q`), an array holding a value, a case-insensitive equality, a jsonb member (`city`). */
export const LEAKPROOF_FUNCTIONS = ['texticlike(text, text)', 'arraycontains(anyarray, anyarray)', 'lower(text)', 'jsonb_object_field_text(jsonb, text)'];

export class ListIndexes1764001960000 implements MigrationInterface {
  name = 'ListIndexes1764001960000';

  async up(q: QueryRunner): Promise<void> {
    const trigram = await trigramOperatorClass(q);
    for (const name of Object.keys(REPLACED)) await q.query(`DROP INDEX ${name}`);
    for (const [table, indexes] of Object.entries(LIST_INDEXES)) {
      for (const [name, keys] of Object.entries(indexes)) await q.query(`CREATE INDEX ix__${table}__${name} ON ${table} (${keys})`);
    }
    for (const [table, columns] of Object.entries(SEARCHED)) {
      for (const column of columns) await q.query(`CREATE INDEX ix__${table}__q_${column} ON ${table} USING gin (${column} ${trigram})`);
    }
    for (const table of BIG_TABLES) await q.query(`ALTER TABLE ${table} ALTER COLUMN company_id SET STATISTICS ${COMPANY_STATISTICS}`);
    await markLeakproof(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of BIG_TABLES) await q.query(`ALTER TABLE ${table} ALTER COLUMN company_id SET STATISTICS -1`);
    for (const [table, columns] of Object.entries(SEARCHED)) for (const column of columns) await q.query(`DROP INDEX ix__${table}__q_${column}`);
    for (const [table, indexes] of Object.entries(LIST_INDEXES)) for (const name of Object.keys(indexes)) await q.query(`DROP INDEX ix__${table}__${name}`);
    for (const [name, definition] of Object.entries(REPLACED)) await q.query(`CREATE INDEX ${name} ON ${definition}`);
    // pg_trgm stays: other schemas of the database may use it.
  }
}

/**
 * pg_trgm's operator class, qualified by the schema the extension lives in (one per database, so
 * whichever schema made it first). Made in `public` when missing; a race with another schema's
 * migration making it at the same moment is no error.
 */
async function trigramOperatorClass(q: QueryRunner): Promise<string> {
  try {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
          BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
          EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
          END;
        END IF;
      END $$`);
  } catch (err) {
    throw new Error(
      `The pg_trgm extension is not installed and this role may not create it (${(err as Error).message}). ` +
        'Run `CREATE EXTENSION pg_trgm SCHEMA public;` in this database as its owner or a superuser (see docs/production.md), then migrate again.',
    );
  }
  const [{ schema }] = await q.query(`SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_trgm'`);
  return `${schema}.gin_trgm_ops`;
}

async function markLeakproof(q: QueryRunner): Promise<void> {
  const [{ superuser }] = await q.query(`SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`);
  if (!superuser) {
    const marked = await q.query(`SELECT oid::regprocedure::text AS fn FROM pg_proc WHERE proleakproof AND oid = ANY($1::regprocedure[])`, [LEAKPROOF_FUNCTIONS]);
    const unmarked = LEAKPROOF_FUNCTIONS.filter((fn) => !marked.some((m: { fn: string }) => m.fn.replace(/,(?! )/g, ', ') === fn));
    if (unmarked.length) {
      q.connection.logger.log(
        'warn',
        `List searches and filters cannot read their indexes under row-level security until a superuser runs: ${unmarked.map((fn) => `ALTER FUNCTION pg_catalog.${fn} LEAKPROOF;`).join(' ')} (docs/production.md)`,
      );
    }
    return;
  }
  for (const fn of LEAKPROOF_FUNCTIONS) {
    await q.query(`
      DO $$
      BEGIN
        IF NOT (SELECT proleakproof FROM pg_proc WHERE oid = 'pg_catalog.${fn}'::regprocedure) THEN
          ALTER FUNCTION pg_catalog.${fn} LEAKPROOF;
        END IF;
      -- another schema's migration marked it at the same moment (tuple concurrently updated)
      EXCEPTION WHEN internal_error THEN NULL;
      END $$`);
  }
}
