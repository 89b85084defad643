import { Actor, useTestBase } from '../support/harness';
import { createdRecord, expectGqlError, expectGqlValidation, gqlData } from '../support/assertions';
import { agencyRow, AgencyData as Agency, freshActor, rows, rowsWhere, uniqueKey } from '../support/fixtures';

/** Agencies over GraphQL: the same records, rules and errors as REST. */
const base = useTestBase();
let admin: Actor;

beforeAll(async () => {
  admin = await base.actor();
});

const FIELDS = 'id key name email phone website notes createdAt updatedAt createdBy version';

const CREATE = `mutation($input: AgencyCreateInput!) { createAgency(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: AgencyUpdateInput!) { updateAgency(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!, $version: Int) { deleteAgency(id: $id, version: $version) }`;
const ONE = `query($id: ID!) { agency(id: $id) { ${FIELDS} } }`;
const LIST = `query($q: String, $page: Int, $limit: Int) {
  agencies(filter: { q: $q }, page: $page, limit: $limit) { total page limit items { id name key } }
}`;

interface Page {
  total: number;
  page: number;
  limit: number;
  items: { id: string; name: string; key: string }[];
}

async function list(as: Actor, variables: Record<string, unknown>): Promise<Page> {
  return gqlData(await base.gql<{ agencies: Page }>(LIST, variables, { as })).agencies;
}

async function create(as: Actor, input: Record<string, unknown> = {}): Promise<Agency> {
  const answer = await base.gql<{ createAgency: Agency }>(CREATE, { input: { key: uniqueKey(), name: 'GraphQL Agency', ...input } }, { as });
  return gqlData(answer).createAgency;
}

async function read(as: Actor, id: string): Promise<Agency | null> {
  return gqlData(await base.gql<{ agency: Agency | null }>(ONE, { id }, { as })).agency;
}

describe('queries and mutations', () => {
  test('createAgency returns every field; createdBy = token sub; version 1; agency(id) reads it back', async () => {
    const input = {
      key: uniqueKey('gql'),
      name: 'GraphQL Full',
      email: 'gql@example.com',
      phone: '+44 20 7946 0000',
      website: 'http://gql.example',
      notes: 'notes',
    };
    const created = await create(admin, input);
    expect(created).toEqual(createdRecord(input, admin));
    expect(await read(admin, created.id)).toEqual(created);
    // The same record over REST, field for field.
    expect((await base.rest('GET', `/api/agencies/${created.id}`, { as: admin })).body.data).toEqual(created);
  });

  test('agency(id) of an unknown or malformed id → null', async () => {
    expect(await read(admin, '00000000-0000-4000-8000-000000000def')).toBeNull();
    expect(await read(admin, 'not-a-uuid')).toBeNull();
  });

  test('agencies(filter: { q }, page, limit) → { items total page limit }, ordered by name, % and _ literal', async () => {
    const actor = await freshActor(base);
    for (const name of ['Gamma 100% Live', 'Alpha_Beta Live', 'Beta Live', 'Delta Live']) await create(actor, { name });
    await create(actor, { name: 'Unrelated', key: uniqueKey('live-key') });

    const all = await list(actor, {});
    expect(all).toMatchObject({ total: 5, page: 1, limit: 20 });
    expect(all.items.map((a) => a.name)).toEqual([
      'Alpha_Beta Live',
      'Beta Live',
      'Delta Live',
      'Gamma 100% Live',
      'Unrelated',
    ]);

    const live = await list(actor, { q: 'LIVE' });
    expect(live.total).toBe(5); // four by name, one by key
    const paged = await list(actor, { q: 'live', page: 2, limit: 2 });
    expect(paged).toEqual({ total: 5, page: 2, limit: 2, items: [expect.objectContaining({ name: 'Delta Live' }), expect.objectContaining({ name: 'Gamma 100% Live' })] });
    const beyond = await list(actor, { page: 7, limit: 2 });
    expect(beyond).toEqual({ total: 5, page: 7, limit: 2, items: [] });

    const names = async (q: string) =>
      (await list(actor, { q })).items.map((a) => a.name);
    expect(await names('%')).toEqual(['Gamma 100% Live']);
    expect(await names('_')).toEqual(['Alpha_Beta Live']);
    expect(await names('a_b')).toEqual(['Alpha_Beta Live']);
    expect(await names('gamma%live')).toEqual([]);
  });

  test('updateAgency(id, input: { name, version }) changes only name, increments version', async () => {
    const original = await create(admin, { email: 'keep@example.com', notes: 'kept' });
    const answer = await base.gql<{ updateAgency: Agency }>(UPDATE, { id: original.id, input: { name: 'Renamed', version: 1 } }, { as: admin });
    const updated = gqlData(answer).updateAgency;
    expect(updated).toEqual({ ...original, name: 'Renamed', version: 2, updatedAt: expect.any(String) });
    expect(await read(admin, original.id)).toEqual(updated);
  });

  test('updateAgency with email: null clears it', async () => {
    const original = await create(admin, { email: 'gone@example.com' });
    const updated = gqlData(await base.gql<{ updateAgency: Agency }>(UPDATE, { id: original.id, input: { email: null } }, { as: admin })).updateAgency;
    expect(updated).toMatchObject({ email: null, name: original.name, version: 2 });
  });

  test('updateAgency with name: null → VALIDATION_FAILED naming name; nothing changed', async () => {
    const original = await create(admin);
    const answer = await base.gql(UPDATE, { id: original.id, input: { name: null } }, { as: admin });
    expectGqlValidation(answer, ['updateAgency'], ['name']);
    expect(await read(admin, original.id)).toEqual(original);
  });

  test('stale version → CONFLICT and nothing changed; the current version works', async () => {
    const original = await create(admin);
    gqlData(await base.gql(UPDATE, { id: original.id, input: { name: 'Second', version: 1 } }, { as: admin }));
    const before = await read(admin, original.id);
    const stale = await base.gql(UPDATE, { id: original.id, input: { name: 'Lost', notes: 'lost', version: 1 } }, { as: admin });
    expectGqlError(stale, 'CONFLICT', ['updateAgency']);
    expect(stale.body.data).toBeNull();
    expect(await read(admin, original.id)).toEqual(before);
    const ok = gqlData(await base.gql<{ updateAgency: Agency }>(UPDATE, { id: original.id, input: { name: 'Third', version: 2 } }, { as: admin }));
    expect(ok.updateAgency).toMatchObject({ name: 'Third', version: 3 });
  });

  test('deleteAgency(id) returns the id; then agency(id) is null and a second delete is NOT_FOUND', async () => {
    const agency = await create(admin);
    expect(gqlData(await base.gql(DELETE, { id: agency.id }, { as: admin }))).toEqual({ deleteAgency: agency.id });
    expect(await agencyRow(base, agency.id)).toBeNull();
    expect(await read(admin, agency.id)).toBeNull();
    expectGqlError(await base.gql(DELETE, { id: agency.id }, { as: admin }), 'NOT_FOUND', ['deleteAgency']);
    expectGqlError(await base.gql(UPDATE, { id: agency.id, input: { name: 'Ghost' } }, { as: admin }), 'NOT_FOUND', ['updateAgency']);
  });

  test('deleteAgency with a stale version → CONFLICT, record kept', async () => {
    const agency = await create(admin);
    gqlData(await base.gql(UPDATE, { id: agency.id, input: { name: 'Bumped' } }, { as: admin }));
    expectGqlError(await base.gql(DELETE, { id: agency.id, version: 1 }, { as: admin }), 'CONFLICT', ['deleteAgency']);
    expect(await read(admin, agency.id)).toMatchObject({ name: 'Bumped', version: 2 });
  });
});

