import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Caller } from '../support/harness';
import { useTestBase } from '../support/harness';
import { expectGqlError, expectRestError, expectRestValidation, GqlAnswer } from '../support/assertions';
import { agencyRow, createAgency, rows } from '../support/fixtures';
import { rawRequest } from '../support/raw-http';

/**
 * What an adversarial member sent that used to answer 500 (or worse, 200 and nothing done): each
 * probe kept, on both surfaces where it applies.
 */
const base = useTestBase({ GRAPHQL_MAX_ENTITIES: '5', GRAPHQL_MAX_TOKENS: '200', GRAPHQL_MAX_DOCUMENT_LENGTH: '3000', BODY_LIMIT: '4kb' });

let admin: Caller;
beforeAll(async () => {
  admin = await base.caller();
});

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';

/** A GraphQL answer refused before execution: this status, one error with this code and a request id, GraphQL's shape. */
function expectGqlShape(answer: GqlAnswer, status: number, code: string): void {
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status, body: { errors: [{ extensions: { code } }] } });
  expect(answer.body.errors).toHaveLength(1);
  expect(typeof answer.body.errors![0].message).toBe('string');
  expect(answer.body.errors![0].extensions?.requestId).toBe(answer.headers.get('x-request-id'));
  expect((answer.body as Record<string, unknown>).error).toBeUndefined();
}

describe('NUL characters and lone surrogates are validation errors naming the field', () => {
  test.each([['NUL', NUL], ['lone surrogate', LONE]])('%s in a REST body, query string and path', async (_kind, bad) => {
    const before = await rows(base, 'agencies', admin.companyId);
    expectRestValidation(await base.rest('POST', '/api/agencies', { as: admin, body: { key: 'nul-probe', name: bad } }), ['name']);
    if (bad === NUL) {
      expectRestValidation(await base.rest('GET', `/api/agencies?q=${encodeURIComponent(bad)}`, { as: admin }), ['q']);
      expectRestValidation(await base.rest('GET', `/api/artists?genre=${encodeURIComponent(bad)}`, { as: admin }), ['genre']);
    } else {
      // A surrogate's UTF-8 form in a query string is not UTF-8: decoded to U+FFFD, an ordinary search.
      expect((await base.rest('GET', '/api/agencies?q=%ED%A0%80', { as: admin })).status).toBe(200);
    }
    const agency = await createAgency(base, admin);
    expectRestValidation(await base.rest('PUT', `/api/agencies/${agency.id}`, { as: admin, body: { notes: bad } }), ['notes']);
    expectRestValidation(await base.rest('PUT', '/api/companies/current', { as: admin, body: { address: { city: bad } } }), ['address.city']);
    expect(await rows(base, 'agencies', admin.companyId)).toBe(before + 1);
    expect((await agencyRow(base, agency.id))?.notes).toBeNull();
  });

  test.each([['NUL', NUL], ['lone surrogate', LONE]])('%s in GraphQL variables, inline inputs and filters', async (_kind, bad) => {
    const create = 'mutation($input: AgencyCreateInput!) { createAgency(input: $input) { id } }';
    const viaVariables = await base.gql(create, { input: { key: 'nul-probe', name: bad } }, { as: admin });
    expect(viaVariables.status).toBe(400);
    expect(viaVariables.body.errors?.[0].extensions?.code).toBe('VALIDATION_FAILED');
    expect(viaVariables.body.errors?.[0].extensions?.details).toEqual([{ field: 'variables.input.name', message: expect.any(String) }]);

    if (bad === LONE) {
      // GraphQL's own parser refuses a lone surrogate escape in the document.
      const inline = await base.gql('mutation { createAgency(input: { key: "nul-probe", name: "a\\ud800b" }) { id } }', undefined, { as: admin });
      expect({ status: inline.status, code: inline.body.errors?.[0].extensions?.code }).toEqual({ status: 400, code: 'GRAPHQL_PARSE_FAILED' });
      return;
    }
    // An escape in the document itself reaches the resolver: the field's validator refuses it.
    const escaped = 'a\\u0000b';
    const inline = await base.gql(`mutation { createAgency(input: { key: "nul-probe", name: "${escaped}" }) { id } }`, undefined, { as: admin });
    const error = expectGqlError(inline, 'VALIDATION_FAILED', ['createAgency']);
    expect(error.extensions?.details).toEqual([{ field: 'name', message: expect.any(String) }]);

    const filter = await base.gql(`{ agencies(filter: { q: "${escaped}" }) { total } }`, undefined, { as: admin });
    expect(expectGqlError(filter, 'VALIDATION_FAILED', ['agencies']).extensions?.details).toEqual([{ field: 'q', message: expect.any(String) }]);
    expect(await base.sql(`select 1 from "${base.schema}".agencies where key = 'nul-probe'`)).toHaveLength(0);
  });
});

