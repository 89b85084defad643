import { Actor, useTestBase } from '../support/harness';
import { expectGqlError, expectRestError, gqlData } from '../support/assertions';
import { agencyRow, AgencyData, createAgency, uniqueKey } from '../support/fixtures';

/**
 * Cross-tenant isolation: a record of company A does not exist for company B, on either surface,
 * whatever B's permissions; and the x-org header, not the user, decides the company.
 */
const base = useTestBase();
let actorA: Actor;
let actorB: Actor;
let agencyA: AgencyData;

beforeAll(async () => {
  actorA = await base.actor(undefined, { company: base.companyA });
  actorB = await base.actor(undefined, { company: base.companyB });
  agencyA = await createAgency(base, actorA, {
    name: 'Tenant A Agency',
    email: 'a@tenant-a.example',
    notes: 'belongs to A',
  });
});

/** A's record, read back as A, is exactly as created: nothing B did reached it. */
async function expectAgencyAUnchanged(): Promise<void> {
  const read = await base.rest('GET', `/api/agencies/${agencyA.id}`, { as: actorA });
  expect(read.status).toBe(200);
  expect(read.body.data).toEqual(agencyA);
  expect(await agencyRow(base, agencyA.id)).toMatchObject({ company_id: base.companyA, name: agencyA.name, version: 1 });
}

const AGENCY_FIELDS = 'id key name email version';

describe('REST', () => {
  test("B's GET of A's agency → 404 NOT_FOUND", async () => {
    expectRestError(await base.rest('GET', `/api/agencies/${agencyA.id}`, { as: actorB }), 404, 'NOT_FOUND');
  });

  test("B's PUT of A's agency → 404 NOT_FOUND; A's record unchanged", async () => {
    const put = await base.rest('PUT', `/api/agencies/${agencyA.id}`, { as: actorB, body: { name: 'Hijacked', email: null } });
    expectRestError(put, 404, 'NOT_FOUND');
    const withVersion = await base.rest('PUT', `/api/agencies/${agencyA.id}`, { as: actorB, body: { name: 'Hijacked', version: 1 } });
    expectRestError(withVersion, 404, 'NOT_FOUND');
    await expectAgencyAUnchanged();
  });

  test("B's DELETE of A's agency → 404 NOT_FOUND; A's record still there", async () => {
    expectRestError(await base.rest('DELETE', `/api/agencies/${agencyA.id}`, { as: actorB }), 404, 'NOT_FOUND');
    expectRestError(await base.rest('DELETE', `/api/agencies/${agencyA.id}?version=1`, { as: actorB }), 404, 'NOT_FOUND');
    await expectAgencyAUnchanged();
  });

  test("B's list never shows A's records, with or without q", async () => {
    const own = await createAgency(base, actorB, { name: 'Tenant B Agency' });
    const freshA = await createAgency(base, actorA, { name: 'Tenant A Listed' });
    const list = await base.rest('GET', '/api/agencies?limit=100', { as: actorB });
    expect(list.status).toBe(200);
    const ids = list.body.data.map((a: { id: string }) => a.id);
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(agencyA.id);
    expect(ids).not.toContain(freshA.id);
    expect(list.body.meta.total).toBe(ids.length);

    const search = await base.rest('GET', `/api/agencies?q=${encodeURIComponent('tenant a')}`, { as: actorB });
    expect(search.body).toEqual({ data: [], meta: { page: 1, limit: 20, total: 0 } });
    const byKey = await base.rest('GET', `/api/agencies?q=${encodeURIComponent(agencyA.key)}`, { as: actorB });
    expect(byKey.body.meta.total).toBe(0);
  });

  test('the same key may exist in both companies (no 409)', async () => {
    const key = uniqueKey('shared');
    const inA = await base.rest('POST', '/api/agencies', { as: actorA, body: { key, name: 'Shared In A' } });
    const inB = await base.rest('POST', '/api/agencies', { as: actorB, body: { key, name: 'Shared In B' } });
    expect([inA.status, inB.status]).toEqual([201, 201]);
    expect(inA.body.data.id).not.toBe(inB.body.data.id);
    // Still unique within each company.
    expectRestError(await base.rest('POST', '/api/agencies', { as: actorB, body: { key, name: 'Again In B' } }), 409, 'CONFLICT');
    // And B renaming its own record onto a key A holds is fine too.
    const otherA = await createAgency(base, actorA);
    const ownB = await createAgency(base, actorB);
    expect((await base.rest('PUT', `/api/agencies/${ownB.id}`, { as: actorB, body: { key: otherA.key } })).status).toBe(200);
    expect((await base.rest('GET', `/api/agencies/${otherA.id}`, { as: actorA })).body.data).toEqual(otherA);
  });
});

