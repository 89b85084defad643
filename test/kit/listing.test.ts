import { randomUUID } from 'node:crypto';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { applyFilters } from '../../src/core/listing';
import { inlineParameters } from '../../src/db/one-round-trip';
import { TenantScope } from '../../src/db/tenant-scope';
import { Artist } from '../../src/modules/artists';
import { Notification } from '../../src/modules/notifications';
import { notificationFamily } from '../../src/modules/notifications/notification.family';
import { expectGqlValidation, expectRestValidation, gqlData } from '../support/assertions';
import { Caller, useTestBase } from '../support/harness';
import { createVia, freshCaller, uniqueKey } from '../support/fixtures';

/**
 * What a list page costs, on every list of the kit: the total counted up to LIST_COUNT_LIMIT (then an
 * estimate), page numbers only LIST_MAX_PAGE_DEPTH rows deep, and the cursor that reaches any depth
 * at page 1's cost, in any order of directions and NULLs.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const base = useTestBase({ LIST_COUNT_LIMIT: '3', LIST_MAX_PAGE_DEPTH: '4' });
let actor: Caller;
const names = ['Ada', 'Bix', 'Cleo', 'Dot', 'Eve'];

beforeAll(async () => {
  actor = await freshCaller(base);
  for (const name of names) await createVia(base, actor, '/api/artists', { name });
});

test('a total over the count limit is the limit with totalIsEstimate: true; under it, exact', async () => {
  const all = await base.rest('GET', '/api/artists?limit=2', { as: actor });
  expect(all.body.meta).toMatchObject({ page: 1, limit: 2, total: 3, totalIsEstimate: true });
  const few = await base.rest('GET', '/api/artists?q=e', { as: actor });
  expect(few.body.meta).toMatchObject({ total: 2, totalIsEstimate: false });
  expect(gqlData(await base.gql('{ artists(limit: 2) { total totalIsEstimate } }', {}, { as: actor })).artists).toEqual({ total: 3, totalIsEstimate: true });
  // A page past the limit reached by number knows more: at least its own rows, exactly all on the last page.
  expect((await base.rest('GET', '/api/artists?limit=2&page=2', { as: actor })).body.meta).toMatchObject({ total: 4, totalIsEstimate: true });
  expect(gqlData(await base.gql('{ artists { total totalIsEstimate } }', {}, { as: actor })).artists).toEqual({ total: 5, totalIsEstimate: false });
  expect(gqlData(await base.gql('{ artists(filter: { q: "e" }) { total totalIsEstimate } }', {}, { as: actor })).artists).toEqual({ total: 2, totalIsEstimate: false });
});

test('a page number deeper than LIST_MAX_PAGE_DEPTH rows is 400 naming page; the cursor goes deeper', async () => {
  expect((await base.rest('GET', '/api/artists?limit=2&page=3', { as: actor })).body.data.map((a: any) => a.name)).toEqual(['Eve']);
  const deep = expectRestValidation(await base.rest('GET', '/api/artists?limit=2&page=4', { as: actor }), ['page']);
  expect(deep[0].message).toMatch(/cursor/);
  expectGqlValidation(await base.gql('{ artists(limit: 1, page: 6) { total } }', {}, { as: actor }), ['artists'], ['page']);

  const walked: string[] = [];
  let cursor = '';
  do {
    const res = await base.rest('GET', `/api/artists?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { as: actor });
    walked.push(...res.body.data.map((a: any) => a.name));
    cursor = res.body.meta.nextCursor;
  } while (cursor);
  expect(walked).toEqual(names);
});

test('a deep cursor page costs the statements page 1 costs, on both surfaces', async () => {
  const statements = async (call: () => Promise<unknown>) => {
    const before = base.statements();
    await call();
    return base.statements() - before;
  };
  const first = await base.rest('GET', '/api/artists?limit=1', { as: actor });
  const third = await base.rest('GET', `/api/artists?limit=1&cursor=${(await base.rest('GET', `/api/artists?limit=1&cursor=${first.body.meta.nextCursor}`, { as: actor })).body.meta.nextCursor}`, { as: actor });
  expect(third.body.data.map((a: any) => a.name)).toEqual(['Cleo']);
  const rest = {
    first: await statements(() => base.rest('GET', '/api/artists?limit=1', { as: actor })),
    deep: await statements(() => base.rest('GET', `/api/artists?limit=1&cursor=${third.body.meta.nextCursor}`, { as: actor })),
  };
  expect(rest).toEqual({ first: rest.first, deep: rest.first });
  const query = 'query($a: String) { artists(limit: 1, after: $a) { total items { name } pageInfo { endCursor } } }';
  const gql = {
    first: await statements(() => base.gql(query, { a: null }, { as: actor })),
    deep: await statements(() => base.gql(query, { a: third.body.meta.nextCursor }, { as: actor })),
  };
  expect(gql).toEqual({ first: gql.first, deep: gql.first });
});

describe('keyset order in mixed directions and with NULLs (the data-access layer)', () => {
  let scope: TenantScope;
  beforeAll(async () => {
    const companyId = randomUUID();
    scope = new TenantScope(base.server.dataSource.manager, { companyId, userId: 'k' }, null, { countLimit: 100, maxPageDepth: 100 });
    const countries = ['NZ', null, 'AU', 'NZ', null, 'AU', 'FR', 'NZ', null, 'AU', 'FR'];
    for (const [i, country] of countries.entries()) await scope.repo(Artist).insert({ name: `N${i % 4}`, country, currency: 'NZD', genres: [] });
  });

  const orders: [string, (qb: SelectQueryBuilder<ObjectLiteral>, a: string) => void][] = [
    ['country DESC NULLS LAST, name ASC', (qb, a) => qb.orderBy(`${a}.country`, 'DESC', 'NULLS LAST').addOrderBy(`${a}.name`, 'ASC')],
    ['country ASC NULLS FIRST, name DESC', (qb, a) => qb.orderBy(`${a}.country`, 'ASC', 'NULLS FIRST').addOrderBy(`${a}.name`, 'DESC')],
    ['country ASC (NULLs last), name DESC, id DESC', (qb, a) => qb.orderBy(`${a}.country`, 'ASC').addOrderBy(`${a}.name`, 'DESC').addOrderBy(`${a}.id`, 'DESC')],
    ['country DESC (NULLs first), name ASC', (qb, a) => qb.orderBy(`${a}.country`, 'DESC').addOrderBy(`${a}.name`, 'ASC')],
    ['name DESC, id DESC (one direction)', (qb, a) => qb.orderBy(`${a}.name`, 'DESC').addOrderBy(`${a}.id`, 'DESC')],
  ];
  test.each(orders)('%s: the walk by cursor is the whole list in its order', async (_name, order) => {
    const repo = scope.repo(Artist);
    const whole = await repo.page({ page: 1, limit: 100 }, order);
    expect(whole.total).toBe(11);
    const walked: string[] = [];
    let page = await repo.page({ page: 1, limit: 2 }, order);
    walked.push(...page.items.map((a) => a.id));
    while (page.pageInfo.hasNextPage) {
      const decoded = JSON.parse(Buffer.from(page.pageInfo.endCursor!, 'base64url').toString('utf8'));
      page = await repo.page({ page: 1, limit: 2, after: { cursor: decoded, field: 'cursor' } }, order);
      walked.push(...page.items.map((a) => a.id));
    }
    expect(walked).toEqual(whole.items.map((a) => a.id));
  });

  test('a cursor of one order is refused by another', async () => {
    const repo = scope.repo(Artist);
    const { pageInfo } = await repo.page({ page: 1, limit: 2 }, orders[0][1]);
    const cursor = JSON.parse(Buffer.from(pageInfo.endCursor!, 'base64url').toString('utf8'));
    await expect(repo.page({ page: 1, limit: 2, after: { cursor, field: 'after' } }, orders[1][1])).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'after' }] });
  });
});

test('unread=true compiles to read_at IS NULL, which the partial index ix__notifications__unread answers', async () => {
  const scope = new TenantScope(base.server.dataSource.manager, { companyId: actor.companyId, userId: actor.userId }, null, undefined, base.clock);
  const qb = scope.repo(Notification).query((q, a) => applyFilters(notificationFamily.filters, { unread: true }, q, a, { userId: actor.userId, companyId: actor.companyId, now: scope.now() }));
  const [sql, params] = qb.getQueryAndParameters();
  expect(sql).not.toMatch(/coalesce/i);
  const plan = await base.server.dataSource.transaction(async (m) => {
    // The table is nearly empty: the planner is told not to prefer reading it whole.
    await m.query('SET LOCAL enable_seqscan = off');
    return m.query(`EXPLAIN ${inlineParameters(sql, params)}`);
  });
  expect(plan.map((r: any) => r['QUERY PLAN']).join('\n')).toMatch(/ix__notifications__unread/);
});

describe('a nested list (one page per parent, batched) pages and counts like a root list', () => {
  let agencies: { id: string; name: string }[];
  beforeAll(async () => {
    agencies = [
      await createVia(base, actor, '/api/agencies', { name: 'Busy', key: uniqueKey() }),
      await createVia(base, actor, '/api/agencies', { name: 'Quiet', key: uniqueKey() }),
    ];
    for (const name of names) await createVia(base, actor, '/api/artists', { name: `${name} of Busy`, agencyId: agencies[0].id });
    await createVia(base, actor, '/api/artists', { name: 'Only of Quiet', agencyId: agencies[1].id });
  });

  const nested = (args: string) =>
    `{ agencies(filter: { q: "u" }) { items { name artists(${args}) { total totalIsEstimate items { name } pageInfo { endCursor hasNextPage } } } } }`;

  test('its total is exact up to the count limit, then the limit with totalIsEstimate: true, per parent in one batch', async () => {
    const data = gqlData(await base.gql(nested('limit: 2'), {}, { as: actor }));
    const byName = Object.fromEntries(data.agencies.items.map((a: any) => [a.name, a.artists]));
    expect(byName.Busy).toMatchObject({ total: 3, totalIsEstimate: true, items: [{ name: 'Ada of Busy' }, { name: 'Bix of Busy' }], pageInfo: { hasNextPage: true } });
    expect(byName.Quiet).toEqual({ total: 1, totalIsEstimate: false, items: [{ name: 'Only of Quiet' }], pageInfo: { endCursor: expect.any(String), hasNextPage: false } });
    // The last page reached by number knows the exact total; a page past the rows is empty with a total.
    const last = gqlData(await base.gql(nested('limit: 2, page: 3'), {}, { as: actor }));
    const lastOf = Object.fromEntries(last.agencies.items.map((a: any) => [a.name, a.artists]));
    expect(lastOf.Busy).toMatchObject({ total: 5, totalIsEstimate: false, items: [{ name: 'Eve of Busy' }] });
    expect(lastOf.Quiet).toMatchObject({ total: 1, items: [], pageInfo: { hasNextPage: false } });
  });

  test('its cursor walks every row of each parent in order, and a deep nested page costs the statements the first does', async () => {
    const walked: string[] = [];
    let after: string | null = null;
    const statements: number[] = [];
    do {
      const before = base.statements();
      const data: any = gqlData(await base.gql(`query($a: String) ${nested('limit: 2, after: $a')}`, { a: after }, { as: actor }));
      statements.push(base.statements() - before);
      const busy = data.agencies.items.find((a: any) => a.name === 'Busy').artists;
      walked.push(...busy.items.map((a: any) => a.name));
      after = busy.pageInfo.hasNextPage ? busy.pageInfo.endCursor : null;
    } while (after);
    expect(walked).toEqual(names.map((n) => `${n} of Busy`));
    expect(new Set(statements).size).toBe(1);
  });
});
