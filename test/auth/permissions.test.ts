import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import type { Caller, Answer } from '../support/harness';
import { useTestBase } from '../support/harness';
import { expectGqlFieldError, expectRestError } from '../support/assertions';
import { agencyRow, allBut, createAgency, rowsWhere, uniqueKey } from '../support/fixtures';
import { expectDeniedOnBoth, expectPermissionDeniedOnBoth } from '../support/surfaces';
import { bearer } from '../support/tokens';

/**
 * auth-contract.md §1 ("the token alone never grants anything") and §2 (one exact permission per
 * route or field, no wildcards), on the Agencies routes and fields.
 * REST: a missing permission is 403 FORBIDDEN. GraphQL: a normal error on that field's path with
 * extensions.code FORBIDDEN, HTTP 200, the field null.
 */
const base = useTestBase();
let admin: Caller;

const VIEW = 'basic.agency.view';
const CREATE = 'basic.agency.create';
const EDIT = 'basic.agency.edit';
const DELETE = 'basic.agency.delete';
const key = () => uniqueKey('perm');

beforeAll(async () => {
  admin = await base.caller();
});

const newAgency = () => createAgency(base, admin, { name: 'Original' });
const row = (id: string) => agencyRow(base, id);
const countByKey = (k: string) => rowsWhere(base, 'agencies', { key: k });

const expectStatus = (a: Answer, status: number) => expect({ status: a.status, body: a.body }).toMatchObject({ status });

describe('claims inside the JWT are ignored', () => {
  test('a token claiming every permission, admin and roles, with Auth granting nothing relevant → denied', async () => {
    const actor = await base.caller(['basic.dashboard.view']);
    const token = await base.auth.token(actor.userId, {}, {
      permissions: [...ALL_PERMISSIONS],
      roles: ['admin', 'owner'],
      admin: true,
      modules: ['basic'],
      scope: 'basic.agency.view',
      companyId: actor.companyId,
    });
    await expectPermissionDeniedOnBoth(base, { authorization: bearer(token), 'x-org': actor.companyId });
  });

  test('a token claiming the basic module does not replace the module Auth did not grant → 403', async () => {
    const actor = await base.caller([VIEW]);
    base.auth.grant(actor.userId, actor.companyId, [VIEW], { modules: ['pro'] });
    const token = await base.auth.token(actor.userId, {}, { modules: ['basic'], permissions: [...ALL_PERMISSIONS] });
    // The module check is part of building the request context: both surfaces end with 403.
    await expectDeniedOnBoth(base, { authorization: bearer(token), 'x-org': actor.companyId }, 403, 'FORBIDDEN');
  });
});

describe('wildcards and near-misses are not honoured', () => {
  test.each([
    ['basic.agency.*'],
    ['basic.*'],
    ['*'],
    ['basic.agency'],
    ['BASIC.AGENCY.VIEW'],
    ['basic.agency.view '],
    ['basic.agencies.view'],
    ['basic.artist.view'],
  ])('a grant of %p does not allow GET /api/agencies nor { agencies }', async (grant) => {
    const actor = await base.caller([grant]);
    await expectPermissionDeniedOnBoth(base, actor.headers);
  });
});

describe('REST: each Agencies route needs exactly its permission', () => {
  test('GET /api/agencies: without basic.agency.view → 403; with only it → 200', async () => {
    expectRestError(await base.rest('GET', '/api/agencies', { as: await base.caller(allBut(VIEW)) }), 403, 'FORBIDDEN');
    const ok = await base.rest('GET', '/api/agencies', { as: await base.caller([VIEW]) });
    expectStatus(ok, 200);
    expect(Array.isArray(ok.body.data)).toBe(true);
  });

  test('GET /api/agencies/:id: without basic.agency.view → 403; with only it → 200', async () => {
    const agency = await newAgency();
    expectRestError(await base.rest('GET', `/api/agencies/${agency.id}`, { as: await base.caller(allBut(VIEW)) }), 403, 'FORBIDDEN');
    const ok = await base.rest('GET', `/api/agencies/${agency.id}`, { as: await base.caller([VIEW]) });
    expectStatus(ok, 200);
    expect(ok.body.data.id).toBe(agency.id);
  });

  test('GET /api/agencies/:id of a record that does not exist, without permission → 403 (permission before 404)', async () => {
    const missing = '00000000-0000-4000-8000-000000000001';
    expectRestError(await base.rest('GET', `/api/agencies/${missing}`, { as: await base.caller(allBut(VIEW)) }), 403, 'FORBIDDEN');
  });

  test('POST /api/agencies: without basic.agency.create → 403 and nothing stored; with only it → 201', async () => {
    const k = key();
    expectRestError(await base.rest('POST', '/api/agencies', { as: await base.caller(allBut(CREATE)), body: { key: k, name: 'No' } }), 403, 'FORBIDDEN');
    expect(await countByKey(k)).toBe(0);
    const ok = await base.rest('POST', '/api/agencies', { as: await base.caller([CREATE]), body: { key: k, name: 'Yes' } });
    expectStatus(ok, 201);
    expect(await countByKey(k)).toBe(1);
  });

  test('POST with an invalid payload and no permission → 403, not 400 (permission before validation)', async () => {
    const res = await base.rest('POST', '/api/agencies', { as: await base.caller(allBut(CREATE)), body: { key: 'Not A Key!', website: 'ftp://x' } });
    expectRestError(res, 403, 'FORBIDDEN');
  });

  test('PUT /api/agencies/:id: without basic.agency.edit → 403 and unchanged; with only it → 200', async () => {
    const agency = await newAgency();
    expectRestError(await base.rest('PUT', `/api/agencies/${agency.id}`, { as: await base.caller(allBut(EDIT)), body: { name: 'Hacked' } }), 403, 'FORBIDDEN');
    expect((await row(agency.id))?.name).toBe('Original');
    const ok = await base.rest('PUT', `/api/agencies/${agency.id}`, { as: await base.caller([EDIT]), body: { name: 'Renamed' } });
    expectStatus(ok, 200);
    expect((await row(agency.id))?.name).toBe('Renamed');
  });

  test('DELETE /api/agencies/:id: without basic.agency.delete → 403 and still there; with only it → 204', async () => {
    const agency = await newAgency();
    expectRestError(await base.rest('DELETE', `/api/agencies/${agency.id}`, { as: await base.caller(allBut(DELETE)) }), 403, 'FORBIDDEN');
    expect(await row(agency.id)).not.toBeNull();
    const ok = await base.rest('DELETE', `/api/agencies/${agency.id}`, { as: await base.caller([DELETE]) });
    expectStatus(ok, 204);
    expect(await row(agency.id)).toBeNull();
  });
});

