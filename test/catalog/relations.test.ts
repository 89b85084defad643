import { randomUUID } from 'node:crypto';
import { Caller, useTestBase } from '../support/harness';
import { expectGqlError, expectRestError, gqlData } from '../support/assertions';
import { ENTITIES_QUERY } from '../support/catalog';
import { createAgency, createVia, freshCaller, NO_SUCH_ID, rows } from '../support/fixtures';

/**
 * Between families: `Artist.agency` / `Agency.artists` (right records, own permission, batched),
 * deleting a referenced agency (409 naming the references), and federation `_entities` per type.
 */
const base = useTestBase();

const artist = (actor: Caller, body: Record<string, unknown>) => createVia(base, actor, '/api/artists', body);

describe('Artist.agency and Agency.artists', () => {
  let actor: Caller;
  let live: { id: string; name: string };
  let nation: { id: string; name: string };

  beforeAll(async () => {
    actor = await freshCaller(base);
    live = await createAgency(base, actor, { name: 'Live Agency' });
    nation = await createAgency(base, actor, { name: 'Nation Agency' });
    await createAgency(base, actor, { name: 'Zero Agency' });
    await artist(actor, { name: 'Bravo', agencyId: live.id });
    await artist(actor, { name: 'Alpha', agencyId: live.id });
    await artist(actor, { name: 'Charlie', agencyId: nation.id });
    await artist(actor, { name: 'Delta' });
  });

  test('Artist.agency is the agency the artist points at, null when none', async () => {
    const data = gqlData(await base.gql('{ artists { items { name agency { id name } } } }', {}, { as: actor }));
    expect(data.artists.items).toEqual([
      { name: 'Alpha', agency: { id: live.id, name: 'Live Agency' } },
      { name: 'Bravo', agency: { id: live.id, name: 'Live Agency' } },
      { name: 'Charlie', agency: { id: nation.id, name: 'Nation Agency' } },
      { name: 'Delta', agency: null },
    ]);
  });

  test('Agency.artists is a page of the artists pointing at it, by name, with their total; empty when none', async () => {
    const data = gqlData(await base.gql('{ agencies { items { name artists { total items { name agencyId } } } } }', {}, { as: actor }));
    expect(data.agencies.items).toEqual([
      { name: 'Live Agency', artists: { total: 2, items: [{ name: 'Alpha', agencyId: live.id }, { name: 'Bravo', agencyId: live.id }] } },
      { name: 'Nation Agency', artists: { total: 1, items: [{ name: 'Charlie', agencyId: nation.id }] } },
      { name: 'Zero Agency', artists: { total: 0, items: [] } },
    ]);
    const one = gqlData(await base.gql(`{ agency(id: "${nation.id}") { artists { items { name agency { name } } } } }`, {}, { as: actor }));
    expect(one).toEqual({ agency: { artists: { items: [{ name: 'Charlie', agency: { name: 'Nation Agency' } }] } } });
  });

  test('Agency.artists pages like a top-level list: limit, page, a page past the end keeps the total; limit over 100 refused', async () => {
    const page = async (args: string) =>
      gqlData(await base.gql(`{ agency(id: "${live.id}") { artists(${args}) { page limit total items { name } } } }`, {}, { as: actor })).agency.artists;
    expect(await page('limit: 1')).toEqual({ page: 1, limit: 1, total: 2, items: [{ name: 'Alpha' }] });
    expect(await page('limit: 1, page: 2')).toEqual({ page: 2, limit: 1, total: 2, items: [{ name: 'Bravo' }] });
    expect(await page('limit: 1, page: 3')).toEqual({ page: 3, limit: 1, total: 2, items: [] });
    const tooMany = await base.gql(`{ agency(id: "${live.id}") { artists(limit: 101) { total } } }`, {}, { as: actor });
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  test('Artist.agency without basic.agency.view: the names arrive, agency is null with FORBIDDEN on each agency path', async () => {
    const viewer = await base.caller(['basic.artist.view'], { company: actor.companyId });
    const res = await base.gql('{ artists { items { name agency { name } } } }', {}, { as: viewer });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      artists: { items: [{ name: 'Alpha', agency: null }, { name: 'Bravo', agency: null }, { name: 'Charlie', agency: null }, { name: 'Delta', agency: null }] },
    });
    const errors = res.body.errors ?? [];
    expect(errors.map((e) => [e.extensions?.code, e.path])).toEqual(
      [0, 1, 2, 3].map((i) => ['FORBIDDEN', ['artists', 'items', i, 'agency']]),
    );
  });

  test('Agency.artists without basic.artist.view: the names arrive, artists is null with FORBIDDEN on each artists path', async () => {
    const viewer = await base.caller(['basic.agency.view'], { company: actor.companyId });
    const res = await base.gql('{ agencies { items { name artists { items { name } } } } }', {}, { as: viewer });
    expect(res.status).toBe(200);
    const errors = res.body.errors ?? [];
    expect([errors[0]?.extensions?.code, errors[0]?.path]).toEqual(['FORBIDDEN', ['agencies', 'items', 0, 'artists']]);
    // A denied nested list is null with FORBIDDEN on its path; the rest of the answer arrives.
    expect(res.body.data).toEqual({
      agencies: { items: [{ name: 'Live Agency', artists: null }, { name: 'Nation Agency', artists: null }, { name: 'Zero Agency', artists: null }] },
    });
    expect(errors.map((e) => [e.extensions?.code, e.path])).toEqual(
      [0, 1, 2].map((i) => ['FORBIDDEN', ['agencies', 'items', i, 'artists']]),
    );
  });
});