describe('GraphQL', () => {
  test("agency(id) of A's record as B → null", async () => {
    const answer = await base.gql(`query($id: ID!) { agency(id: $id) { ${AGENCY_FIELDS} } }`, { id: agencyA.id }, { as: actorB });
    expect(gqlData(answer)).toEqual({ agency: null });
    const own = await base.gql(`query($id: ID!) { agency(id: $id) { id name } }`, { id: agencyA.id }, { as: actorA });
    expect(gqlData(own)).toEqual({ agency: { id: agencyA.id, name: agencyA.name } });
  });

  test("updateAgency of A's record as B → NOT_FOUND; A's record unchanged", async () => {
    const answer = await base.gql(
      `mutation($id: ID!) { updateAgency(id: $id, input: { name: "Hijacked", email: null }) { ${AGENCY_FIELDS} } }`,
      { id: agencyA.id },
      { as: actorB },
    );
    expectGqlError(answer, 'NOT_FOUND', ['updateAgency']);
    expect(answer.body.data ?? null).toBeNull();
    await expectAgencyAUnchanged();
  });

  test("deleteAgency of A's record as B → NOT_FOUND; A's record still there", async () => {
    const answer = await base.gql('mutation($id: ID!) { deleteAgency(id: $id) }', { id: agencyA.id }, { as: actorB });
    expectGqlError(answer, 'NOT_FOUND', ['deleteAgency']);
    await expectAgencyAUnchanged();
  });

  test("agencies as B never lists A's records", async () => {
    const freshA = await createAgency(base, actorA, { name: 'Tenant A Listed Too' });
    const answer = await base.gql<{ agencies: { total: number; items: { id: string }[] } }>('{ agencies(limit: 100) { total items { id } } }', {}, { as: actorB });
    const { agencies } = gqlData(answer);
    expect(agencies.items.map((a) => a.id)).not.toContain(agencyA.id);
    expect(agencies.items.map((a) => a.id)).not.toContain(freshA.id);
    expect(agencies.total).toBe(agencies.items.length);
    const search = await base.gql('query($q: String) { agencies(filter: { q: $q }) { total items { id } } }', { q: agencyA.key }, { as: actorB });
    expect(gqlData(search)).toEqual({ agencies: { total: 0, items: [] } });
  });
});

describe('x-org decides the company', () => {
  test('one user granted in both companies sees different data with different x-org', async () => {
    const user = await base.actor(undefined, { company: base.companyA });
    base.auth.grant(user.userId, base.companyB, [
      'basic.agency.view',
      'basic.agency.create',
      'basic.agency.edit',
      'basic.agency.delete',
    ]);
    const inA = user;
    const inB: Actor = { ...user, companyId: base.companyB, headers: { ...user.headers, 'x-org': base.companyB } };

    const madeInA = await createAgency(base, inA, { name: 'Made Under A' });
    const madeInB = await createAgency(base, inB, { name: 'Made Under B' });
    expect(await agencyRow(base, madeInA.id)).toMatchObject({ company_id: base.companyA, created_by: user.userId });
    expect(await agencyRow(base, madeInB.id)).toMatchObject({ company_id: base.companyB, created_by: user.userId });

    const idsUnder = async (who: Actor) => {
      const list = await base.rest('GET', '/api/agencies?limit=100', { as: who });
      expect(list.status).toBe(200);
      return list.body.data.map((a: { id: string }) => a.id) as string[];
    };
    const underA = await idsUnder(inA);
    const underB = await idsUnder(inB);
    expect(underA).toEqual(expect.arrayContaining([madeInA.id, agencyA.id]));
    expect(underA).not.toContain(madeInB.id);
    expect(underB).toContain(madeInB.id);
    expect(underB).not.toContain(madeInA.id);
    expect(underB).not.toContain(agencyA.id);

    // The same token, the same id: found under A, absent under B (REST and GraphQL).
    expect((await base.rest('GET', `/api/agencies/${madeInA.id}`, { as: inA })).status).toBe(200);
    expectRestError(await base.rest('GET', `/api/agencies/${madeInA.id}`, { as: inB }), 404, 'NOT_FOUND');
    const q = `query($id: ID!) { agency(id: $id) { id } }`;
    expect(gqlData(await base.gql(q, { id: madeInB.id }, { as: inB }))).toEqual({ agency: { id: madeInB.id } });
    expect(gqlData(await base.gql(q, { id: madeInB.id }, { as: inA }))).toEqual({ agency: null });
  });

  test('permissions follow x-org too: view-only in B cannot write there', async () => {
    const user = await base.actor(undefined, { company: base.companyA });
    base.auth.grant(user.userId, base.companyB, ['basic.agency.view']);
    const inB: Actor = { ...user, companyId: base.companyB, headers: { ...user.headers, 'x-org': base.companyB } };
    expect((await base.rest('GET', '/api/agencies', { as: inB })).status).toBe(200);
    expectRestError(await base.rest('POST', '/api/agencies', { as: inB, body: { key: uniqueKey(), name: 'Nope' } }), 403, 'FORBIDDEN');
    expect((await base.rest('POST', '/api/agencies', { as: user, body: { key: uniqueKey(), name: 'Fine In A' } })).status).toBe(201);
  });

  test('an x-org the user is not a member of → 403 FORBIDDEN, on both surfaces', async () => {
    const onlyA = await base.actor(undefined, { company: base.companyA });
    const asB: Actor = { ...onlyA, headers: { ...onlyA.headers, 'x-org': base.companyB } };
    expectRestError(await base.rest('GET', '/api/agencies', { as: asB }), 403, 'FORBIDDEN');
    const gql = await base.gql('{ agencies { total } }', {}, { as: asB });
    expect(gql.status).toBe(403);
    expect(gql.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(gql.body.data).toBeUndefined();
  });

  test('a malformed x-org → 400 BAD_REQUEST', async () => {
    const bad: Actor = { ...actorA, headers: { ...actorA.headers, 'x-org': 'company-a' } };
    expectRestError(await base.rest('GET', '/api/agencies', { as: bad }), 400, 'BAD_REQUEST');
  });
});