describe('GraphQL: each Agencies field needs exactly its permission', () => {
  const gqlOk = (a: Answer) => expect({ status: a.status, errors: a.body?.errors }).toEqual({ status: 200, errors: undefined });

  test('query agencies: without basic.agency.view → FORBIDDEN on [agencies]; with only it → data', async () => {
    expectGqlFieldError(await base.gql('{ agencies { total } }', undefined, { as: await base.caller(allBut(VIEW)) }), ['agencies']);
    const ok = await base.gql('{ agencies { total items { id name } } }', undefined, { as: await base.caller([VIEW]) });
    gqlOk(ok);
    expect(typeof ok.body.data.agencies.total).toBe('number');
  });

  test('query agency(id): without basic.agency.view → FORBIDDEN on [agency]; with only it → data', async () => {
    const agency = await newAgency();
    const q = 'query($id: ID!) { agency(id: $id) { id name } }';
    expectGqlFieldError(await base.gql(q, { id: agency.id }, { as: await base.caller(allBut(VIEW)) }), ['agency']);
    const ok = await base.gql(q, { id: agency.id }, { as: await base.caller([VIEW]) });
    gqlOk(ok);
    expect(ok.body.data.agency).toEqual({ id: agency.id, name: 'Original' });
  });

  test('mutation createAgency: without basic.agency.create → FORBIDDEN, nothing stored; with only it → created', async () => {
    const k = key();
    // __typename needs no permission; the record's fields would need basic.agency.view.
    const m = 'mutation($input: AgencyCreateInput!) { createAgency(input: $input) { __typename } }';
    expectGqlFieldError(await base.gql(m, { input: { key: k, name: 'No' } }, { as: await base.caller(allBut(CREATE)) }), ['createAgency']);
    expect(await countByKey(k)).toBe(0);
    const ok = await base.gql(m, { input: { key: k, name: 'Yes' } }, { as: await base.caller([CREATE]) });
    gqlOk(ok);
    expect(ok.body.data.createAgency).toEqual({ __typename: 'Agency' });
    expect(await countByKey(k)).toBe(1);
  });

  test('mutation updateAgency: without basic.agency.edit → FORBIDDEN, unchanged; with only it → updated', async () => {
    const agency = await newAgency();
    const m = 'mutation($id: ID!, $input: AgencyUpdateInput!) { updateAgency(id: $id, input: $input) { __typename } }';
    expectGqlFieldError(await base.gql(m, { id: agency.id, input: { name: 'Hacked' } }, { as: await base.caller(allBut(EDIT)) }), ['updateAgency']);
    expect((await row(agency.id))?.name).toBe('Original');
    const ok = await base.gql(m, { id: agency.id, input: { name: 'Renamed' } }, { as: await base.caller([EDIT]) });
    gqlOk(ok);
    expect((await row(agency.id))?.name).toBe('Renamed');
  });

  test('mutation deleteAgency: without basic.agency.delete → FORBIDDEN, still there; with only it → deleted', async () => {
    const agency = await newAgency();
    const m = 'mutation($id: ID!) { deleteAgency(id: $id) }';
    expectGqlFieldError(await base.gql(m, { id: agency.id }, { as: await base.caller(allBut(DELETE)) }), ['deleteAgency']);
    expect(await row(agency.id)).not.toBeNull();
    const ok = await base.gql(m, { id: agency.id }, { as: await base.caller([DELETE]) });
    gqlOk(ok);
    expect(ok.body.data.deleteAgency).toBe(agency.id);
    expect(await row(agency.id)).toBeNull();
  });

  test('a denied field does not fail the request: the other fields of the same query still answer', async () => {
    const actor = await base.caller(['basic.dashboard.view']);
    const res = await base.gql('query($id: ID!) { _service { sdl } agency(id: $id) { id } }', { id: (await newAgency()).id }, { as: actor });
    expectGqlFieldError(res, ['agency']);
    expect(typeof res.body.data._service.sdl).toBe('string');
  });
});
