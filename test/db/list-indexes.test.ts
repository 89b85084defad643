import { Client } from 'pg';
import { listIndexes, ListIndex } from '../../src/core/list-indexes';
import type { FamilyDef } from '../../src/core/family';
import { MODULES } from '../../src/modules';
import { BIG, nodesOf, planOf, RARE_WORD, scaleProblems, seedBigCompany, statementsOf } from '../support/big-company';
import { Caller, useTestBase } from '../support/harness';

/**
 * What a list page costs must not depend on how big the company is: every order and filter a list
 * offers has an index in its shape (derived from the family declarations, so a new filter cannot ship
 * without one), and on a big company each list's statement reads through an index, never a
 * sequential scan of the table or a sort of the company's rows.
 */
const base = useTestBase();
const LISTED = MODULES.flatMap((m) => (m.family?.operations.has('list') ? [m.family] : []));
const fixedId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A value of every filter of every list, chosen so the big company has some but not most records matching. */
const FILTER_VALUES: Record<string, Record<string, string>> = {
  agencies: { q: RARE_WORD },
  artists: { q: RARE_WORD, agencyId: fixedId(7), genre: 'genre7' },
  venues: { q: RARE_WORD, city: 'city 7' },
  vendors: { q: RARE_WORD, category: 'catering' },
  avails: { from: '2050-01-01', to: '1990-03-01', venueId: fixedId(7), artistId: fixedId(7), status: 'released' },
  agreements: { status: 'sent', offerId: fixedId(7), artistId: fixedId(7), eventId: fixedId(7) },
  offers: { status: 'declined', artistId: fixedId(7), eventId: fixedId(7), from: '2025-06-01', to: '2020-01-10' },
  events: {
    type: 'upcoming',
    status: 'on_sale',
    venueId: fixedId(7),
    artistId: fixedId(7),
    from: '2023-01-01T00:00:00Z',
    to: '2020-01-05',
    q: RARE_WORD,
  },
  tickets: { q: 'Tier 3', status: 'paused' },
  incomes: { q: 'Income 3', category: 'merch' },
  expenses: { q: 'Expense 3', category: 'travel', status: 'submitted' },
  tasks: {
    q: RARE_WORD,
    assignee: 'me',
    status: 'in_progress',
    priority: 'high',
    eventId: fixedId(7),
    offerId: fixedId(7),
    dueBefore: '2020-01-03T00:00:00Z',
    overdue: 'true',
  },
  notifications: { unread: 'true', kind: 'kind7' },
  files: { entityType: 'Agreement', entityId: fixedId(7) },
  webhooks: {},
  webhookDeliveries: {},
  fxRates: {},
  payments: {},
};

/** The key list of a plain (non-partial) index as PostgreSQL prints it, with its method. */
const printed = (definition: string): { method: string; keys: string } | null => {
  const m = / USING (\w+) \((.*)\)$/.exec(definition);
  return m && !definition.includes(' WHERE ') ? { method: m[1], keys: m[2] } : null;
};

test('every index the lists need, derived from the family declarations, is in the database', async () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${base.schema}` });
  await client.connect();
  try {
    const derived: ListIndex[] = LISTED.flatMap((f) => listIndexes(f, base.server.dataSource.getMetadata(f.entity)));
    expect(derived.length).toBeGreaterThan(LISTED.length);
    const trigram = (await client.query(`SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_trgm'`)).rows[0]?.schema;
    expect(trigram).toBeDefined();
    const missing: string[] = [];
    for (const wanted of derived) {
      // PostgreSQL's own spelling of the wanted keys: the index made (and dropped) on the spot.
      await client.query('BEGIN');
      const keys = wanted.keys.map((k) => k.replace(/ gin_trgm_ops$/, ` ${trigram}.gin_trgm_ops`)).join(', ');
      await client.query(`CREATE INDEX wanted ON ${wanted.table} USING ${wanted.method} (${keys})`);
      const [{ definition }] = (await client.query(`SELECT pg_get_indexdef('wanted'::regclass) AS definition`)).rows;
      const existing = (
        await client.query(`SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = $1::regclass AND indexrelid <> 'wanted'::regclass`, [wanted.table])
      ).rows;
      await client.query('ROLLBACK');
      const want = printed(definition)!;
      const served = existing.some(({ definition: d }: { definition: string }) => {
        const have = printed(d);
        return have?.method === want.method && (have.keys === want.keys || have.keys.startsWith(`${want.keys}, `));
      });
      if (!served) missing.push(`${wanted.table} ${wanted.method} (${wanted.keys.join(', ')}) for the ${wanted.serves}`);
    }
    expect(missing).toEqual([]);
  } finally {
    await client.end();
  }
});

