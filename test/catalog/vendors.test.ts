import { Caller, useTestBase } from '../support/harness';
import { expectGqlValidation, expectRestValidation, gqlData } from '../support/assertions';
import { familySuite } from '../support/family-suite';
import { listAll, names } from '../support/catalog';
import { createVia, freshCaller, rows } from '../support/fixtures';

/**
 * Vendors (`/api/vendors`, `basic.vendor.*`): CRUD on both surfaces, the filters q / category
 * (REST `sound`, GraphQL `SOUND`), category and name validation.
 */
const base = useTestBase();

const SELECTION = 'id createdAt updatedAt createdBy version name category email phone taxNumber notes';
const upperCategory = (record: Record<string, unknown>) =>
  typeof record.category === 'string' ? { ...record, category: record.category.toUpperCase() } : record;

familySuite(base, {
  resource: 'vendor',
  typeName: 'Vendor',
  singular: 'vendor',
  plural: 'vendors',
  path: '/api/vendors',
  table: 'vendors',
  label: 'name',
  search: true,
  fullBody: async () => ({
    name: 'PA Company',
    category: 'sound',
    email: 'office@pa.example.com',
    phone: '+44 (20) 7946-0958',
    taxNumber: 'GB123456789',
    notes: 'Ask for Sam.',
  }),
  minimalBody: (name) => ({ name, category: 'other' }),
  minimalDefaults: { email: null, phone: null, taxNumber: null, notes: null },
  toGraphql: upperCategory,
  graphqlInput: upperCategory,
  selection: SELECTION,
  clearable: 'taxNumber',
});

const vendor = (actor: Caller, body: Record<string, unknown>) => createVia(base, actor, '/api/vendors', body);