describe('N+1 freedom', () => {
  let actor: Caller;
  const agencies: { id: string; name: string }[] = [];

  beforeAll(async () => {
    actor = await freshCaller(base);
    for (let i = 0; i < 10; i++) agencies.push(await createAgency(base, actor, { name: `Agency ${String(i).padStart(2, '0')}` }));
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, j) => {
          const n = batch * 10 + j;
          return artist(actor, { name: `Artist ${String(n).padStart(3, '0')}`, agencyId: agencies[n % 10].id });
        }),
      );
    }
    expect(await rows(base, 'artists', actor.companyId)).toBe(100);
  });

  /**
   * Each read unit outside a transaction (a page, one loader batch) adds two statements: BEGIN with
   * the company for row-level security, and COMMIT (TenantScope.unitOfWork). Still constant in page size.
   */
  const perUnit = (units: number) => 2 * units;

  /** Statements PostgreSQL received for one query (the answer must have no errors). */
  async function statementsFor(query: string): Promise<{ count: number; data: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const before = base.statements();
    const data = gqlData(await base.gql(query, {}, { as: actor }));
    return { count: base.statements() - before, data };
  }

  test('artists { agency } costs the same statements for 100 artists as for 5 (and few)', async () => {
    const query = (limit: number) => `{ artists(limit: ${limit}) { items { name agency { name } } } }`;
    await statementsFor(query(3)); // warm-up
    const hundred = await statementsFor(query(100));
    const five = await statementsFor(query(5));
    expect(hundred.data.artists.items).toHaveLength(100);
    expect(hundred.data.artists.items.slice(0, 3)).toEqual([
      { name: 'Artist 000', agency: { name: 'Agency 00' } },
      { name: 'Artist 001', agency: { name: 'Agency 01' } },
      { name: 'Artist 002', agency: { name: 'Agency 02' } },
    ]);
    for (const [i, item] of hundred.data.artists.items.entries()) expect(item.agency.name).toBe(`Agency ${String(i % 10).padStart(2, '0')}`);
    expect(five.data.artists.items).toHaveLength(5);
    expect({ hundred: hundred.count, five: five.count }).toEqual({ hundred: five.count, five: five.count });
    expect(hundred.count).toBeLessThanOrEqual(4 + perUnit(2));
    expect(hundred.count).toBeGreaterThan(0);
  });

  test('agencies { artists } costs the same statements for 10 agencies as for 2 (and few)', async () => {
    const query = (limit: number) => `{ agencies(limit: ${limit}) { items { name artists(limit: 100) { items { name } } } } }`;
    await statementsFor(query(1)); // warm-up
    const ten = await statementsFor(query(10));
    const two = await statementsFor(query(2));
    expect(ten.data.agencies.items).toHaveLength(10);
    for (const [i, agency] of ten.data.agencies.items.entries()) {
      expect(agency.name).toBe(`Agency ${String(i).padStart(2, '0')}`);
      expect(agency.artists.items.map((a: { name: string }) => a.name)).toEqual(
        Array.from({ length: 10 }, (_, k) => `Artist ${String(k * 10 + i).padStart(3, '0')}`),
      );
    }
    expect(two.data.agencies.items).toHaveLength(2);
    expect({ ten: ten.count, two: two.count }).toEqual({ ten: two.count, two: two.count });
    expect(ten.count).toBeLessThanOrEqual(4 + perUnit(2));
  });

  test('agencies { artists { agency } } stays flat too', async () => {
    const query = (limit: number) => `{ agencies(limit: ${limit}) { items { artists(limit: 100) { items { name agency { name } } } } } }`;
    await statementsFor(query(1));
    const ten = await statementsFor(query(10));
    const two = await statementsFor(query(2));
    expect(ten.data.agencies.items.flatMap((a: { artists: { items: unknown[] } }) => a.artists.items)).toHaveLength(100);
    expect(ten.count).toBe(two.count);
    expect(ten.count).toBeLessThanOrEqual(5 + perUnit(3));
  });

  test('agencies { artists(after:) }: each agency walks its own artists by cursor, at the same statements as page 1, the total whole', async () => {
    const query = `query($after: String) { agencies(limit: 2) { items { name artists(limit: 3, after: $after) { total page items { name } pageInfo { endCursor hasNextPage } } } } }`;
    const run = async (after: string | null) => {
      const before = base.statements();
      const data = gqlData(await base.gql(query, { after }, { as: actor }));
      return { count: base.statements() - before, agencies: data.agencies.items };
    };
    const first = await run(null);
    const [agency0] = first.agencies;
    expect(agency0.artists).toMatchObject({ total: 10, page: 1, items: [{ name: 'Artist 000' }, { name: 'Artist 010' }, { name: 'Artist 020' }], pageInfo: { hasNextPage: true } });
    const walked = agency0.artists.items.map((a: { name: string }) => a.name);
    let page = agency0.artists;
    let count = first.count;
    while (page.pageInfo.hasNextPage) {
      const next = await run(page.pageInfo.endCursor);
      page = next.agencies[0].artists;
      count = Math.max(count, next.count);
      expect(page.total).toBe(10);
      walked.push(...page.items.map((a: { name: string }) => a.name));
    }
    expect(walked).toEqual(Array.from({ length: 10 }, (_, k) => `Artist ${String(k * 10).padStart(3, '0')}`));
    expect(page.page).toBe(4);
    expect(count).toBe(first.count);
  });
});

