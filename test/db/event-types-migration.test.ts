import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { EventTypesPastTense1764004200000 } from '../../migrations/1764004200000-EventTypesPastTense';
import { openDatabase } from '../../src/db/data-source';
import { ENTITIES } from '../../src/entities';
import { createLogger } from '../../src/logger';

/**
 * The history stored before event types spoke one tense is renamed with them (and back), in every
 * month's partition; the ladder's own `avail.released` is told from the action's by its payload.
 */
const databaseUrl = process.env.DATABASE_URL!;
const schema = `test_${randomBytes(5).toString('hex')}`;
const owner = new Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
const company = randomUUID();

beforeAll(async () => {
  const dataSource = await openDatabase({ entities: ENTITIES, url: databaseUrl, schema, poolMax: 2, logger: createLogger('silent') });
  await dataSource.destroy();
  await owner.connect();
});
afterAll(async () => {
  await owner.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await owner.end();
});

/** The migration's statements on the owner's connection, in one transaction like the runner's. */
async function run(step: 'up' | 'down'): Promise<void> {
  const runner = { query: (sql: string, params?: unknown[]) => owner.query(sql, params).then((r) => r.rows) } as unknown as QueryRunner;
  await owner.query('BEGIN');
  await new EventTypesPastTense1764004200000()[step](runner);
  await owner.query('COMMIT');
}

const types = async () =>
  (await owner.query<{ type: string; months_ago: number }>(`SELECT type, months_ago FROM domain_events d JOIN stored s ON s.id = d.id ORDER BY s.n`)).rows.map(
    (r) => `${r.type}@${r.months_ago}`,
  );

test('stored events of actions take their past-tense types, in every partition, and go back on down', async () => {
  await owner.query(`CREATE TEMP TABLE stored (n int, id uuid, months_ago int)`);
  const rows: [string, Record<string, unknown>, number][] = [
    ['expense.approve', { from: 'submitted', to: 'approved' }, 0],
    ['event.openSales', { from: 'draft', to: 'on_sale' }, 2],
    ['avail.challenge', {}, 0],
    ['avail.release', { from: 'held', to: 'released' }, 1],
    ['avail.released', { level: 2, reason: 'the slot was confirmed' }, 0],
    ['ticket.sales', { input: { quantity: 2 } }, 0],
    ['artist.created', { name: 'Kept' }, 0],
    ['notification.read', {}, 0],
  ];
  for (const [n, [type, payload, monthsAgo]] of rows.entries()) {
    const { rows: inserted } = await owner.query<{ id: string }>(
      `INSERT INTO domain_events (company_id, type, entity_type, entity_id, actor_id, payload, occurred_at)
       VALUES ($1, $2, 'Probe', gen_random_uuid(), 'someone', $3, now() - $4 * interval '1 month') RETURNING id`,
      [company, type, payload, monthsAgo],
    );
    await owner.query(`INSERT INTO stored VALUES ($1, $2, $3)`, [n, inserted[0].id, monthsAgo]);
  }
  const before = await types();

  await run('up');
  expect(await types()).toEqual([
    'expense.approved@0',
    'event.sales-opened@2',
    'avail.challenge-issued@0',
    'avail.released@1',
    'avail.released@0',
    'ticket.sales-recorded@0',
    'artist.created@0',
    'notification.read@0',
  ]);

  await run('down');
  expect(await types()).toEqual(before);
});