describe('version is held to the column (int) range', () => {
  test('2147483648 in a PUT body, on ?version= and as a GraphQL argument is a validation error; 2147483647 is merely stale', async () => {
    const agency = await createAgency(base, admin);
    expectRestValidation(await base.rest('PUT', `/api/agencies/${agency.id}`, { as: admin, body: { name: 'X', version: 2147483648 } }), ['version']);
    expectRestValidation(await base.rest('DELETE', `/api/agencies/${agency.id}?version=2147483648`, { as: admin }), ['version']);
    expectRestValidation(await base.rest('DELETE', `/api/agencies/${agency.id}?version=1e308`, { as: admin }), ['version']);
    expectRestError(await base.rest('PUT', `/api/agencies/${agency.id}`, { as: admin, body: { name: 'X', version: 2147483647 } }), 409, 'CONFLICT');

    const update = await base.gql(`mutation { updateAgency(id: "${agency.id}", input: { version: 2147483648 }) { id } }`, undefined, { as: admin });
    expect(update.status).toBe(400);
    expect(update.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const del = await base.gql('mutation($v: Int) { deleteAgency(id: "x", version: $v) }', { v: 2147483648 }, { as: admin });
    expect(del.status).toBe(400);
    expect(del.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await agencyRow(base, agency.id))?.version).toBe(1);
  });

  test('a page number beyond any offset is a validation error', async () => {
    expectRestValidation(await base.rest('GET', '/api/agencies?page=1e308', { as: admin }), ['page']);
  });
});

