import { Caller, useTestBase } from '../support/harness';
import { expectRestError, gqlData } from '../support/assertions';
import { agencyRow, AgencyData, createAgency, uniqueKey } from '../support/fixtures';

/**
 * Tenancy cases of agencies beyond the family suite's "another company" tests (which every family
 * runs): the key per company, and the x-org header, not the user, deciding the company.
 */
const base = useTestBase();
let actorA: Caller;
let actorB: Caller;
let agencyA: AgencyData;

beforeAll(async () => {
  actorA = await base.caller(undefined, { company: base.companyA });
  actorB = await base.caller(undefined, { company: base.companyB });
  agencyA = await createAgency(base, actorA, {
    name: 'ScopeBinding A Agency',
    email: 'a@tenant-a.example',
    notes: 'belongs to A',
  });
});

describe('what is particular to agencies', () => {
  test("B's q never finds A's records by their key, on either surface", async () => {
    const rest = await base.rest('GET', `/api/agencies?q=${encodeURIComponent(agencyA.key)}`, { as: actorB });
    expect(rest.body).toEqual({ data: [], meta: { page: 1, limit: 20, total: 0, totalIsEstimate: false, nextCursor: null } });
    const gql = await base.gql('query($q: String) { agencies(filter: { q: $q }) { total items { id } } }', { q: agencyA.key }, { as: actorB });
    expect(gqlData(gql)).toEqual({ agencies: { total: 0, items: [] } });
    // …while A finds it by the same q.
    const own = await base.rest('GET', `/api/agencies?q=${encodeURIComponent(agencyA.key)}`, { as: actorA });
    expect(own.body.data.map((a: { id: string }) => a.id)).toEqual([agencyA.id]);
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

describe('x-org decides the company', () => {
  test('one user granted in both companies sees different data with different x-org', async () => {
    const user = await base.caller(undefined, { company: base.companyA });
    base.auth.grant(user.userId, base.companyB, [
      'basic.agency.view',
      'basic.agency.create',
      'basic.agency.edit',
      'basic.agency.delete',
    ]);
    const inA = user;
    const inB: Caller = { ...user, companyId: base.companyB, headers: { ...user.headers, 'x-org': base.companyB } };

    const madeInA = await createAgency(base, inA, { name: 'Made Under A' });
    const madeInB = await createAgency(base, inB, { name: 'Made Under B' });
    expect(await agencyRow(base, madeInA.id)).toMatchObject({ company_id: base.companyA, created_by: user.userId });
    expect(await agencyRow(base, madeInB.id)).toMatchObject({ company_id: base.companyB, created_by: user.userId });

    const idsUnder = async (who: Caller) => {
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
    const user = await base.caller(undefined, { company: base.companyA });
    base.auth.grant(user.userId, base.companyB, ['basic.agency.view']);
    const inB: Caller = { ...user, companyId: base.companyB, headers: { ...user.headers, 'x-org': base.companyB } };
    expect((await base.rest('GET', '/api/agencies', { as: inB })).status).toBe(200);
    expectRestError(await base.rest('POST', '/api/agencies', { as: inB, body: { key: uniqueKey(), name: 'Nope' } }), 403, 'FORBIDDEN');
    expect((await base.rest('POST', '/api/agencies', { as: user, body: { key: uniqueKey(), name: 'Fine In A' } })).status).toBe(201);
  });

  test('an x-org the user is not a member of → 403 FORBIDDEN, on both surfaces', async () => {
    const onlyA = await base.caller(undefined, { company: base.companyA });
    const asB: Caller = { ...onlyA, headers: { ...onlyA.headers, 'x-org': base.companyB } };
    expectRestError(await base.rest('GET', '/api/agencies', { as: asB }), 403, 'FORBIDDEN');
    const gql = await base.gql('{ agencies { total } }', {}, { as: asB });
    expect(gql.status).toBe(403);
    expect(gql.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(gql.body.data).toBeUndefined();
  });

  test('a malformed x-org → 400 BAD_REQUEST', async () => {
    const bad: Caller = { ...actorA, headers: { ...actorA.headers, 'x-org': 'company-a' } };
    expectRestError(await base.rest('GET', '/api/agencies', { as: bad }), 400, 'BAD_REQUEST');
  });
});