describe('Vendor: filters', () => {
  let actor: Caller;

  beforeAll(async () => {
    actor = await freshCaller(base);
    await vendor(actor, { name: 'Loud Sound GmbH', category: 'sound' });
    await vendor(actor, { name: 'Bright Lights', category: 'lighting' });
    await vendor(actor, { name: 'Sound & Light Ltd', category: 'lighting' });
    await vendor(actor, { name: 'Quiet PA', category: 'sound' });
    await vendor(actor, { name: 'Good Food', category: 'catering' });
  });

  const list = async (query: string): Promise<{ name: string; category: string }[]> => listAll(base, actor, `/api/vendors${query}`);
  const gqlList = async (filter: string) => {
    const data = gqlData(await base.gql(`{ vendors(filter: ${filter}) { items { name category } total } }`, {}, { as: actor }));
    expect(data.vendors.total).toBe(data.vendors.items.length);
    return data.vendors.items as { name: string; category: string }[];
  };

  test('no filter lists all, ordered by name', async () => {
    expect(names(await list(''))).toEqual(['Bright Lights', 'Good Food', 'Loud Sound GmbH', 'Quiet PA', 'Sound & Light Ltd']);
  });

  test('q: name contains, case-insensitive', async () => {
    expect(names(await list('?q=SOUND'))).toEqual(['Loud Sound GmbH', 'Sound & Light Ltd']);
    expect(names(await list('?q=light'))).toEqual(['Bright Lights', 'Sound & Light Ltd']);
    expect(names(await gqlList('{ q: "pa" }'))).toEqual(['Quiet PA']);
  });

  test('category: REST takes the stored value, GraphQL the UPPER_CASE enum', async () => {
    expect((await list('?category=sound')).map(({ name, category }) => ({ name, category }))).toEqual([
      { name: 'Loud Sound GmbH', category: 'sound' },
      { name: 'Quiet PA', category: 'sound' },
    ]);
    expect(names(await list('?category=lighting'))).toEqual(['Bright Lights', 'Sound & Light Ltd']);
    expect(names(await list('?category=security'))).toEqual([]);
    expect(await gqlList('{ category: SOUND }')).toEqual([
      { name: 'Loud Sound GmbH', category: 'SOUND' },
      { name: 'Quiet PA', category: 'SOUND' },
    ]);
    const viaVariable = gqlData(await base.gql('query($f: VendorFilter) { vendors(filter: $f) { total } }', { f: { category: 'CATERING' } }, { as: actor }));
    expect(viaVariable).toEqual({ vendors: { total: 1 } });
  });

  test('an empty filter value means no filter, as an empty q does', async () => {
    const all = ['Bright Lights', 'Good Food', 'Loud Sound GmbH', 'Quiet PA', 'Sound & Light Ltd'];
    expect(names(await list('?q='))).toEqual(all);
    // An empty filter value means "not given", like an empty `q`, `page` or `limit`.
    const res = await base.rest('GET', '/api/vendors?q=&category=', { as: actor });
    expect([res.status, res.body.data?.map((v: { name: string }) => v.name)]).toEqual([200, all]);
  });

  test('q and category combine', async () => {
    expect(names(await list('?q=sound&category=lighting'))).toEqual(['Sound & Light Ltd']);
    expect(names(await gqlList('{ q: "sound", category: SOUND }'))).toEqual(['Loud Sound GmbH']);
  });

  test('an unknown category is 400 VALIDATION_FAILED naming category', async () => {
    expectRestValidation(await base.rest('GET', '/api/vendors?category=banjo', { as: actor }), ['category']);
    // REST speaks the stored values; the GraphQL enum name is not one of them.
    expectRestValidation(await base.rest('GET', '/api/vendors?category=SOUND', { as: actor }), ['category']);
    const res = await base.gql('{ vendors(filter: { category: BANJO }) { total } }', {}, { as: actor });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('Vendor: validation (one detail per bad field, nothing written)', () => {
  let actor: Caller;
  beforeAll(async () => {
    actor = await base.caller();
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['category banjo', { name: 'V', category: 'banjo' }, ['category']],
    ['category in GraphQL spelling', { name: 'V', category: 'SOUND' }, ['category']],
    ['category missing', { name: 'V' }, ['category']],
    ['name missing', { category: 'sound' }, ['name']],
    ['name empty', { name: '', category: 'sound' }, ['name']],
    ['email invalid', { name: 'V', category: 'sound', email: 'at@' }, ['email']],
    ['phone with letters', { name: 'V', category: 'sound', phone: 'call me' }, ['phone']],
    ['taxNumber over 50 characters', { name: 'V', category: 'sound', taxNumber: 'X'.repeat(51) }, ['taxNumber']],
  ];

  test.each(cases)('POST with %s → 400 on that field only', async (_label, body, fields) => {
    const before = await rows(base, 'vendors');
    expectRestValidation(await base.rest('POST', '/api/vendors', { as: actor, body }), fields);
    expect(await rows(base, 'vendors')).toBe(before);
  });

  test('every category of the catalog is accepted', async () => {
    const categories = ['sound', 'lighting', 'backline', 'catering', 'security', 'transport', 'accommodation', 'marketing', 'staffing', 'other'];
    for (const category of categories) {
      expect((await vendor(actor, { name: `V ${category}`, category })).category).toBe(category);
    }
  });

  test('a body mixing several bad fields → exactly one detail per field', async () => {
    const before = await rows(base, 'vendors');
    const res = await base.rest('POST', '/api/vendors', { as: actor, body: { category: 'banjo', email: 'x', phone: '!', taxNumber: '' } });
    expectRestValidation(res, ['name', 'category', 'email', 'phone', 'taxNumber']);
    expect(await rows(base, 'vendors')).toBe(before);
  });

  test('PUT with a bad category → 400, the record unchanged', async () => {
    const created = await vendor(actor, { name: 'Steady', category: 'backline' });
    expectRestValidation(await base.rest('PUT', `/api/vendors/${created.id}`, { as: actor, body: { name: 'X', category: 'banjo' } }), ['category']);
    expect((await base.rest('GET', `/api/vendors/${created.id}`, { as: actor })).body).toEqual({ data: created });
    const ok = await base.rest('PUT', `/api/vendors/${created.id}`, { as: actor, body: { category: 'transport' } });
    expect(ok.body.data).toEqual({ ...created, category: 'transport', version: 2, updatedAt: ok.body.data.updatedAt });
  });

  test('GraphQL create: VALIDATION_FAILED with extensions.details, nothing written', async () => {
    const before = await rows(base, 'vendors');
    const res = await base.gql('mutation { createVendor(input: { name: " ", category: SOUND, email: "nope" }) { id } }', {}, { as: actor });
    expectGqlValidation(res, ['createVendor'], ['name', 'email']);
    expect(res.body.data).toBeNull();
    expect(await rows(base, 'vendors')).toBe(before);
    const created = gqlData(await base.gql('mutation { createVendor(input: { name: "Enum", category: BACKLINE }) { id category } }', {}, { as: actor }));
    expect(created.createVendor.category).toBe('BACKLINE');
    expect((await base.rest('GET', `/api/vendors/${created.createVendor.id}`, { as: actor })).body.data.category).toBe('backline');
  });
});
