import { TenantScope } from '../../src/db/tenant-scope';
import { Agency } from '../../src/modules/agencies';
import { Artist } from '../../src/modules/artists';
import { useTestBase } from '../support/harness';

/**
 * The data-access layer is where tenancy lives: whatever a service adds to a scoped query, the
 * company filter survives it. (Services never see anything but TenantScope; see architecture.test.)
 */
const base = useTestBase();
let scopeA: TenantScope;
beforeAll(async () => {
  const manager = base.server.dataSource.manager;
  scopeA = new TenantScope(manager, { companyId: base.companyA, userId: 'a' });
  const scopeB = new TenantScope(manager, { companyId: base.companyB, userId: 'b' });
  await scopeA.repo(Agency).insert({ key: 'ours', name: 'Ours' });
  await scopeB.repo(Agency).insert({ key: 'theirs', name: 'Theirs' });
});

test('a shaper that replaces the WHERE cannot drop the company filter', async () => {
  const rows = await scopeA.repo(Agency).find((qb) => qb.where('1 = 1'));
  expect(rows.map((r) => r.key)).toEqual(['ours']);
});

test('a top-level OR, which would bind looser than the company filter, is refused', () => {
  expect(() => scopeA.repo(Agency).query((qb, a) => qb.where(`${a}.key = 'ours'`).orWhere(`${a}.key = 'theirs'`))).toThrow(/Brackets/);
});

test('inserts take the company from the scope, whatever the values say', async () => {
  const row = await scopeA.repo(Agency).insert({ key: 'sneaky', name: 'Sneaky', companyId: base.companyB } as Partial<Agency>);
  expect(row.companyId).toBe(base.companyA);
});

test('updates and deletes of another company\u2019s row find nothing', async () => {
  const [theirs] = await base.sql<{ id: string }>(`SELECT id FROM "${base.schema}".agencies WHERE key = 'theirs'`);
  await expect(scopeA.repo(Agency).update(theirs.id, { name: 'Mine now' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(scopeA.repo(Agency).delete(theirs.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  const [after] = await base.sql<{ name: string }>(`SELECT name FROM "${base.schema}".agencies WHERE id = $1`, [theirs.id]);
  expect(after.name).toBe('Theirs');
});

describe('joins', () => {
  test('a joined table without the company filter is refused', () => {
    expect(() =>
      scopeA.repo(Artist).query((qb, a) => qb.innerJoin(Agency, 'g', `g.id = ${a}.agencyId`)),
    ).toThrow(/without the company filter/);
  });

  test('join() filters the joined table by the company too', async () => {
    const repo = scopeA.repo(Artist);
    const [theirs] = await base.sql<{ id: string }>(`SELECT id FROM "${base.schema}".agencies WHERE key = 'theirs'`);
    const [ours] = await base.sql<{ id: string }>(`SELECT id FROM "${base.schema}".agencies WHERE key = 'ours'`);
    // A row pointing at another company's agency cannot exist (composite foreign key), so the join
    // condition names the other company's id on purpose: the company filter on `g` must drop it.
    await repo.insert({ name: 'Joined', agencyId: ours.id, currency: 'EUR' });
    const matched = async (agencyId: string) =>
      (await repo.find((qb, a) => repo.join(qb, Agency, 'g', `g.id = :gid`).setParameter('gid', agencyId).andWhere(`${a}.name = 'Joined'`))).length;
    expect(await matched(ours.id)).toBe(1);
    expect(await matched(theirs.id)).toBe(0);
  });
});

describe('guarded writes and the request\u2019s loaders', () => {
  test('an update guarded by a condition that does not hold is refused, and writes nothing', async () => {
    const row = await scopeA.repo(Agency).insert({ key: 'guarded', name: 'Guarded' });
    const refused = scopeA.transaction((tx) =>
      tx.repo(Agency).update(row.id, { name: 'Changed' }, { where: { sql: 'name = :n', params: { n: 'Someone else' } } }),
    );
    await expect(refused).rejects.toMatchObject({ code: 'CONFLICT' });
    const allowed = await scopeA.transaction((tx) =>
      tx.repo(Agency).update(row.id, { name: 'Changed' }, { where: { sql: 'name = :n', params: { n: 'Guarded' } } }),
    );
    expect([allowed.name, allowed.version]).toEqual(['Changed', 2]);
  });

  test('a record written in a transaction is read fresh afterwards by the same request\u2019s loader', async () => {
    const scope = new TenantScope(base.server.dataSource.manager, { companyId: base.companyA, userId: 'a' });
    const row = await scope.repo(Agency).insert({ key: 'cached', name: 'Before' });
    expect((await scope.byId(Agency).load(row.id))?.name).toBe('Before');
    await scope.transaction((tx) => tx.repo(Agency).update(row.id, { name: 'After' }));
    expect((await scope.byId(Agency).load(row.id))?.name).toBe('After');
  });
});

describe('read(): one SQL statement for aggregates', () => {
  test('row-level security holds the company even when the statement forgets it, in and out of a transaction', async () => {
    const sql = 'SELECT key FROM agencies ORDER BY key';
    const outside = await scopeA.read<{ key: string }>(sql);
    expect(outside.map((r) => r.key)).not.toContain('theirs');
    expect(outside.map((r) => r.key)).toContain('ours');
    const inside = await scopeA.transaction((tx) => tx.read<{ key: string }>(sql));
    expect(inside).toEqual(outside);
  });

  test('values are parameters; only a read is run', async () => {
    const [row] = await scopeA.read<{ n: number }>('SELECT count(*)::int AS n FROM agencies WHERE key = $1', ['ours']);
    expect(row.n).toBe(1);
    expect(() => scopeA.read("UPDATE agencies SET name = 'x'")).toThrow(/SELECT/);
    expect(() => scopeA.read("DELETE FROM agencies")).toThrow(/SELECT/);
  });
});