test('an order whose main key is descending breaks ties by id descending, so one index read backwards serves it', async () => {
  const files = LISTED.find((f) => f.plural === 'files')!;
  expect(listIndexes(files, base.server.dataSource.getMetadata(files.entity))[0].keys).toEqual(['company_id', 'created_at', 'id']);
});

describe('on a company of 30,000 records of each kind among small ones', () => {
  let actor: Caller;
  let someEvent: string;
  let someWebhook: string;
  beforeAll(async () => {
    actor = await base.caller();
    await seedBigCompany(base, base.companyA, actor.userId, [base.companyB, fixedId(90_001), fixedId(90_002)]);
    [{ id: someEvent }] = await base.sql<{ id: string }>(`SELECT id FROM events WHERE company_id = $1 ORDER BY id LIMIT 1`, [base.companyA]);
    [{ id: someWebhook }] = await base.sql<{ id: string }>(`SELECT id FROM webhooks WHERE company_id = $1 ORDER BY id LIMIT 1`, [base.companyA]);
  }, 120_000);

  let someAgreement: string;
  beforeAll(async () => {
    [{ id: someAgreement }] = await base.sql<{ id: string }>(`SELECT id FROM agreements WHERE company_id = $1 ORDER BY id LIMIT 1`, [base.companyA]);
  });
  /** A nested list's path under a record of its parent (an event, a webhook for its deliveries, an agreement for its payments). */
  const pathOf = (family: FamilyDef) =>
    `/api${family.path.replace(/:(\w+)/, (_m, key: string) => (key === 'webhookId' ? someWebhook : key === 'agreementId' ? someAgreement : someEvent))}`;

  /** The plan of the page statement the list route sends for `query`. */
  async function listPlan(family: FamilyDef, query: Record<string, string>) {
    let status = 0;
    const sent = await statementsOf(base.server.dataSource, async () => {
      const answer = await base.rest('GET', `${pathOf(family)}?${new URLSearchParams(query)}`, { as: actor });
      status = answer.status;
    });
    expect(status).toBe(200);
    const page = sent.find((s) => /\bLIMIT \d+/.test(s.sql) && s.sql.includes(`."${base.server.dataSource.getMetadata(family.entity).tableName}" "r"`));
    expect(page).toBeDefined();
    return planOf(base.server.dataSource, base.companyA, page!.sql, page!.params);
  }

  test('a value is given for every filter of every list (a new filter needs one here)', () => {
    for (const family of LISTED) expect(Object.keys(FILTER_VALUES[family.plural] ?? {}).sort()).toEqual(Object.keys(family.filters).sort());
  });

  test.each(LISTED.map((f) => [f.plural, f] as const))('%s: the first and a deep page, and each filter, read through an index', async (_name, family) => {
    const problems: string[] = [];
    const cases: Record<string, string>[] = [{}, { page: '100' }, ...Object.entries(FILTER_VALUES[family.plural]).map(([k, v]) => ({ [k]: v }))];
    for (const query of cases) {
      const plan = await listPlan(family, query);
      problems.push(...scaleProblems(plan).map((p) => `${JSON.stringify(query)}: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  test.each([
    ['artists', ['ix__artists__q_name']],
    ['events', ['ix__events__q_name']],
    ['tasks', ['ix__tasks__q_title', 'ix__tasks__q_description']],
    ['agencies', ['ix__agencies__q_name', 'ix__agencies__q_key']],
  ])('%s: a search reads the trigram indexes (bitmap index scans)', async (plural, indexes) => {
    const family = LISTED.find((f) => f.plural === plural)!;
    const plan = await listPlan(family, { q: RARE_WORD });
    const scanned = nodesOf(plan)
      .filter((n) => n['Node Type'] === 'Bitmap Index Scan')
      .map((n) => n['Index Name']);
    expect(scanned).toEqual(expect.arrayContaining(indexes));
  });

  test('the big company really is big: its rows are seeded, and its list total is capped, not counted whole', async () => {
    const [{ n }] = await base.sql<{ n: number }>(`SELECT count(*)::int AS n FROM artists WHERE company_id = $1`, [actor.companyId]);
    expect(n).toBe(BIG);
    const answer = await base.rest('GET', '/api/artists?limit=1', { as: actor });
    expect(answer.body.meta).toMatchObject({ total: 10_000, totalIsEstimate: true });
  });
});
