import { Caller, useTestBase } from '../support/harness';
import { expectGqlValidation, expectRestValidation, gqlData } from '../support/assertions';
import { familySuite } from '../support/family-suite';
import { gqlListAll, listAll, names } from '../support/catalog';
import { createVia, freshCaller, rows } from '../support/fixtures';

/**
 * Venues (`/api/venues`, `basic.venue.*`): CRUD on both surfaces, the filters q / city, capacity,
 * IANA time zone and address validation, the company's time zone as default.
 */
const base = useTestBase();

const SELECTION = 'id createdAt updatedAt createdBy version name address { line1 line2 city region postalCode country } timezone capacity notes';

familySuite(base, {
  resource: 'venue',
  typeName: 'Venue',
  singular: 'venue',
  plural: 'venues',
  path: '/api/venues',
  table: 'venues',
  label: 'name',
  search: true,
  fullBody: async () => ({
    name: 'The Hall',
    address: { line1: 'Mühlenstraße 12', line2: 'Hinterhof', city: 'Berlin', region: 'Berlin', postalCode: '10243', country: 'DE' },
    timezone: 'Europe/Berlin',
    capacity: 3500,
    notes: 'Load-in via the back.',
  }),
  minimalBody: (name) => ({ name }),
  minimalDefaults: { address: null, timezone: 'UTC', capacity: null, notes: null },
  toGraphql: (rest) => rest,
  graphqlInput: (rest) => rest,
  selection: SELECTION,
  clearable: 'capacity',
});

const venue = (actor: Caller, body: Record<string, unknown>) => createVia(base, actor, '/api/venues', body);

describe('Venue: filters', () => {
  let actor: Caller;

  beforeAll(async () => {
    actor = await freshCaller(base);
    await venue(actor, { name: 'Columbiahalle', address: { city: 'Berlin', country: 'DE' } });
    await venue(actor, { name: 'Astra Kulturhaus', address: { city: 'berlin' } });
    await venue(actor, { name: 'Olympiahalle', address: { city: 'München', country: 'DE' } });
    await venue(actor, { name: 'Hall of Fame' });
    await venue(actor, { name: 'Tempodrom', address: { city: 'Berlin-Kreuzberg' } });
  });

  const list = async (query: string) => names(await listAll(base, actor, `/api/venues${query}`));
  const gqlList = async (filter: Record<string, unknown>) => names(await gqlListAll(base, actor, 'venues', 'VenueFilter', filter));

  test('no filter lists all, ordered by name', async () => {
    expect(await list('')).toEqual(['Astra Kulturhaus', 'Columbiahalle', 'Hall of Fame', 'Olympiahalle', 'Tempodrom']);
  });

  test('q: name contains, case-insensitive', async () => {
    expect(await list('?q=HALL')).toEqual(['Columbiahalle', 'Hall of Fame', 'Olympiahalle']);
    expect(await list('?q=kultur')).toEqual(['Astra Kulturhaus']);
    expect(await list('?q=berlin')).toEqual([]);
    expect(await gqlList({ q: 'hAlLe' })).toEqual(['Columbiahalle', 'Olympiahalle']);
  });

  test('city: the address city, case-insensitive, whole value', async () => {
    expect(await list('?city=berlin')).toEqual(['Astra Kulturhaus', 'Columbiahalle']);
    expect(await list('?city=BERLIN')).toEqual(['Astra Kulturhaus', 'Columbiahalle']);
    expect(await list(`?city=${encodeURIComponent('münchen')}`)).toEqual(['Olympiahalle']);
    expect(await list('?city=Hamburg')).toEqual([]);
    expect(await gqlList({ city: 'Berlin' })).toEqual(['Astra Kulturhaus', 'Columbiahalle']);
  });

  test('an empty filter value means no filter, as an empty q does', async () => {
    const all = ['Astra Kulturhaus', 'Columbiahalle', 'Hall of Fame', 'Olympiahalle', 'Tempodrom'];
    expect(await list('?q=')).toEqual(all);
    // An empty filter value means "not given", like an empty `q`, `page` or `limit`.
    const res = await base.rest('GET', '/api/venues?q=&city=', { as: actor });
    expect([res.status, res.body.data?.map((v: { name: string }) => v.name)]).toEqual([200, all]);
  });

  test('q and city combine', async () => {
    expect(await list('?q=halle&city=berlin')).toEqual(['Columbiahalle']);
    expect(await gqlList({ q: 'astra', city: 'münchen' })).toEqual([]);
  });
});

