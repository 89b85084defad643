import { useTestBase } from '../support/harness';
import { expectGqlRequestError, expectRestError } from '../support/assertions';

/**
 * auth-contract.md §5: public without token or x-org are /health, /ready, the federation
 * `_service { sdl }` field, the GraphiQL page and the REST description (`GET /api/openapi.json`,
 * which generators and API portals fetch anonymously). Nothing else: any other GraphQL selection, even
 * next to `_service`, needs the full pipeline.
 */
const base = useTestBase();

/** GET /graphql; Apollo's CSRF prevention wants a preflight header on a GET (no token involved). */
const gqlGet = (query: string) =>
  base.rest('GET', `/graphql?query=${encodeURIComponent(query)}`, {
    headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
  });

test('GET /health → 200 with no headers', async () => {
  const res = await base.rest('GET', '/health');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ok' });
});

test('GET /ready → 200 with no headers (the database is reachable)', async () => {
  const res = await base.rest('GET', '/ready');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ready' });
});

test('{ _service { sdl } } over POST /graphql with no headers → 200 with the SDL, and Auth is not asked', async () => {
  const before = base.auth.calls;
  const res = await base.gql('{ _service { sdl } }');
  expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 200, errors: undefined });
  const sdl: string = res.body.data._service.sdl;
  expect(sdl).toContain('type Agency');
  expect(sdl).toMatch(/@key\(fields: "id"\)/);
  expect(base.auth.calls - before).toBe(0);
});

test('{ _service { sdl } } over GET /graphql with no headers → 200 with the SDL', async () => {
  const res = await gqlGet('{ _service { sdl } }');
  expect(res.status).toBe(200);
  expect(res.body.data._service.sdl).toContain('type Agency');
});

test('a named public operation chosen by operationName, next to a private one, is public', async () => {
  const query = 'query Sdl { _service { sdl } } query Data { agencies { total } }';
  const ok = await base.rest('POST', '/graphql', { body: { query, operationName: 'Sdl' } });
  expect(ok.status).toBe(200);
  expect(typeof ok.body.data._service.sdl).toBe('string');
  const denied = await base.rest('POST', '/graphql', { body: { query, operationName: 'Data' } });
  expectGqlRequestError(denied, 401, 'UNAUTHENTICATED');
});

test('GET /api/openapi.json with no headers → 200 with the document, and Auth is not asked', async () => {
  const before = base.auth.calls;
  const res = await base.rest('GET', '/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe('3.1.0');
  expect(base.auth.calls - before).toBe(0);
});

test('the GraphiQL page loads with no headers (static page, no data)', async () => {
  const res = await base.rest('GET', '/graphql', { headers: { accept: 'text/html' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
});

describe('everything else needs the token (401 UNAUTHENTICATED with no headers)', () => {
  test('{ agencies { total } } over POST /graphql', async () => {
    expectGqlRequestError(await base.gql('{ agencies { total } }'), 401, 'UNAUTHENTICATED');
  });

  test('{ _service { sdl } agencies { total } }: a public field does not carry a private one', async () => {
    expectGqlRequestError(await base.gql('{ _service { sdl } agencies { total } }'), 401, 'UNAUTHENTICATED');
  });

  test('{ agencies { total } } over GET /graphql', async () => {
    expectGqlRequestError(await gqlGet('{ agencies { total } }'), 401, 'UNAUTHENTICATED');
  });

  test('introspection ({ __schema }) is not public', async () => {
    expectGqlRequestError(await base.gql('{ __schema { queryType { name } } }'), 401, 'UNAUTHENTICATED');
  });

  test('_entities (the gateway’s entity lookup) is not public', async () => {
    const q = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Agency { id name } } }';
    expectGqlRequestError(await base.gql(q, { r: [{ __typename: 'Agency', id: '00000000-0000-4000-8000-000000000001' }] }), 401, 'UNAUTHENTICATED');
  });

  test.each([
    ['a fragment spread at the root', '{ ...F } fragment F on Query { agencies { total } }'],
    ['an inline fragment at the root', '{ ... on Query { agencies { total } } }'],
    ['_service behind an @include directive next to data', '{ _service @include(if: true) { sdl } agencies { total } }'],
    ['a mutation', 'mutation { deleteAgency(id: "00000000-0000-4000-8000-000000000001") }'],
    ['an aliased private field', '{ _service: agencies { total } }'],
  ])('%s', async (_label, query) => {
    expectGqlRequestError(await base.gql(query), 401, 'UNAUTHENTICATED');
  });

  test('REST GET /api/agencies', async () => {
    expectRestError(await base.rest('GET', '/api/agencies'), 401, 'UNAUTHENTICATED');
  });

  test('REST POST /api/agencies', async () => {
    expectRestError(await base.rest('POST', '/api/agencies', { body: { key: 'x-1', name: 'x' } }), 401, 'UNAUTHENTICATED');
  });
});