describe('Deleting a referenced agency', () => {
  test('409 CONFLICT naming artists and their count (REST and GraphQL); nothing deleted; after detaching, 204', async () => {
    const actor = await freshCaller(base);
    const agency = await createAgency(base, actor, { name: 'Busy' });
    const other = await createAgency(base, actor, { name: 'Other' });
    const held = [
      await artist(actor, { name: 'One', agencyId: agency.id }),
      await artist(actor, { name: 'Two', agencyId: agency.id }),
      await artist(actor, { name: 'Three', agencyId: agency.id }),
    ];
    await artist(actor, { name: 'Elsewhere', agencyId: other.id });

    const res = await base.rest('DELETE', `/api/agencies/${agency.id}`, { as: actor });
    const error = expectRestError(res, 409, 'CONFLICT');
    expect(error.details).toEqual([{ referencedBy: 'artists', field: 'agencyId', count: 3 }]);

    const gql = await base.gql(`mutation { deleteAgency(id: "${agency.id}") }`, {}, { as: actor });
    const gqlError = expectGqlError(gql, 'CONFLICT', ['deleteAgency']);
    expect(gqlError.extensions?.details).toEqual([{ referencedBy: 'artists', field: 'agencyId', count: 3 }]);

    expect(await rows(base, 'agencies', actor.companyId)).toBe(2);
    expect(await rows(base, 'artists', actor.companyId)).toBe(4);
    const still = await base.rest('GET', `/api/artists?agencyId=${agency.id}`, { as: actor });
    expect(still.body.meta.total).toBe(3);

    // Detach two: the count follows.
    for (const a of held.slice(0, 2)) {
      const put = await base.rest('PUT', `/api/artists/${a.id}`, { as: actor, body: { agencyId: null } });
      expect(put.body.data.agencyId).toBeNull();
    }
    const again = expectRestError(await base.rest('DELETE', `/api/agencies/${agency.id}`, { as: actor }), 409, 'CONFLICT');
    expect(again.details).toEqual([{ referencedBy: 'artists', field: 'agencyId', count: 1 }]);

    const last = await base.rest('PUT', `/api/artists/${held[2].id}`, { as: actor, body: { agencyId: null } });
    expect(last.status).toBe(200);
    const del = await base.rest('DELETE', `/api/agencies/${agency.id}`, { as: actor });
    expect(del.status).toBe(204);
    expectRestError(await base.rest('GET', `/api/agencies/${agency.id}`, { as: actor }), 404, 'NOT_FOUND');
    expect(await rows(base, 'artists', actor.companyId)).toBe(4);
  });

  test('GraphQL: after detaching, deleteAgency returns the id', async () => {
    const actor = await freshCaller(base);
    const agency = await createAgency(base, actor, { name: 'Short-lived' });
    const a = await artist(actor, { name: 'Solo', agencyId: agency.id });
    expectGqlError(await base.gql(`mutation { deleteAgency(id: "${agency.id}") }`, {}, { as: actor }), 'CONFLICT', ['deleteAgency']);
    gqlData(await base.gql(`mutation { updateArtist(id: "${a.id}", input: { agencyId: null }) { agencyId } }`, {}, { as: actor }));
    expect(gqlData(await base.gql(`mutation { deleteAgency(id: "${agency.id}") }`, {}, { as: actor }))).toEqual({ deleteAgency: agency.id });
  });
});

