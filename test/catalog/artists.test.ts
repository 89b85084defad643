import { Caller, useTestBase } from '../support/harness';
import { expectGqlValidation, expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { familySuite } from '../support/family-suite';
import { gqlListAll, listAll, names } from '../support/catalog';
import { createAgency, createVia, freshCaller, NO_SUCH_ID, rows } from '../support/fixtures';

/**
 * Artists (`/api/artists`, `basic.artist.*`): CRUD on both surfaces, the filters q / agencyId /
 * genre, every validation rule, money in minor units with the company's default currency.
 */
const base = useTestBase();

const SELECTION = 'id createdAt updatedAt createdBy version name agencyId genres country city email phone website notes defaultFee currency';

familySuite(base, {
  resource: 'artist',
  typeName: 'Artist',
  singular: 'artist',
  plural: 'artists',
  path: '/api/artists',
  table: 'artists',
  label: 'name',
  search: true,
  async fullBody(b, actor) {
    const agency = await createAgency(b, actor, { name: 'Full Agency' });
    return {
      name: 'The Band',
      agencyId: agency.id,
      genres: ['rock', 'indie'],
      country: 'DE',
      city: 'Berlin',
      email: 'band@example.com',
      phone: '+49 30 1234567',
      website: 'https://band.example.com/tour',
      notes: 'Loud.\nVery loud.',
      defaultFee: 150000,
      currency: 'USD',
    };
  },
  minimalBody: (name) => ({ name }),
  minimalDefaults: {
    agencyId: null,
    genres: [],
    country: null,
    city: null,
    email: null,
    phone: null,
    website: null,
    notes: null,
    defaultFee: null,
    currency: 'EUR',
  },
  toGraphql: (rest) => rest,
  graphqlInput: (rest) => rest,
  selection: SELECTION,
  clearable: 'notes',
});

const artist = (actor: Caller, body: Record<string, unknown>) => createVia(base, actor, '/api/artists', body);

describe('Artist: filters', () => {
  let actor: Caller;
  let agencyX: { id: string };
  let agencyY: { id: string };

  beforeAll(async () => {
    actor = await freshCaller(base);
    agencyX = await createAgency(base, actor, { name: 'X' });
    agencyY = await createAgency(base, actor, { name: 'Y' });
    await artist(actor, { name: 'Nina Simone', genres: ['jazz', 'soul'], agencyId: agencyX.id });
    await artist(actor, { name: 'Simon & Garfunkel', genres: ['folk'], agencyId: agencyY.id });
    await artist(actor, { name: 'The Simpsons', genres: ['comedy'] });
    await artist(actor, { name: 'Metallica', genres: ['metal', 'rock'], agencyId: agencyX.id });
    await artist(actor, { name: '100% Pure', genres: ['pop'] });
  });

  const list = async (query: string) => names(await listAll(base, actor, `/api/artists${query}`));
  const gqlList = async (filter: Record<string, unknown>) => names(await gqlListAll(base, actor, 'artists', 'ArtistFilter', filter));

  test('no filter lists all of the company, ordered by name', async () => {
    expect(await list('')).toEqual(['100% Pure', 'Metallica', 'Nina Simone', 'Simon & Garfunkel', 'The Simpsons']);
  });

  test('q: name contains, case-insensitive; LIKE wildcards are literal', async () => {
    expect(await list('?q=simon')).toEqual(['Nina Simone', 'Simon & Garfunkel']);
    expect(await list('?q=SIMON')).toEqual(['Nina Simone', 'Simon & Garfunkel']);
    expect(await list('?q=SiMpS')).toEqual(['The Simpsons']);
    expect(await list(`?q=${encodeURIComponent('%')}`)).toEqual(['100% Pure']);
    expect(await list('?q=_')).toEqual([]);
    expect(await list('?q=nobody')).toEqual([]);
    expect(await gqlList({ q: 'SIMON' })).toEqual(['Nina Simone', 'Simon & Garfunkel']);
  });

  test('agencyId: the agency’s artists only', async () => {
    expect(await list(`?agencyId=${agencyX.id}`)).toEqual(['Metallica', 'Nina Simone']);
    expect(await list(`?agencyId=${agencyY.id}`)).toEqual(['Simon & Garfunkel']);
    expect(await list(`?agencyId=${NO_SUCH_ID}`)).toEqual([]);
    expect(await gqlList({ agencyId: agencyX.id })).toEqual(['Metallica', 'Nina Simone']);
  });

  test('genre: artists having that genre', async () => {
    expect(await list('?genre=rock')).toEqual(['Metallica']);
    expect(await list('?genre=jazz')).toEqual(['Nina Simone']);
    expect(await list('?genre=polka')).toEqual([]);
    expect(await gqlList({ genre: 'soul' })).toEqual(['Nina Simone']);
  });

  test('filters combine (AND)', async () => {
    expect(await list(`?q=simon&agencyId=${agencyX.id}`)).toEqual(['Nina Simone']);
    expect(await list(`?genre=metal&agencyId=${agencyY.id}`)).toEqual([]);
    expect(await gqlList({ q: 'a', agencyId: agencyX.id, genre: 'metal' })).toEqual(['Metallica']);
  });

  test('an empty filter value means no filter, as an empty q, page or limit does', async () => {
    const all = ['100% Pure', 'Metallica', 'Nina Simone', 'Simon & Garfunkel', 'The Simpsons'];
    expect(await list('?q=&page=&limit=')).toEqual(all);
    // An empty filter value means "not given", like an empty `q`, `page` or `limit`.
    const res = await base.rest('GET', '/api/artists?q=&agencyId=&genre=', { as: actor });
    expect([res.status, res.body.data?.map((a: { name: string }) => a.name)]).toEqual([200, all]);
  });

  test('an invalid agencyId is 400 VALIDATION_FAILED naming agencyId (REST and GraphQL)', async () => {
    expectRestValidation(await base.rest('GET', '/api/artists?agencyId=not-a-uuid', { as: actor }), ['agencyId']);
    const res = await base.gql('{ artists(filter: { agencyId: "not-a-uuid" }) { total } }', {}, { as: actor });
    expectGqlValidation(res, ['artists'], ['agencyId']);
  });
});

describe('Artist: validation (one detail per bad field, nothing written)', () => {
  let actor: Caller;
  let foreignAgency: { id: string };
  let ownAgency: { id: string };

  beforeAll(async () => {
    actor = await base.caller();
    ownAgency = await createAgency(base, actor, { name: 'Own' });
    const b = await base.caller(undefined, { company: base.companyB });
    foreignAgency = await createAgency(base, b, { name: 'Foreign' });
  });

  const cases: [string, () => Record<string, unknown>, string[]][] = [
    ['name missing', () => ({ genres: ['rock'] }), ['name']],
    ['name empty', () => ({ name: '' }), ['name']],
    ['name blank', () => ({ name: '   ' }), ['name']],
    ['name null', () => ({ name: null }), ['name']],
    ['email not an address', () => ({ name: 'A', email: 'not-an-email' }), ['email']],
    ['website without scheme', () => ({ name: 'A', website: 'band.example.com' }), ['website']],
    ['website ftp', () => ({ name: 'A', website: 'ftp://band.example.com' }), ['website']],
    ['website javascript:', () => ({ name: 'A', website: 'javascript:alert(1)' }), ['website']],
    ['country alpha-3', () => ({ name: 'A', country: 'DEU' }), ['country']],
    ['country not letters', () => ({ name: 'A', country: 'D1' }), ['country']],
    ['currency EURO', () => ({ name: 'A', currency: 'EURO' }), ['currency']],
    ['currency XXQ (not ISO-4217)', () => ({ name: 'A', currency: 'XXQ' }), ['currency']],
    ['currency lower-case', () => ({ name: 'A', currency: 'eur' }), ['currency']],
    ['defaultFee negative', () => ({ name: 'A', defaultFee: -1 }), ['defaultFee']],
    ['defaultFee 1.5 (not minor units)', () => ({ name: 'A', defaultFee: 1.5 }), ['defaultFee']],
    ['defaultFee as a string', () => ({ name: 'A', defaultFee: '150000' }), ['defaultFee']],
    ['defaultFee above 2^53-1', () => ({ name: 'A', defaultFee: 9007199254740992 }), ['defaultFee']],
    ['genres not a list', () => ({ name: 'A', genres: 'rock' }), ['genres']],
    ['agencyId malformed', () => ({ name: 'A', agencyId: 'not-a-uuid' }), ['agencyId']],
    ['agencyId unknown', () => ({ name: 'A', agencyId: NO_SUCH_ID }), ['agencyId']],
    ['agencyId of another company', () => ({ name: 'A', agencyId: foreignAgency.id }), ['agencyId']],
    ['an unknown field', () => ({ name: 'A', stageName: 'B' }), ['stageName']],
  ];

  test.each(cases)('POST with %s → 400 on that field only', async (_label, body, fields) => {
    const before = await rows(base, 'artists');
    expectRestValidation(await base.rest('POST', '/api/artists', { as: actor, body: body() }), fields);
    expect(await rows(base, 'artists')).toBe(before);
  });

  test('a body mixing several bad fields → exactly one detail per field', async () => {
    const before = await rows(base, 'artists');
    const res = await base.rest('POST', '/api/artists', {
      as: actor,
      body: { email: 'x@', website: 'www.example.com', country: 'ZZZ', currency: 'EURO', defaultFee: -5.5, city: '' },
    });
    const details = expectRestValidation(res, ['name', 'email', 'website', 'country', 'currency', 'defaultFee', 'city']);
    expect(details.find((d) => d.field === 'name')!.message).toBe('is required');
    expect(await rows(base, 'artists')).toBe(before);
  });

  test('PUT with bad fields → 400 with one detail each; the record is unchanged', async () => {
    const created = await artist(actor, { name: 'Valid', agencyId: ownAgency.id, defaultFee: 100 });
    const res = await base.rest('PUT', `/api/artists/${created.id}`, {
      as: actor,
      body: { name: 'Changed', email: 'nope', defaultFee: 1.5, currency: 'XXQ' },
    });
    expectRestValidation(res, ['email', 'defaultFee', 'currency']);
    const foreign = await base.rest('PUT', `/api/artists/${created.id}`, { as: actor, body: { agencyId: foreignAgency.id } });
    expectRestValidation(foreign, ['agencyId']);
    expect((await base.rest('GET', `/api/artists/${created.id}`, { as: actor })).body).toEqual({ data: created });
  });

  test('GraphQL create: VALIDATION_FAILED with extensions.details, nothing written', async () => {
    const before = await rows(base, 'artists');
    const res = await base.gql(
      'mutation($input: ArtistCreateInput!) { createArtist(input: $input) { id } }',
      { input: { name: 'A', email: 'nope', website: 'ftp://x.example', currency: 'EURO', defaultFee: -1 } },
      { as: actor },
    );
    expectGqlValidation(res, ['createArtist'], ['email', 'website', 'currency', 'defaultFee']);
    expect(res.body.data).toBeNull();
    const foreign = await base.gql(
      'mutation($input: ArtistCreateInput!) { createArtist(input: $input) { id } }',
      { input: { name: 'A', agencyId: foreignAgency.id } },
      { as: actor },
    );
    expectGqlValidation(foreign, ['createArtist'], ['agencyId']);
    expect(await rows(base, 'artists')).toBe(before);
  });
});

describe('Artist: money', () => {
  test('defaultFee is an integer of minor units, exact over REST, GraphQL and in PostgreSQL', async () => {
    const actor = await base.caller();
    const created = await artist(actor, { name: 'Fee', defaultFee: 150000 });
    expect(created.defaultFee).toBe(150000);
    const [row] = await base.sql<{ fee: string }>(`select default_fee::text as fee from "${base.schema}".artists where id = $1`, [created.id]);
    expect(row.fee).toBe('150000');
    const viaGql = gqlData(await base.gql('query($id: ID!) { artist(id: $id) { defaultFee currency } }', { id: created.id }, { as: actor }));
    expect(viaGql).toEqual({ artist: { defaultFee: 150000, currency: 'EUR' } });
  });

  test('the largest safe integer (9007199254740991) round-trips exactly over REST', async () => {
    const actor = await base.caller();
    const created = await artist(actor, { name: 'Max REST', defaultFee: Number.MAX_SAFE_INTEGER });
    expect(created.defaultFee).toBe(9007199254740991);
    const read = await base.rest('GET', `/api/artists/${created.id}`, { as: actor });
    expect(read.body.data.defaultFee).toBe(9007199254740991);
    const [row] = await base.sql<{ fee: string }>(`select default_fee::text as fee from "${base.schema}".artists where id = $1`, [created.id]);
    expect(row.fee).toBe('9007199254740991');
    const viaGql = gqlData(await base.gql('query($id: ID!) { artist(id: $id) { defaultFee } }', { id: created.id }, { as: actor }));
    expect(viaGql.artist.defaultFee).toBe(9007199254740991);
  });

  test('the largest safe integer round-trips exactly over GraphQL (SafeInt), literal and variable', async () => {
    const actor = await base.caller();
    const literal = gqlData(await base.gql('mutation { createArtist(input: { name: "Max GQL", defaultFee: 9007199254740991 }) { id defaultFee } }', {}, { as: actor }));
    expect(literal.createArtist.defaultFee).toBe(9007199254740991);
    const variable = gqlData(
      await base.gql('mutation($input: ArtistCreateInput!) { createArtist(input: $input) { id defaultFee } }', { input: { name: 'Max Var', defaultFee: 9007199254740991 } }, { as: actor }),
    );
    expect(variable.createArtist.defaultFee).toBe(9007199254740991);
    const [row] = await base.sql<{ fee: string }>(`select default_fee::text as fee from "${base.schema}".artists where id = $1`, [literal.createArtist.id]);
    expect(row.fee).toBe('9007199254740991');
    const rest = await base.rest('GET', `/api/artists/${variable.createArtist.id}`, { as: actor });
    expect(rest.body.data.defaultFee).toBe(9007199254740991);
    const updated = gqlData(await base.gql(`mutation { updateArtist(id: "${literal.createArtist.id}", input: { defaultFee: 0 }) { defaultFee version } }`, {}, { as: actor }));
    expect(updated.updateArtist).toEqual({ defaultFee: 0, version: 2 });
  });

  test('currency defaults to the company’s (EUR); after the company changes to GBP new artists get GBP', async () => {
    const actor = await freshCaller(base);
    const before = await artist(actor, { name: 'Before', defaultFee: 1000 });
    expect(before.currency).toBe('EUR');

    const company = await base.rest('PUT', '/api/companies/current', { as: actor, body: { currency: 'GBP' } });
    expect(company.status).toBe(200);
    expect(company.body.data.currency).toBe('GBP');

    const after = await artist(actor, { name: 'After', defaultFee: 1000 });
    expect(after.currency).toBe('GBP');
    const explicit = await artist(actor, { name: 'Explicit', currency: 'USD' });
    expect(explicit.currency).toBe('USD');
    const viaGql = gqlData(await base.gql('mutation { createArtist(input: { name: "Via GraphQL" }) { currency } }', {}, { as: actor }));
    expect(viaGql).toEqual({ createArtist: { currency: 'GBP' } });

    // Existing records keep their own currency; another company still defaults to EUR.
    expect((await base.rest('GET', `/api/artists/${before.id}`, { as: actor })).body.data.currency).toBe('EUR');
    const other = await freshCaller(base);
    expect((await artist(other, { name: 'Elsewhere' })).currency).toBe('EUR');
  });

  test('PUT of the currency alone keeps the fee', async () => {
    const actor = await base.caller();
    const created = await artist(actor, { name: 'Switch', defaultFee: 250000 });
    const res = await base.rest('PUT', `/api/artists/${created.id}`, { as: actor, body: { currency: 'CHF' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ ...created, currency: 'CHF', version: 2, updatedAt: res.body.data.updatedAt });
  });
});

describe('Artist: normalisation', () => {
  test('country is upper-cased and duplicate genres are dropped', async () => {
    const actor = await base.caller();
    const created = await artist(actor, { name: '  Trimmed  ', country: 'fr', genres: ['rock', 'rock', ' jazz '] });
    expect(created).toMatchObject({ name: 'Trimmed', country: 'FR', genres: ['rock', 'jazz'] });
  });

  test('agencyId can be set and cleared by PUT', async () => {
    const actor = await base.caller();
    const agency = await createAgency(base, actor, { name: 'Set' });
    const created = await artist(actor, { name: 'Solo' });
    const set = await base.rest('PUT', `/api/artists/${created.id}`, { as: actor, body: { agencyId: agency.id } });
    expect(set.body.data.agencyId).toBe(agency.id);
    const cleared = await base.rest('PUT', `/api/artists/${created.id}`, { as: actor, body: { agencyId: null } });
    expect(cleared.body.data).toEqual({ ...created, agencyId: null, version: 3, updatedAt: cleared.body.data.updatedAt });
  });

  test('malformed JSON is 400 BAD_REQUEST and writes nothing', async () => {
    const actor = await base.caller();
    const before = await rows(base, 'artists');
    expectRestError(await base.rest('POST', '/api/artists', { as: actor, rawBody: '{"name": ' }), 400, 'BAD_REQUEST');
    expect(await rows(base, 'artists')).toBe(before);
  });
});