describe('errors', () => {
  test('invalid input → VALIDATION_FAILED with one detail per field; nothing written', async () => {
    const before = await rows(base, 'agencies');
    const answer = await base.gql(CREATE, { input: { key: 'Bad Key!', name: '   ', email: 'nope', website: 'ftp://x' } }, { as: admin });
    expect(answer.status).toBe(200);
    expectGqlValidation(answer, ['createAgency'], ['key', 'name', 'email', 'website']);
    expect(answer.body.data).toBeNull();
    expect(await rows(base, 'agencies')).toBe(before);
  });

  test('fields GraphQL itself rejects (missing required name, unknown field) → a request error, nothing written', async () => {
    const before = await rows(base, 'agencies');
    const missing = await base.gql(CREATE, { input: { key: uniqueKey() } }, { as: admin });
    expect(missing.status).toBe(400);
    expect(missing.body.data).toBeUndefined();
    expect(missing.body.errors?.[0]?.message).toMatch(/name/);
    const unknown = await base.gql(CREATE, { input: { key: uniqueKey(), name: 'X', foo: 1 } }, { as: admin });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.message).toMatch(/foo/);
    expect(await rows(base, 'agencies')).toBe(before);
  });

  test('duplicate key → CONFLICT naming key', async () => {
    const key = uniqueKey('gdup');
    await create(admin, { key });
    const answer = await base.gql(CREATE, { input: { key, name: 'Duplicate' } }, { as: admin });
    const error = expectGqlError(answer, 'CONFLICT', ['createAgency']);
    expect(error.extensions?.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'key' })]));
    expect(await rowsWhere(base, 'agencies', { key })).toBe(1);
  });

  test.each([
    ['limit: 500', { limit: 500 }, 'limit'],
    ['limit: 0', { limit: 0 }, 'limit'],
    ['page: 0', { page: 0 }, 'page'],
    ['page: -3', { page: -3 }, 'page'],
  ])('bad paging (%s) → VALIDATION_FAILED naming the field', async (_label, vars, field) => {
    expectGqlValidation(await base.gql(LIST, vars, { as: admin }), ['agencies'], [field]);
  });

  test('a missing permission is a FORBIDDEN error on that path, not a failed request', async () => {
    const viewer = await base.actor(['basic.agency.view']);
    const before = await rows(base, 'agencies');
    const answer = await base.gql(CREATE, { input: { key: uniqueKey(), name: 'Not Allowed' } }, { as: viewer });
    expect(answer.status).toBe(200);
    expectGqlError(answer, 'FORBIDDEN', ['createAgency']);
    expect(await rows(base, 'agencies')).toBe(before);

    const nobody = await base.actor(['basic.dashboard.view']);
    const list = await base.gql('{ agencies { total } }', {}, { as: nobody });
    expect(list.status).toBe(200);
    expectGqlError(list, 'FORBIDDEN', ['agencies']);
  });
});