describe('framing of REST requests', () => {
  test('broken percent-encoding in a path is 400 BAD_REQUEST, with or without a token', async () => {
    expectRestError(await base.rest('GET', '/api/agencies/%zz', { as: admin }), 400, 'BAD_REQUEST');
    expectRestError(await base.rest('GET', '/api/agencies/%zz'), 400, 'BAD_REQUEST');
    expectRestError(await base.rest('DELETE', '/api/agencies/%E0%A4%A', { as: admin }), 400, 'BAD_REQUEST');
  });

  test('a body that is not what its Content-Encoding says is 400; an unknown encoding is 415', async () => {
    const lying = await rawRequest(`${base.url}/api/agencies`, 'POST', {
      headers: { ...admin.headers, 'content-encoding': 'gzip' },
      body: JSON.stringify({ key: 'gzip-probe', name: 'Gzip' }),
    });
    expect({ status: lying.status, code: lying.body?.error?.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
    const unknown = await rawRequest(`${base.url}/api/agencies`, 'POST', {
      headers: { ...admin.headers, 'content-encoding': 'zstd-of-my-own' },
      body: JSON.stringify({ key: 'gzip-probe', name: 'Gzip' }),
    });
    expect({ status: unknown.status, code: unknown.body?.error?.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    // A real gzip body is read.
    const res = await fetch(`${base.url}/api/agencies`, {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ key: 'gzip-probe', name: 'Gzip' })),
    });
    expect(res.status).toBe(201);
  });

  test('a write whose Content-Type is not JSON is 415; a write with no body at all stays a 400 validation error', async () => {
    const agency = await createAgency(base, admin);
    const put = await base.rest('PUT', `/api/agencies/${agency.id}`, {
      as: admin,
      headers: { 'content-type': 'text/plain' },
      rawBody: JSON.stringify({ name: 'Changed' }),
    });
    expectRestError(put, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const post = await base.rest('POST', '/api/agencies', {
      as: admin,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: 'key=form-probe&name=Form',
    });
    expectRestError(post, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect((await agencyRow(base, agency.id))?.name).toBe(agency.name);

    const empty = await base.rest('POST', '/api/agencies', { as: admin });
    expectRestValidation(empty, ['key', 'name']);
  });

  test('a view-only member gets 403 for a write, whatever its body', async () => {
    const viewer = await base.caller(['basic.agency.view']);
    expectRestError(await base.rest('POST', '/api/agencies', { as: viewer, body: { name: NUL } }), 403, 'FORBIDDEN');
  });
});

describe('/graphql speaks GraphQL errors', () => {
  test('malformed JSON is 400 BAD_REQUEST in the GraphQL shape', async () => {
    expectGqlShape(await base.rest('POST', '/graphql', { as: admin, rawBody: '{"query": ' }), 400, 'BAD_REQUEST');
  });

  test('too large a body is 413', async () => {
    const big = `{ agencies(filter: { q: "${'x'.repeat(5000)}" }) { total } }`;
    expectGqlShape(await base.gql(big, undefined, { as: admin }), 413, 'PAYLOAD_TOO_LARGE');
  });

  test('a content type other than JSON is 415', async () => {
    const answer = await base.rest('POST', '/graphql', {
      as: admin,
      headers: { 'content-type': 'text/plain' },
      rawBody: JSON.stringify({ query: '{ agencies { total } }' }),
    });
    expectGqlShape(answer, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('a parse failure is 400 GRAPHQL_PARSE_FAILED with the request id', async () => {
    expectGqlShape(await base.gql('{ agencies { ', undefined, { as: admin }), 400, 'GRAPHQL_PARSE_FAILED');
  });

  test('too many tokens or too long a document is a validation error, after authentication', async () => {
    const many = `{ agencies { ${'total '.repeat(250)} } }`;
    const refused = await base.gql(many, undefined, { as: admin });
    expectGqlShape(refused, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(refused.body.errors![0].message).toMatch(/token limit of 200/i);
    const long = `{ agencies { total } } ${'#'.repeat(3500)}\n`;
    const tooLong = await base.gql(long, undefined, { as: admin });
    expectGqlShape(tooLong, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(tooLong.body.errors![0].message).toMatch(/length/i);
    const unauthenticated = await base.gql(many);
    expect(unauthenticated.status).toBe(401);
    const fine = await base.gql('{ agencies { total } }', undefined, { as: admin });
    expect(fine.status).toBe(200);
  });

  test('an automatic-persisted-query hash that does not match its query is a client error', async () => {
    const query = '{ agencies { total } }';
    const wrong = createHash('sha256').update(`${query} `).digest('hex');
    const answer = await base.rest('POST', '/graphql', {
      as: admin,
      body: { query, extensions: { persistedQuery: { version: 1, sha256Hash: wrong } } },
    });
    expectGqlShape(answer, 400, 'BAD_REQUEST');
    const right = createHash('sha256').update(query).digest('hex');
    const ok = await base.rest('POST', '/graphql', { as: admin, body: { query, extensions: { persistedQuery: { version: 1, sha256Hash: right } } } });
    expect(ok.status).toBe(200);
  });
});

describe('_entities: one bad representation fails alone', () => {
  const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Agency { id name } } }';

  test('unknown __typename, missing or null id, a non-entity type and a non-object each error at their index; the good one resolves', async () => {
    const agency = await createAgency(base, admin);
    const representations = [
      { __typename: 'Nope', id: agency.id },
      { __typename: 'Agency', id: agency.id },
      { __typename: 'Agency' },
      { __typename: 'Agency', id: null },
      { __typename: 'AgencyPage', id: agency.id },
    ];
    const answer = await base.gql(ENTITIES, { r: representations }, { as: admin });
    expect(answer.status).toBe(200);
    expect(answer.body.data?._entities).toEqual([null, { id: agency.id, name: agency.name }, null, null, null]);
    const errors = answer.body.errors ?? [];
    expect(errors.map((e) => e.path)).toEqual([['_entities', 0], ['_entities', 2], ['_entities', 3], ['_entities', 4]]);
    for (const e of errors) expect(e.extensions?.code).toBe('VALIDATION_FAILED');

    const notObject = await base.gql(ENTITIES, { r: ['just text', { __typename: 'Agency', id: agency.id }] }, { as: admin });
    expect(notObject.body.data?._entities).toEqual([null, { id: agency.id, name: agency.name }]);
    expect(notObject.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['_entities', 0], 'VALIDATION_FAILED']]);
  });

  test('more representations than GRAPHQL_MAX_ENTITIES is a client error', async () => {
    const r = Array.from({ length: 6 }, () => ({ __typename: 'Agency', id: '00000000-0000-4000-8000-000000000001' }));
    const answer = await base.gql(ENTITIES, { r }, { as: admin });
    expectGqlError(answer, 'BAD_REQUEST', ['_entities']);
    const atCap = await base.gql(ENTITIES, { r: r.slice(0, 5) }, { as: admin });
    expect(atCap.body).toEqual({ data: { _entities: [null, null, null, null, null] } });
  });
});