describe('Venue: validation (one detail per bad field, nothing written)', () => {
  let actor: Caller;
  beforeAll(async () => {
    actor = await base.caller();
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['name missing', { capacity: 10 }, ['name']],
    ['name empty', { name: '' }, ['name']],
    ['capacity 0', { name: 'V', capacity: 0 }, ['capacity']],
    ['capacity -1', { name: 'V', capacity: -1 }, ['capacity']],
    ['capacity 1.5', { name: 'V', capacity: 1.5 }, ['capacity']],
    ['capacity as text', { name: 'V', capacity: '100' }, ['capacity']],
    ['timezone Mars/Olympus', { name: 'V', timezone: 'Mars/Olympus' }, ['timezone']],
    ['timezone empty', { name: 'V', timezone: '' }, ['timezone']],
    ['address.country not alpha-2', { name: 'V', address: { city: 'Berlin', country: 'Germany' } }, ['address.country']],
    ['address with an unknown key', { name: 'V', address: { street: 'Main St' } }, ['address.street']],
    ['address not an object', { name: 'V', address: 'Berlin' }, ['address']],
  ];

  test.each(cases)('POST with %s → 400 on that field only', async (_label, body, fields) => {
    const before = await rows(base, 'venues');
    expectRestValidation(await base.rest('POST', '/api/venues', { as: actor, body }), fields);
    expect(await rows(base, 'venues')).toBe(before);
  });

  test('timezone Europe/Berlin is valid and kept; capacity 1 is the smallest allowed', async () => {
    const created = await venue(actor, { name: 'Tiny', timezone: 'Europe/Berlin', capacity: 1 });
    expect(created).toMatchObject({ timezone: 'Europe/Berlin', capacity: 1 });
  });

  test('a body mixing several bad fields → exactly one detail per field', async () => {
    const before = await rows(base, 'venues');
    const res = await base.rest('POST', '/api/venues', {
      as: actor,
      body: { capacity: 0, timezone: 'Mars/Olympus', address: { country: 'XYZ', city: '' } },
    });
    expectRestValidation(res, ['name', 'capacity', 'timezone', 'address.country', 'address.city']);
    expect(await rows(base, 'venues')).toBe(before);
  });

  test('PUT with bad fields → 400, the record unchanged', async () => {
    const created = await venue(actor, { name: 'Stable', capacity: 100, timezone: 'Europe/Berlin' });
    const res = await base.rest('PUT', `/api/venues/${created.id}`, {
      as: actor,
      body: { name: 'Changed', capacity: -1, timezone: 'Mars/Olympus', address: { country: 'deu' } },
    });
    expectRestValidation(res, ['capacity', 'timezone', 'address.country']);
    expect((await base.rest('GET', `/api/venues/${created.id}`, { as: actor })).body).toEqual({ data: created });
  });

  test('GraphQL create: VALIDATION_FAILED with extensions.details, nothing written', async () => {
    const before = await rows(base, 'venues');
    const res = await base.gql(
      'mutation { createVenue(input: { name: "V", capacity: 0, timezone: "Mars/Olympus", address: { country: "Germany" } }) { id } }',
      {},
      { as: actor },
    );
    expectGqlValidation(res, ['createVenue'], ['capacity', 'timezone', 'address.country']);
    expect(res.body.data).toBeNull();
    const negative = await base.gql('mutation { createVenue(input: { name: "V", capacity: -1 }) { id } }', {}, { as: actor });
    expectGqlValidation(negative, ['createVenue'], ['capacity']);
    expect(await rows(base, 'venues')).toBe(before);
  });
});

describe('Venue: address and time zone', () => {
  test('the address country is upper-cased; a PUT replaces the address whole', async () => {
    const actor = await base.caller();
    const created = await venue(actor, { name: 'Addr', address: { line1: 'A 1', city: 'Paris', country: 'fr' } });
    expect(created.address).toEqual({ line1: 'A 1', city: 'Paris', country: 'FR' });
    const res = await base.rest('PUT', `/api/venues/${created.id}`, { as: actor, body: { address: { city: 'Lyon' } } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ ...created, address: { city: 'Lyon' }, version: 2, updatedAt: res.body.data.updatedAt });
    const viaGql = gqlData(await base.gql(`{ venue(id: "${created.id}") { address { line1 city country } } }`, {}, { as: actor }));
    expect(viaGql).toEqual({ venue: { address: { line1: null, city: 'Lyon', country: null } } });
  });

  test('timezone defaults to the company’s (UTC, then whatever the company is changed to)', async () => {
    const actor = await freshCaller(base);
    expect((await venue(actor, { name: 'Before' })).timezone).toBe('UTC');
    const company = await base.rest('PUT', '/api/companies/current', { as: actor, body: { timezone: 'Europe/Lisbon' } });
    expect(company.status).toBe(200);
    expect((await venue(actor, { name: 'After' })).timezone).toBe('Europe/Lisbon');
    const viaGql = gqlData(await base.gql('mutation { createVenue(input: { name: "Gql" }) { timezone } }', {}, { as: actor }));
    expect(viaGql).toEqual({ createVenue: { timezone: 'Europe/Lisbon' } });
  });
});