describe('Federation _entities', () => {
  let admin: Caller;
  let own: { artist: { id: string; name: string }; venue: { id: string; name: string }; vendor: { id: string; name: string } };
  let foreign: typeof own;

  const make = async (actor: Caller, suffix: string) => ({
    artist: await artist(actor, { name: `Artist ${suffix}` }),
    venue: await createVia(base, actor, '/api/venues', { name: `Venue ${suffix}` }),
    vendor: await createVia(base, actor, '/api/vendors', { name: `Vendor ${suffix}`, category: 'sound' }),
  });
  const reps = (set: typeof own) => [
    { __typename: 'Artist', id: set.artist.id },
    { __typename: 'Venue', id: set.venue.id },
    { __typename: 'Vendor', id: set.vendor.id },
  ];

  beforeAll(async () => {
    admin = await base.caller();
    own = await make(admin, 'A');
    foreign = await make(await base.caller(undefined, { company: base.companyB }), 'B');
  });

  test('with the three view permissions: each record, in order', async () => {
    const viewer = await base.caller(['basic.artist.view', 'basic.venue.view', 'basic.vendor.view']);
    const data = gqlData(await base.gql(ENTITIES_QUERY, { representations: reps(own) }, { as: viewer }));
    expect(data._entities).toEqual([
      { __typename: 'Artist', id: own.artist.id, name: 'Artist A' },
      { __typename: 'Venue', id: own.venue.id, name: 'Venue A' },
      { __typename: 'Vendor', id: own.vendor.id, name: 'Vendor A' },
    ]);
  });

  test('another company’s ids, unknown and malformed ids resolve to null', async () => {
    const viewer = await base.caller(['basic.artist.view', 'basic.venue.view', 'basic.vendor.view']);
    const data = gqlData(await base.gql(ENTITIES_QUERY, { representations: reps(foreign) }, { as: viewer }));
    expect(data._entities).toEqual([null, null, null]);
    const unknown = gqlData(
      await base.gql(ENTITIES_QUERY, { representations: [{ __typename: 'Artist', id: NO_SUCH_ID }, { __typename: 'Vendor', id: 'not-a-uuid' }] }, { as: viewer }),
    );
    expect(unknown._entities).toEqual([null, null]);
  });

  test('without basic.venue.view: FORBIDDEN on the Venue entry only, the others arrive', async () => {
    const viewer = await base.caller(['basic.artist.view', 'basic.vendor.view']);
    const res = await base.gql(ENTITIES_QUERY, { representations: reps(own) }, { as: viewer });
    expect(res.status).toBe(200);
    // Regression guard: at commit 342f441 `crudReference`'s `__resolveReference` was synchronous, so
    // `ctx.require` threw inside @apollo/subgraph's `representations.map(...)` and the whole
    // `_entities` failed (path ['_entities'], `data: null`), losing the entries the caller may read.
    expectGqlError(res, 'FORBIDDEN', ['_entities', 1]);
    expect(res.body.data).toEqual({
      _entities: [{ __typename: 'Artist', id: own.artist.id, name: 'Artist A' }, null, { __typename: 'Vendor', id: own.vendor.id, name: 'Vendor A' }],
    });
  });

  test('without any catalog view permission: each entry FORBIDDEN, nothing leaks', async () => {
    const viewer = await base.caller(['basic.company.view']);
    const res = await base.gql(ENTITIES_QUERY, { representations: reps(own) }, { as: viewer });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ _entities: [null, null, null] });
    expect((res.body.errors ?? []).map((e) => [e.extensions?.code, e.path])).toEqual(
      [0, 1, 2].map((i) => ['FORBIDDEN', ['_entities', i]]),
    );
    expect(JSON.stringify(res.body)).not.toContain('Artist A');
    expect(JSON.stringify(res.body)).not.toContain('Venue A');
    expect(JSON.stringify(res.body)).not.toContain('Vendor A');
  });

  test('Company: the x-org id resolves, any other id is null; without basic.company.view it is FORBIDDEN', async () => {
    const viewer = await base.caller(['basic.company.view']);
    const data = gqlData(
      await base.gql(ENTITIES_QUERY, { representations: [{ __typename: 'Company', id: viewer.companyId }, { __typename: 'Company', id: randomUUID() }, { __typename: 'Company', id: base.companyB }] }, { as: viewer }),
    );
    expect(data._entities).toEqual([{ __typename: 'Company', id: viewer.companyId, currency: 'EUR' }, null, null]);

    const noCompany = await base.caller(['basic.artist.view']);
    const res = await base.gql(
      ENTITIES_QUERY,
      { representations: [{ __typename: 'Artist', id: own.artist.id }, { __typename: 'Company', id: noCompany.companyId }] },
      { as: noCompany },
    );
    expectGqlError(res, 'FORBIDDEN', ['_entities', 1]);
    expect(res.body.data).toEqual({ _entities: [{ __typename: 'Artist', id: own.artist.id, name: 'Artist A' }, null] });
  });

  test('Agency entities resolve the same way', async () => {
    const agency = await createAgency(base, admin, { name: 'Entity Agency' });
    const viewer = await base.caller(['basic.agency.view']);
    const data = gqlData(await base.gql(ENTITIES_QUERY, { representations: [{ __typename: 'Agency', id: agency.id }] }, { as: viewer }));
    expect(data._entities).toEqual([{ __typename: 'Agency', id: agency.id, name: 'Entity Agency' }]);
    const b = await base.caller(['basic.agency.view'], { company: base.companyB });
    expect(gqlData(await base.gql(ENTITIES_QUERY, { representations: [{ __typename: 'Agency', id: agency.id }] }, { as: b }))._entities).toEqual([null]);
  });
});
