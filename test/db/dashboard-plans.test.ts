import { planOf, scaleProblems, seedBigCompany, Statement, statementsOf } from '../support/big-company';
import { Caller, useTestBase } from '../support/harness';

/**
 * The dashboard and an event's settlement read through indexes: on a company of 30,000 records of
 * each kind, no statement they send scans a table or sorts more than a page's worth of rows.
 */
const base = useTestBase();
let actor: Caller;
let someEvent: string;

beforeAll(async () => {
  actor = await base.caller();
  await seedBigCompany(base, base.companyA, actor.userId, [base.companyB]);
  [{ id: someEvent }] = await base.sql<{ id: string }>(`SELECT id FROM events WHERE company_id = $1 AND lineup <> '{}' ORDER BY id LIMIT 1`, [base.companyA]);
}, 120_000);

/** Each statement `path` sends, with what is wrong with its plan on the big company. */
async function problemsOf(path: string): Promise<{ sent: Statement[]; problems: string[] }> {
  let status = 0;
  const sent = await statementsOf(base.server.dataSource, async () => {
    status = (await base.rest('GET', path, { as: actor })).status;
  });
  expect(status).toBe(200);
  const problems: string[] = [];
  for (const statement of sent.filter((s) => /^\s*(WITH|SELECT)\b/i.test(s.sql) && !s.sql.includes('set_config'))) {
    const plan = await planOf(base.server.dataSource, base.companyA, statement.sql, statement.params);
    problems.push(...scaleProblems(plan).map((p) => `${p} in ${statement.sql.replace(/\s+/g, ' ').slice(0, 120)}…`));
  }
  return { sent, problems };
}

test('every part of the dashboard reads through indexes', async () => {
  const { sent, problems } = await problemsOf('/api/dashboard?from=2021-01-01&to=2021-01-31');
  expect(sent.filter((s) => s.sql.includes('FROM offers o')).length).toBe(1);
  expect(problems).toEqual([]);
});

test('the offers of the period count dated offers by their day and undated ones by their event', async () => {
  const answer = await base.rest('GET', '/api/dashboard?from=2021-01-01&to=2021-01-31', { as: actor });
  const [expected] = await base.sql<{ n: string }>(
    `SELECT count(*) AS n FROM offers o LEFT JOIN events e ON e.company_id = o.company_id AND e.id = o.event_id
      WHERE o.company_id = $1 AND COALESCE(o.date::timestamp AT TIME ZONE 'UTC', e.starts_at) >= '2021-01-01Z'
        AND COALESCE(o.date::timestamp AT TIME ZONE 'UTC', e.starts_at) < '2021-02-01Z'`,
    [base.companyA],
  );
  const counted = (answer.body.data.offersByStatus as { count: number }[]).reduce((n, s) => n + s.count, 0);
  expect(counted).toBeGreaterThan(0);
  expect(counted).toBe(Number(expected.n));
});

test("an event's settlement reads through indexes", async () => {
  const { problems } = await problemsOf(`/api/events/${someEvent}/settlement`);
  expect(problems).toEqual([]);
});
