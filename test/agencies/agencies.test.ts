import { Caller, useTestBase } from '../support/harness';
import { expectGqlError, expectGqlValidation, expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { familySuite } from '../support/family-suite';
import { createAgency, freshCaller, rows, rowsWhere, uniqueKey } from '../support/fixtures';

/**
 * Agencies (`/api/agencies`, `basic.agency.*`): the family suite, and what is theirs alone — the
 * business `key` (its format, unique within a company, searched by `q`) and the contact fields'
 * rules.
 */
const base = useTestBase();

familySuite(base, {
  resource: 'agency',
  typeName: 'Agency',
  singular: 'agency',
  plural: 'agencies',
  path: '/api/agencies',
  table: 'agencies',
  label: 'name',
  search: true,
  fullBody: async () => ({
    key: uniqueKey('full'),
    name: 'Full Field Agency',
    email: 'bookings@full.example',
    phone: '+49 30 1234-567',
    website: 'https://full.example/roster',
    notes: 'Line one\nLine two — with unicode ✓',
    commissionRate: 1500,
  }),
  minimalBody: (name) => ({ key: uniqueKey(), name }),
  minimalDefaults: { email: null, phone: null, website: null, notes: null, commissionRate: null },
  toGraphql: (rest) => rest,
  graphqlInput: (rest) => rest,
  selection: 'id key name email phone website notes commissionRate createdAt updatedAt createdBy version',
  clearable: 'email',
});

let admin: Caller;
beforeAll(async () => {
  admin = await base.caller();
});

describe('Agency: field rules (one detail per bad field, nothing written)', () => {
  test.each([
    ['key too short', { key: 'a', name: 'X' }, ['key']],
    ['key starting with a dash', { key: '-abc', name: 'X' }, ['key']],
    ['key with capitals', { key: 'UPPER', name: 'X' }, ['key']],
    ['key with spaces and punctuation', { key: 'Bad Key!', name: 'X' }, ['key']],
    ['key of 64 characters', { key: 'k'.repeat(64), name: 'X' }, ['key']],
    ['bad phone', { key: uniqueKey(), name: 'X', phone: 'call me' }, ['phone']],
    ['bad email', { key: uniqueKey(), name: 'X', email: 'nope' }, ['email']],
    ['website not http(s)', { key: uniqueKey(), name: 'X', website: 'ftp://x' }, ['website']],
    ['missing key and name', {}, ['key', 'name']],
  ])('POST with %s → 400 on those fields', async (_label, body, fields) => {
    const before = await rows(base, 'agencies');
    expectRestValidation(await base.rest('POST', '/api/agencies', { as: admin, body }), fields);
    expect(await rows(base, 'agencies')).toBe(before);
  });

  test('a key of 2 and of 63 characters, digits and dashes, is accepted', async () => {
    for (const key of ['a1', `0-${'k'.repeat(61)}`]) expect((await createAgency(base, admin, { key })).key).toBe(key);
  });

  test('several bad fields → exactly one detail per field', async () => {
    const before = await rows(base, 'agencies');
    const answer = await base.rest('POST', '/api/agencies', { as: admin, body: { key: 'Bad Key!', email: 'nope', website: 'ftp://x', foo: 'bar' } });
    expectRestValidation(answer, ['key', 'name', 'email', 'website', 'foo']);
    expect(await rows(base, 'agencies')).toBe(before);
  });

  test('PUT with a bad key and website → one detail each; nothing changed', async () => {
    const original = await createAgency(base, admin);
    const put = await base.rest('PUT', `/api/agencies/${original.id}`, { as: admin, body: { name: 'Would Change', key: 'UPPER', website: 'mailto:x@y.z' } });
    expectRestValidation(put, ['key', 'website']);
    expect((await base.rest('GET', `/api/agencies/${original.id}`, { as: admin })).body.data).toEqual(original);
  });

  test('GraphQL: the same rules, VALIDATION_FAILED with one detail per field, nothing written', async () => {
    const before = await rows(base, 'agencies');
    const answer = await base.gql(
      'mutation($input: AgencyCreateInput!) { createAgency(input: $input) { id } }',
      { input: { key: 'Bad Key!', name: '   ', email: 'nope', website: 'ftp://x' } },
      { as: admin },
    );
    expect(answer.status).toBe(200);
    expectGqlValidation(answer, ['createAgency'], ['key', 'name', 'email', 'website']);
    expect(answer.body.data).toBeNull();
    expect(await rows(base, 'agencies')).toBe(before);
  });
});

describe('Agency: the key is unique within the company', () => {
  test('a duplicate key → 409 CONFLICT naming key; one row', async () => {
    const key = uniqueKey('dup');
    await createAgency(base, admin, { key });
    const second = await base.rest('POST', '/api/agencies', { as: admin, body: { key, name: 'Second' } });
    expectRestError(second, 409, 'CONFLICT');
    expect(second.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'key' })]));
    expect(await rowsWhere(base, 'agencies', { key })).toBe(1);
  });

  test('GraphQL: a duplicate key → CONFLICT naming key', async () => {
    const key = uniqueKey('gdup');
    await createAgency(base, admin, { key });
    const answer = await base.gql('mutation($input: AgencyCreateInput!) { createAgency(input: $input) { id } }', { input: { key, name: 'Duplicate' } }, { as: admin });
    const error = expectGqlError(answer, 'CONFLICT', ['createAgency']);
    expect(error.extensions?.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'key' })]));
    expect(await rowsWhere(base, 'agencies', { key })).toBe(1);
  });

  test('two concurrent POSTs of the same key → exactly one 201 and one 409', async () => {
    for (let round = 0; round < 3; round++) {
      const key = uniqueKey('race');
      const answers = await Promise.all(['Racer A', 'Racer B'].map((name) => base.rest('POST', '/api/agencies', { as: admin, body: { key, name } })));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      expectRestError(answers.find((a) => a.status === 409)!, 409, 'CONFLICT');
      expect(await rowsWhere(base, 'agencies', { key })).toBe(1);
    }
  });

  test('PUT to a key another agency holds → 409 CONFLICT naming key; nothing changed', async () => {
    const one = await createAgency(base, admin);
    const two = await createAgency(base, admin);
    const put = await base.rest('PUT', `/api/agencies/${two.id}`, { as: admin, body: { key: one.key } });
    expectRestError(put, 409, 'CONFLICT');
    expect(put.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'key' })]));
    expect((await base.rest('GET', `/api/agencies/${two.id}`, { as: admin })).body.data).toEqual(two);
  });

  test('the key of a deleted agency is free again', async () => {
    const agency = await createAgency(base, admin);
    expect((await base.rest('DELETE', `/api/agencies/${agency.id}`, { as: admin })).status).toBe(204);
    expect((await base.rest('POST', '/api/agencies', { as: admin, body: { key: agency.key, name: 'Reborn' } })).status).toBe(201);
  });
});

describe('Agency: q also searches the key', () => {
  test('q matches text contained in the key, case-insensitive, on both surfaces', async () => {
    const actor = await freshCaller(base);
    const byKey = await createAgency(base, actor, { key: 'zeta-keyonly', name: 'Plain Name' });
    const byName = await createAgency(base, actor, { key: 'other-one', name: 'Keyonly In Name' });
    await createAgency(base, actor, { key: 'unrelated', name: 'Unrelated' });
    const rest = await base.rest('GET', '/api/agencies?q=KEYONLY', { as: actor });
    expect(rest.body).toEqual({ data: [byName, byKey], meta: { page: 1, limit: 20, total: 2, totalIsEstimate: false, nextCursor: null } });
    const gql = gqlData(await base.gql('{ agencies(filter: { q: "zeta-KEY" }) { items { id } total } }', {}, { as: actor }));
    expect(gql).toEqual({ agencies: { items: [{ id: byKey.id }], total: 1 } });
  });
});
